"""The issuing agent's pages of a floating policy: record a declaration letter, settle the
final premium. Thin: the same services as the API and the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.forms import add_application_error
from core.text import to_persian_digits
from declarations import services
from declarations.forms import DeclarationForm
from declarations.models import FloatingPolicy
from policies import selectors as policy_selectors


def _terms(request, policy_id) -> FloatingPolicy:
    try:
        policy = policy_selectors.policy_for_user(request.user, policy_id)
    except ApplicationError:
        raise Http404 from None
    if policy_selectors.policy_role(request.user, policy) == policy_selectors.CUSTOMER:
        raise Http404
    terms = FloatingPolicy.objects.select_related("policy__line").filter(policy=policy).first()
    if terms is None:
        raise Http404
    return terms


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request, policy_id):
    terms = _terms(request, policy_id)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.stock_declaration_record(
                user=request.user, floating_policy=terms, **form.cleaned_data
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            if declaration.endorsement_id:
                messages.success(
                    request,
                    _("اظهارنامه ثبت شد؛ موجودی بیش از سقف بود و الحاقی اضافی شماره %(n)s صادر شد.")
                    % {"n": to_persian_digits(declaration.endorsement.number)},
                )
            else:
                messages.success(request, _("اظهارنامه ثبت شد."))
            return redirect("policies:detail", terms.policy_id)
    return render(
        request,
        "policies/form.html",
        {"policy": terms.policy, "form": form, "title": _("ثبت اظهارنامه موجودی"), "submit": _("ثبت اظهارنامه")},
    )


@login_required
@require_POST
def declaration_settle(request, policy_id):
    terms = _terms(request, policy_id)
    try:
        endorsement = services.floating_policy_settle(user=request.user, floating_policy=terms)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("حق‌بیمه قطعی تعیین شد (الحاقی شماره %(n)s).") % {"n": to_persian_digits(endorsement.number)},
        )
    return redirect("policies:detail", terms.policy_id)
