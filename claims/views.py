"""Browser pages for claims: filing, the customer's tracker (timeline, checklist, uploads,
undertaking, payment due date), the list, and the payout estimator.

Thin: parse a form, call the same service as the API, render or redirect. Every page of
one claim goes through `claim_for_user` (404 for anyone who may not see it).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from claims import forms, rules, selectors, services
from claims.payout import estimate_payout
from core.exceptions import ApplicationError
from core.forms import add_application_error, submit
from core.http import client_ip
from core.throttling import web_rate_limit
from core.uploads import private_file_response
from policies.models import Policy
from policies.selectors import policy_for_user


def _claim(request, claim_id):
    return selectors.claim_for_user(request.user, claim_id)


def _claim_url(claim_id) -> str:
    return reverse("claims:detail", args=[claim_id])


def _own_policies(user):
    return (
        Policy.objects.filter(customer=user)
        .exclude(status=Policy.Status.ANNULLED)
        .select_related("line", "insurer")
        .order_by("-starts_on")
    )


@login_required
def claim_list(request):
    claims = list(selectors.claim_list_for_user(request.user))
    return render(
        request,
        "claims/list.html",
        {
            "own": [claim for claim in claims if claim.customer_id == request.user.pk],
            "issued": [claim for claim in claims if claim.customer_id != request.user.pk],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@web_rate_limit("claims")
def claim_new(request):
    policies = list(_own_policies(request.user))
    if not policies:
        messages.info(request, _("برای اعلام خسارت، ابتدا باید بیمه‌نامه‌ای به نام شما ثبت شده باشد."))
        return redirect("policies:list")
    initial = {"policy": request.GET.get("policy"), "occurred_on": timezone.localdate()}
    form = forms.ClaimFileForm(request.POST or None, policies=policies, initial=initial)
    if done := submit(
        request,
        lambda: services.claim_file(user=request.user, **form.cleaned_data),
        form=form,
        success_url=lambda claim: _say_claim_filed(request, claim),
    ):
        return done
    causes = {line: [(c.code, str(c.label)) for c in causes] for line, causes in rules.CAUSES.items()}
    return render(request, "claims/new.html", {"form": form, "causes": causes})


def _say_claim_filed(request, claim) -> str:
    if claim.details.get("filed_after_discharge"):
        messages.warning(
            request,
            _("بستری باید پیش از ترخیص اعلام شود؛ پرونده پذیرفته شد اما اعلام پس از ترخیص در آن ثبت است."),
        )
    elif claim.late:
        messages.warning(
            request,
            _("خسارت پس از مهلت %(days)s روزه اعلام شد؛ پرونده پذیرفته شد اما دیرکرد در آن ثبت است.")
            % {"days": claim.deadline_days},
        )
    messages.success(request, _("پرونده خسارت ثبت شد. اکنون مدارک را بارگذاری کنید."))
    return _claim_url(claim.pk)


@login_required
def claim_detail(request, claim_id):
    """The customer's tracker: every step with its date, what is missing, when payment is due."""
    claim = _claim(request, claim_id)
    return render(request, "claims/detail.html", _detail_context(request, claim))


def _detail_context(request, claim, *, dispute_form=None) -> dict:
    role = selectors.claim_role(request.user, claim)
    missing = selectors.missing_documents(claim)
    upload_form = forms.ClaimDocumentForm(
        kinds=_upload_kinds(claim), initial={"kind": missing[0].code if missing else "other"}
    )
    can_dispute = role == selectors.CUSTOMER and claim.status == claim.Status.ASSESSED
    return {
        "claim": claim,
        "role": role,
        "timeline": selectors.claim_timeline(claim),
        "checklist": selectors.document_checklist(claim),
        "missing": missing,
        "other_documents": claim.documents.filter(kind="other"),
        "next_step": selectors.claim_next_step(claim),
        "overdue": selectors.claim_is_overdue(claim),
        "upload_form": upload_form if role != selectors.AGENT and not claim.is_closed else None,
        "can_accept_undertaking": role == selectors.CUSTOMER
        and claim.undertaking_accepted_at is None
        and claim.status in (claim.Status.APPROVED, claim.Status.PAYMENT_ORDERED),
        "dispute_form": (dispute_form or forms.DisputeForm()) if can_dispute else None,
        "driver_violation_label": rules.driver_fault_label(claim.driver_violation),
        "payees": selectors.payout_shares(claim),
        "discharged_on": dt.date.fromisoformat(claim.details["discharged_on"])
        if claim.details.get("discharged_on")
        else None,
        "theft_settles_on": rules.vehicle_theft_settles_on(claim.theft_reported_on)
        if claim.theft_reported_on
        else None,
    }


@login_required
@require_POST
def claim_dispute(request, claim_id):
    """The insured disputes the assessment; a refusal is shown on the form with the text kept."""
    claim = _claim(request, claim_id)
    form = forms.DisputeForm(request.POST)
    if done := submit(
        request,
        lambda: services.claim_dispute(user=request.user, claim=claim, reason=form.cleaned_data.get("reason") or ""),
        form=form,
        success_url=_claim_url(claim.pk),
        success_message=_("اعتراض ثبت شد؛ هیئت کارشناسی سه‌نفره درباره خسارت نظر می‌دهد."),
        # A refusal of the dispute itself (too late, not assessed) is said on the claim's page.
        refused_url=_claim_url(claim.pk),
    ):
        return done
    claim = _claim(request, claim_id)
    return render(request, "claims/detail.html", _detail_context(request, claim, dispute_form=form), status=400)


def _upload_kinds(claim) -> dict[str, str]:
    """The upload choices in checklist order; a report that cannot exist is not offered."""
    required = {doc.code for doc in selectors.required_documents_for(claim)}
    kinds = rules.document_kinds(claim.policy.line.code)
    return {code: label for code, label in kinds.items() if code in required or code == "other"}


@login_required
@require_POST
@web_rate_limit("uploads")
def claim_upload(request, claim_id):
    claim = _claim(request, claim_id)
    form = forms.ClaimDocumentForm(request.POST, request.FILES, kinds=rules.document_kinds(claim.policy.line.code))
    if not form.is_valid():
        # The upload sits on the claim's page: its errors are said there.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_claim_url(claim.pk))
    return submit(
        request,
        lambda: services.claim_document_add(
            user=request.user, claim=claim, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        ),
        success_url=_claim_url(claim.pk),
        success_message=_("مدرک بارگذاری شد."),
    )


@login_required
def claim_document(request, claim_id, document_id):
    document = selectors.claim_document_for_user(request.user, claim_id, document_id)
    return private_file_response(document.file, download_name=f"claim-{claim_id}-{document.kind}")


@login_required
@require_POST
def claim_undertaking(request, claim_id):
    claim = _claim(request, claim_id)
    if request.POST.get("accept") != "1":
        messages.error(request, _("برای پذیرش تعهدنامه، گزینه آن را تیک بزنید."))
        return redirect(_claim_url(claim.pk))
    return submit(
        request,
        lambda: services.claim_undertaking_accept(user=request.user, claim=claim, ip=client_ip(request)),
        success_url=_claim_url(claim.pk),
        success_message=_("تعهدنامه پذیرفته شد."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_estimate(request):
    """How much a loss would pay on one of my policies, line by line."""
    policies = list(_own_policies(request.user))
    form = forms.EstimateForm(request.POST or None, policies=policies)
    estimate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The estimate is shown on this page (no redirect): the same mapping of a refusal.
        try:
            policy = policy_for_user(request.user, data["policy"])
            estimate = estimate_payout(
                selectors.payout_input_for(
                    policy=policy,
                    loss=data["loss"],
                    cause=data.get("cause") or "",
                    occurred_on=data.get("occurred_on") or timezone.localdate(),
                    actual_value=data.get("actual_value"),
                    salvage=data.get("salvage") or 0,
                    depreciation=data.get("depreciation") or 0,
                    young_or_new_driver=data.get("young_or_new_driver", False),
                )
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
    return render(request, "claims/estimate.html", {"form": form, "estimate": estimate})
