"""Onboarding: the initial form, terms and plan, documents and staff verification."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from agents.models import (
    Agent,
    Plan,
    TermsAcceptance,
    TermsVersion,
)
from agents.selectors import terms_current
from agents.services.common import _agency_code_taken_error, _locked
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.services import audit_record
from core.text import prefix_once, to_persian_digits
from core.uploads import CleanUpload

# --- Stage 1: the initial form --------------------------------------------------------------


def agent_register(
    *,
    user,
    insurer,
    agency_code: str,
    agency_name: str,
    province,
    city: str,
    postal_address: str,
    postal_code: str,
    office_phone: str,
) -> Agent:
    """Create the caller's agent profile (stage 1). The caller's mobile is already verified."""
    if not user.is_verified:
        raise ForbiddenError(_("ابتدا شماره موبایل خود را با کد پیامکی تأیید کنید."), code="mobile_not_verified")
    with transaction.atomic():
        if Agent.objects.filter(user=user).exists():
            raise ConflictError(_("شما قبلاً به عنوان نماینده ثبت‌نام کرده‌اید."), code="agent_exists")
        if Agent.objects.filter(insurer=insurer, agency_code=agency_code).exists():
            raise _agency_code_taken_error()
        try:
            # Two people typing the same code at once: the unique constraint decides,
            # in a savepoint so the outer transaction stays usable.
            with transaction.atomic():
                agent = Agent.objects.create(
                    user=user,
                    insurer=insurer,
                    agency_code=agency_code,
                    agency_name=agency_name,
                    province=province,
                    city=city,
                    postal_address=postal_address,
                    postal_code=postal_code,
                    office_phone=office_phone,
                )
        except IntegrityError:
            if Agent.objects.filter(user=user).exists():
                raise ConflictError(_("شما قبلاً به عنوان نماینده ثبت‌نام کرده‌اید."), code="agent_exists") from None
            raise _agency_code_taken_error() from None
        audit_record(
            actor=user,
            action="agent.register",
            target=agent,
            data={"insurer": insurer.code, "agency_code": agency_code},
        )
    return agent


# --- Stage 2: terms and plan --------------------------------------------------------------


def terms_version_publish(*, title: str, text: str, by=None) -> TermsVersion:
    """Publish a new terms version; every agent must accept it for the gateway to stay open."""
    with transaction.atomic():
        last = TermsVersion.objects.select_for_update().order_by("-version").first()
        terms = TermsVersion.objects.create(
            version=(last.version + 1) if last else 1, title=title, text=text, created_by=by
        )
        if by is not None:
            audit_record(actor=by, action="terms.publish", target=terms, data={"version": terms.version})
    return terms


def terms_accept(*, agent: Agent, version: int, plan: Plan, ip: str | None, user_agent: str = "") -> TermsAcceptance:
    """Record acceptance of the current terms (version, time, IP) and the chosen plan."""
    with transaction.atomic():
        agent = _locked(agent)
        current = terms_current()
        if current is None:
            raise ConflictError(_("مقرراتی برای پذیرش منتشر نشده است."), code="no_terms")
        if int(version) != current.version:
            raise ConflictError(
                _("نسخه مقررات تغییر کرده است؛ متن تازه را بخوانید و نسخه %(version)s را بپذیرید.")
                % {"version": to_persian_digits(current.version)},
                field="version",
                code="stale_terms",
            )
        acceptance, created = TermsAcceptance.objects.get_or_create(
            agent=agent,
            terms=current,
            defaults={"plan": plan, "ip": ip or None, "user_agent": user_agent[:300]},
        )
        agent.chosen_plan = plan
        fields = ["chosen_plan", "updated_at"]
        if agent.status == Agent.Status.PENDING_TERMS:
            agent.status = Agent.Status.PENDING_DOCUMENTS
            fields.append("status")
        agent.save(update_fields=fields)
        if created:
            audit_record(
                actor=agent.user,
                action="agent.terms_accept",
                target=agent,
                data={"version": current.version, "plan": plan.code, "ip": ip},
            )
    return acceptance


# --- Stage 4: documents -------------------------------------------------------------------


def agent_documents_submit(
    *,
    agent: Agent,
    licence: CleanUpload,
    licence_number: str,
    licence_expires_on: dt.date,
    service_provinces=(),
) -> Agent:
    """Store the licence (already checked by core.uploads) and queue the agent for review.

    A verified agent sending a new licence (e.g. a renewed one) goes back to the queue:
    staff verified the old document, not this one.
    """
    today = timezone.localdate()
    if licence_expires_on <= today:
        raise ApplicationError(
            _("تاریخ انقضای پروانه گذشته است؛ پروانه معتبر را بفرستید."), field="licence_expires_on", code="expired"
        )
    with transaction.atomic():
        agent = _locked(agent)
        if agent.status == Agent.Status.PENDING_TERMS:
            raise ConflictError(_("ابتدا مقررات و ضوابط پرداخت را بپذیرید."), code="terms_first")
        previous_status = agent.status
        agent.licence_file.save(licence.content.name, licence.content, save=False)
        agent.licence_content_type = licence.content_type
        agent.licence_number = licence_number
        agent.licence_expires_on = licence_expires_on
        agent.licence_uploaded_at = timezone.now()
        agent.status = Agent.Status.PENDING_VERIFICATION
        agent.save()
        agent.service_provinces.set(list(service_provinces) or [agent.province])
        audit_record(
            actor=agent.user,
            action="agent.documents_submit",
            target=agent,
            data={
                "licence_number": licence_number,
                "licence_expires_on": licence_expires_on.isoformat(),
                "previous_status": previous_status,
            },
        )
    return agent


# --- Stage 5: verification by staff ---------------------------------------------------------


def agent_verify(*, agent: Agent, decided_by, decision: str, reason: str = "") -> Agent:
    """Approve or reject an agent waiting for review; audited, and the agent is told by SMS.

    The admin actions and POST /api/v1/staff/agents/<id>/verify/ both land here.
    """
    reason = (reason or "").strip()
    if decision not in ("approve", "reject"):
        raise ApplicationError(_("تصمیم باید تأیید یا رد باشد."), field="decision", code="invalid_decision")
    if decision == "reject" and not reason:
        raise ApplicationError(
            _("دلیل رد را بنویسید تا به نماینده اطلاع داده شود."), field="reason", code="reason_required"
        )
    with transaction.atomic():
        agent = _locked(agent)
        if agent.status != Agent.Status.PENDING_VERIFICATION:
            raise ConflictError(
                _("این نماینده در صف بررسی نیست (وضعیت فعلی: %(status)s).") % {"status": agent.get_status_display()},
                code="not_pending",
            )
        if decision == "approve":
            if agent.licence_expires_on is None or agent.licence_expires_on < timezone.localdate():
                raise ConflictError(_("پروانه این نماینده منقضی شده است و قابل تأیید نیست."), code="licence_expired")
            agent.status = Agent.Status.VERIFIED
            agent.rejection_reason = ""
            text = _("بیمه مال: مدارک %(agency)s تأیید شد. اکنون می‌توانید اشتراک خود را فعال کنید.") % {
                "agency": prefix_once(_("نمایندگی"), agent.agency_name)
            }
        else:
            agent.status = Agent.Status.REJECTED
            agent.rejection_reason = reason
            text = _("بیمه مال: مدارک %(agency)s تأیید نشد. دلیل: %(reason)s") % {
                "agency": prefix_once(_("نمایندگی"), agent.agency_name),
                "reason": reason,
            }
        agent.decided_at = timezone.now()
        agent.decided_by = decided_by
        agent.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by", "updated_at"])
        audit_record(
            actor=decided_by,
            action=f"agent.{decision}",
            target=agent,
            data={"reason": reason, "licence_number": agent.licence_number},
        )
        notify(agent.user, text, url=reverse("agents:dashboard"), sms=True)
    return agent
