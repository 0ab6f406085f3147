"""The issuing agent's pages of a floating policy: record a declaration letter, settle the
final premium. Thin: the same services as the API and the admin."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import NotFoundError
from core.forms import submit
from core.text import to_persian_digits
from declarations import services
from declarations.forms import DeclarationForm
from declarations.models import FloatingPolicy
from declarations.selectors import floating_terms_for_policy
from policies import selectors as policy_selectors


def _terms(request, policy_id) -> FloatingPolicy:
    """The issuing side's floating terms; the customer's policy has no such pages."""
    policy = policy_selectors.policy_for_user(request.user, policy_id)
    if policy_selectors.policy_role(request.user, policy) == policy_selectors.CUSTOMER:
        raise NotFoundError(_("این صفحه پیدا نشد."))
    return floating_terms_for_policy(policy=policy)


def _policy_url(terms: FloatingPolicy) -> str:
    return reverse("policies:detail", args=[terms.policy_id])


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request, policy_id):
    terms = _terms(request, policy_id)
    form = DeclarationForm(request.POST or None)
    if done := submit(
        request,
        lambda: services.stock_declaration_record(user=request.user, floating_policy=terms, **form.cleaned_data),
        form=form,
        success_url=_policy_url(terms),
        success_message=lambda declaration: (
            _("اظهارنامه ثبت شد؛ موجودی بیش از سقف بود و الحاقی اضافی شماره %(n)s صادر شد.")
            % {"n": to_persian_digits(declaration.endorsement.number)}
            if declaration.endorsement_id
            else _("اظهارنامه ثبت شد.")
        ),
    ):
        return done
    return render(
        request,
        "policies/form.html",
        {"policy": terms.policy, "form": form, "title": _("ثبت اظهارنامه موجودی"), "submit": _("ثبت اظهارنامه")},
    )


@login_required
@require_POST
def declaration_settle(request, policy_id):
    terms = _terms(request, policy_id)
    return submit(
        request,
        lambda: services.floating_policy_settle(user=request.user, floating_policy=terms),
        success_url=_policy_url(terms),
        success_message=lambda endorsement: (
            _("حق‌بیمه قطعی تعیین شد (الحاقی شماره %(n)s).") % {"n": to_persian_digits(endorsement.number)}
        ),
    )
