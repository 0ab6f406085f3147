"""Writes for agents: onboarding stages, verification, trials, purchases, reminders.

Each state change has exactly one function here; the API views, the browser views,
the admin actions and the Celery task all call these.
"""

import datetime as dt
import logging
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status as http_status

from accounts.models import Notification
from agents import conf
from agents.models import (
    Agent,
    Invoice,
    Plan,
    Subscription,
    SubscriptionNotice,
    TermsAcceptance,
    TermsVersion,
    TrialUsage,
)
from agents.payments import GatewayError, VerifyResult, get_gateway
from agents.selectors import coverage_end, invoice_for_agent, terms_current
from core.exceptions import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from core.jalali import format_jalali, solar_year
from core.services import audit_record
from core.text import prefix_once, to_persian_digits
from core.uploads import CleanUpload
from sms.services import sms_send_after_commit

logger = logging.getLogger(__name__)


class PaymentUnavailableError(ApplicationError):
    status_code = http_status.HTTP_503_SERVICE_UNAVAILABLE
    code = "gateway_unavailable"


def _agency_code_taken_error():
    return ConflictError(
        _(
            "این کد نمایندگی برای این بیمه‌گر قبلاً در بیمه مال ثبت شده است. "
            "اگر کد متعلق به شماست با پشتیبانی تماس بگیرید."
        ),
        field="agency_code",
        code="agency_code_taken",
    )


def _locked(agent: Agent) -> Agent:
    """Re-read the agent under a row lock: the status read below decides the write."""
    return Agent.objects.select_for_update().select_related("user", "insurer", "province").get(pk=agent.pk)


def _tell(agent: Agent, text: str) -> None:
    """An in-app notice and an SMS (after commit) to the agent."""
    Notification.objects.create(user=agent.user, text=text[:300], url=reverse("agents:dashboard"))
    sms_send_after_commit(to=agent.user.mobile, text=text)


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
        _tell(agent, text)
    return agent


# --- Subscriptions: the free trial -------------------------------------------------------------


def _trial_keys(agent: Agent) -> list[tuple[str, str]]:
    keys = [
        (TrialUsage.Key.PERSON, str(agent.user_id)),
        # Agency codes are only unique within an insurer.
        (TrialUsage.Key.AGENCY_CODE, f"{agent.insurer.code}:{agent.agency_code}"),
    ]
    if agent.user.national_code:
        keys.append((TrialUsage.Key.NATIONAL_CODE, agent.user.national_code))
    return keys


def subscription_start_trial(*, agent: Agent, today: dt.date | None = None) -> Subscription:
    """The free trial: once per person, national code and agency code, ever; before any paid plan."""
    today = today or timezone.localdate()
    with transaction.atomic():
        agent = _locked(agent)
        if agent.status != Agent.Status.VERIFIED:
            raise ConflictError(_("اشتراک پس از تأیید مدارک نمایندگی قابل فعال‌سازی است."), code="not_verified")
        used = ConflictError(
            _("اشتراک آزمایشی رایگان برای این شخص، کد ملی یا کد نمایندگی قبلاً استفاده شده است."),
            code="trial_used",
        )
        if agent.subscriptions.exists():
            raise used
        try:
            with transaction.atomic():
                # The unique (key, value) rows are the real guard: a second request, even a
                # simultaneous one or from a new account with the same national code, fails here.
                TrialUsage.objects.bulk_create([TrialUsage(key=k, value=v, agent=agent) for k, v in _trial_keys(agent)])
        except IntegrityError:
            raise used from None
        days = conf.trial_days()
        subscription = Subscription.objects.create(
            agent=agent,
            kind=Subscription.Kind.TRIAL,
            starts_on=today,
            ends_on=today + dt.timedelta(days=days - 1),
        )
        audit_record(actor=agent.user, action="subscription.trial_start", target=subscription, data={"days": days})
        Notification.objects.create(
            user=agent.user,
            text=_("اشتراک آزمایشی %(days)s روزه شما فعال شد.") % {"days": to_persian_digits(days)},
            url=reverse("agents:dashboard"),
        )
    return subscription


# --- Subscriptions: paid plans ---------------------------------------------------------------


def _invoice_number(invoice: Invoice) -> str:
    return f"{solar_year()}{invoice.pk:06d}"


def subscription_purchase_start(*, agent: Agent, plan: Plan, callback_url: str) -> tuple[Invoice, str]:
    """Issue an invoice for `plan` and open a payment for it; returns (invoice, payment_url)."""
    if agent.status != Agent.Status.VERIFIED:
        raise ConflictError(_("اشتراک پس از تأیید مدارک نمایندگی قابل خرید است."), code="not_verified")
    if not plan.is_active:
        raise ApplicationError(_("این طرح اشتراک قابل خرید نیست."), field="plan", code="plan_inactive")
    try:
        gateway = get_gateway()
    except GatewayError:
        logger.exception("Payment gateway misconfigured")
        raise PaymentUnavailableError(_("درگاه پرداخت در دسترس نیست؛ کمی بعد دوباره تلاش کنید.")) from None
    with transaction.atomic():
        invoice = Invoice.objects.create(
            number=uuid.uuid4().hex[:20], agent=agent, plan=plan, amount=plan.price, gateway=gateway.name
        )
        invoice.number = _invoice_number(invoice)
        invoice.save(update_fields=["number"])
        audit_record(
            actor=agent.user, action="invoice.issue", target=invoice, data={"plan": plan.code, "amount": plan.price}
        )
    # The network call happens outside any transaction: no lock is held while the
    # gateway thinks, and the pending invoice stays on record even if it times out.
    try:
        start = gateway.request(
            amount=invoice.amount,
            description=_("%(plan)s بیمه مال — صورتحساب %(number)s")
            % {"plan": prefix_once(_("اشتراک"), plan.title), "number": invoice.number},
            callback_url=callback_url,
            mobile=agent.user.mobile,
            order_id=invoice.number,
        )
    except GatewayError as exc:
        logger.warning("Payment request failed for invoice %s: %s", invoice.number, exc)
        Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.FAILED, failure_reason=str(exc)[:200])
        raise PaymentUnavailableError(_("درگاه پرداخت در دسترس نیست؛ کمی بعد دوباره تلاش کنید.")) from None
    Invoice.objects.filter(pk=invoice.pk).update(authority=start.authority)
    invoice.authority = start.authority
    return invoice, start.payment_url


def payment_complete(*, authority: str, today: dt.date | None = None) -> Invoice:
    """Handle the gateway's callback: verify with the gateway, then pay the invoice once.

    The callback's own query (Status=OK) is never trusted: only the gateway's verify
    answer, for the amount on *our* invoice, marks it paid. Three steps, so that no lock
    and no transaction are held while the gateway thinks (up to 13 s for Zarinpal):

    1. claim: one conditional UPDATE marks the pending invoice as being verified; of any
       number of simultaneous callbacks, "check again" clicks and reconcile runs exactly
       one wins, and the others get the invoice as it stands (still pending) at once;
    2. verify with the gateway, outside any transaction;
    3. settle under the invoice's row lock, re-checking that it is still pending: paid
       once, subscription extended once (the one-to-one Subscription.invoice backs that up).

    A retryable answer (timeout, connection error, HTTP 5xx, malformed body, an error code
    that does not say the payment failed) releases the claim and leaves the invoice pending
    for the next callback, "check again" or the reconcile job: PaymentUnavailableError.
    """
    today = today or timezone.localdate()
    invoice = Invoice.objects.select_related("plan").filter(authority=authority or None).first()
    if invoice is None:
        raise NotFoundError(_("پرداختی با این مشخصات پیدا نشد."))
    if invoice.status != Invoice.Status.PENDING:
        return invoice
    claim = _invoice_verify_claim(invoice_id=invoice.pk)
    if claim is None:
        # Someone else is verifying it right now, or has just settled it.
        invoice.refresh_from_db()
        return invoice
    try:
        result = get_gateway(invoice.gateway).verify(authority=invoice.authority, amount=invoice.amount)
    except GatewayError as exc:
        # Outcome unknown: keep the invoice pending so the next attempt can finish it.
        _invoice_verify_release(invoice_id=invoice.pk, claim=claim)
        logger.warning("Payment verify failed for invoice %s: %s", invoice.number, exc)
        raise PaymentUnavailableError(
            _("پاسخ درگاه پرداخت دریافت نشد؛ اگر مبلغی کسر شده است چند دقیقه بعد دوباره بررسی کنید.")
        ) from None
    except BaseException:
        # A bug or a worker time limit: let the next attempt try at once, not a minute later.
        _invoice_verify_release(invoice_id=invoice.pk, claim=claim)
        raise
    return _invoice_settle(invoice_id=invoice.pk, result=result, today=today)


def _invoice_verify_claim(*, invoice_id: int) -> dt.datetime | None:
    """Take the right to verify a pending invoice; None when another caller holds it.

    A single UPDATE ... WHERE: on PostgreSQL a second one waits for the first to commit and
    then re-reads the row, finds it claimed and changes nothing.
    """
    now = timezone.now()
    stale = now - conf.payment_verify_claim_lifetime()
    claimed = (
        Invoice.objects.filter(pk=invoice_id, status=Invoice.Status.PENDING)
        .filter(Q(verifying_since__isnull=True) | Q(verifying_since__lt=stale))
        .update(verifying_since=now)
    )
    return now if claimed else None


def _invoice_verify_release(*, invoice_id: int, claim: dt.datetime) -> None:
    """Give the claim back (only ours: a stale claim may have been taken over meanwhile)."""
    Invoice.objects.filter(pk=invoice_id, verifying_since=claim).update(verifying_since=None)


def _invoice_settle(*, invoice_id: int, result: VerifyResult, today: dt.date) -> Invoice:
    """Record the gateway's final word on a claimed invoice, under its row lock."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("plan").get(pk=invoice_id)
        if invoice.status != Invoice.Status.PENDING:
            # Settled meanwhile by a caller that took over a claim gone stale: it stands.
            if result.paid and invoice.status != Invoice.Status.PAID:
                logger.error(
                    "Gateway confirmed payment %s (ref %s) of invoice %s, already settled as %s",
                    invoice.authority,
                    result.ref_id,
                    invoice.number,
                    invoice.status,
                )
            return invoice
        invoice.verifying_since = None
        if not result.paid:
            invoice.status = Invoice.Status.CANCELLED if result.status == "cancelled" else Invoice.Status.FAILED
            invoice.failure_reason = f"{result.code}: {result.message}"[:200]
            invoice.save(update_fields=["status", "failure_reason", "verifying_since"])
            audit_record(
                actor=None,
                action="invoice.unpaid",
                target=invoice,
                data={"code": result.code, "status": invoice.status},
            )
            return invoice
        agent = _locked(invoice.agent)
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = timezone.now()
        invoice.ref_id = result.ref_id
        invoice.card_pan = result.card_pan
        invoice.save(update_fields=["status", "paid_at", "ref_id", "card_pan", "verifying_since"])
        subscription = _subscription_extend(agent=agent, invoice=invoice, today=today)
        audit_record(
            actor=None,
            action="invoice.paid",
            target=invoice,
            data={"ref_id": result.ref_id, "amount": invoice.amount, "ends_on": subscription.ends_on.isoformat()},
        )
        _tell(
            agent,
            _("بیمه مال: پرداخت صورتحساب %(number)s انجام شد. اشتراک شما تا %(date)s فعال است. کد پیگیری: %(ref)s")
            % {
                "number": invoice.number,
                "date": to_persian_digits(format_jalali(subscription.ends_on)),
                "ref": result.ref_id,
            },
        )
    return invoice


def _subscription_extend(*, agent: Agent, invoice: Invoice, today: dt.date) -> Subscription:
    """Add the paid period after the current coverage: renewing early loses no day."""
    end = coverage_end(agent)
    starts_on = max(today, end + dt.timedelta(days=1)) if end else today
    return Subscription.objects.create(
        agent=agent,
        kind=Subscription.Kind.PAID,
        plan=invoice.plan,
        invoice=invoice,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=invoice.plan.days - 1),
    )


# --- Payments whose verify got no answer -----------------------------------------------------------


def invoice_payment_recheck(*, agent: Agent, invoice_id) -> Invoice:
    """The agent's "check again" for a payment the gateway did not confirm in time.

    Goes through `payment_complete`, so the same claim, the same verify for our amount and
    the same single extension apply; a settled invoice comes back as it is, and so does a
    second click (or one while another verify of it is under way: still pending). Another
    agent's invoice is a 404 (`invoice_for_agent`).
    """
    invoice = invoice_for_agent(agent=agent, invoice_id=invoice_id)
    if invoice.status != Invoice.Status.PENDING:
        return invoice
    if not invoice.authority:
        # Never reached the gateway (the process died between issuing and the request).
        raise ConflictError(
            _("این صورتحساب به درگاه پرداخت نرسیده است و پرداختی برای آن انجام نشده؛ اشتراک را دوباره بخرید."),
            code="not_sent_to_gateway",
        )
    return payment_complete(authority=invoice.authority)


def payments_reconcile(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Settle payments left pending because the gateway did not answer our verify.

    Pending invoices with an authority, older than `payment_reconcile_after` and younger
    than `payment_pending_lifetime`, are verified again through `payment_complete`, one
    by one: a gateway still down for one leaves it pending and the loop goes on. Older
    ones are expired as failed without asking the gateway. Safe to run twice or at once
    with a callback: `payment_complete` verifies only an invoice it has claimed, and
    expiry re-checks under the row lock that the invoice is pending and not being
    verified. Returns counts.
    """
    now = now or timezone.now()
    oldest = now - conf.payment_pending_lifetime()
    counts = {"paid": 0, "unpaid": 0, "still_pending": 0, "expired": 0, "deferred": 0}
    stale = Invoice.objects.filter(status=Invoice.Status.PENDING, created_at__lt=oldest).order_by("id")
    for invoice_id in stale.values_list("id", flat=True):
        if _invoice_expire(invoice_id=invoice_id, now=now):
            counts["expired"] += 1
    due = (
        Invoice.objects.filter(
            status=Invoice.Status.PENDING,
            authority__isnull=False,
            created_at__gte=oldest,
            created_at__lte=now - conf.payment_reconcile_after(),
        )
        .order_by("created_at", "id")
        .values_list("authority", flat=True)
    )
    deadline = time.monotonic() + conf.payment_reconcile_budget_seconds()
    for authority in list(due):
        if time.monotonic() >= deadline:
            counts["deferred"] += 1
            continue
        try:
            invoice = payment_complete(authority=authority)
        except PaymentUnavailableError:
            counts["still_pending"] += 1
            continue
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            # One broken row must not hold back every other payment on every run.
            logger.exception("Reconciling the payment %s failed", authority)
            counts["still_pending"] += 1
            continue
        if invoice.status == Invoice.Status.PENDING:
            counts["still_pending"] += 1  # a callback or "check again" is verifying it right now
        else:
            counts["paid" if invoice.status == Invoice.Status.PAID else "unpaid"] += 1
    return counts


def _invoice_expire(*, invoice_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        # Re-read under the lock: a verify settling it holds the lock, and a verify still
        # waiting for the gateway holds a (fresh) claim; either way the payer may have paid.
        stale = now - conf.payment_verify_claim_lifetime()
        invoice = (
            Invoice.objects.select_for_update()
            .filter(pk=invoice_id, status=Invoice.Status.PENDING)
            .filter(Q(verifying_since__isnull=True) | Q(verifying_since__lt=stale))
            .first()
        )
        if invoice is None:
            return False
        invoice.status = Invoice.Status.FAILED
        invoice.failure_reason = "expired: no verified payment in time"
        invoice.verifying_since = None
        invoice.save(update_fields=["status", "failure_reason", "verifying_since"])
        audit_record(
            actor=None,
            action="invoice.expire",
            target=invoice,
            data={
                "authority": invoice.authority or "",
                "age_hours": int((now - invoice.created_at).total_seconds() // 3600),
            },
        )
    return True


# --- Reminders -------------------------------------------------------------------------------


def subscription_expiry_notify(*, today: dt.date | None = None) -> int:
    """Warn agents whose coverage ends within a few days, and when it has ended; once each.

    Only the last period of each agent counts (a renewed agent is not warned about the
    period they already extended). Each notice is claimed by a unique row before the
    SMS is queued, so two runs — or two workers — never send the same warning twice.
    Returns how many notices were sent.
    """
    today = today or timezone.localdate()
    warn_from = today + dt.timedelta(days=conf.expiry_warning_days())
    oldest = today - dt.timedelta(days=conf.expired_notice_window_days())
    last_end = Subscription.objects.filter(agent=OuterRef("agent")).order_by("-ends_on").values("ends_on")[:1]
    candidates = (
        Subscription.objects.filter(ends_on__gte=oldest, ends_on__lte=warn_from)
        .annotate(last_end=Subquery(last_end))
        .select_related("agent__user")
        .order_by("id")
    )
    sent = 0
    for subscription in candidates:
        if subscription.ends_on != subscription.last_end:
            continue
        days_to_end = (subscription.ends_on - today).days
        kind = SubscriptionNotice.Kind.EXPIRING if days_to_end >= 0 else SubscriptionNotice.Kind.EXPIRED
        if _subscription_notice_send(subscription=subscription, kind=kind, days_left=days_to_end + 1):
            sent += 1
    return sent


def _subscription_notice_send(*, subscription: Subscription, kind: str, days_left: int) -> bool:
    agent = subscription.agent
    with transaction.atomic():
        try:
            with transaction.atomic():
                SubscriptionNotice.objects.create(subscription=subscription, kind=kind)
        except IntegrityError:
            return False
        if kind == SubscriptionNotice.Kind.EXPIRING:
            text = _(
                "بیمه مال: اشتراک شما %(days)s روز دیگر (پایان %(date)s) تمام می‌شود. "
                "برای باز ماندن درگاه ارتباطی آن را تمدید کنید."
            ) % {"days": to_persian_digits(days_left), "date": to_persian_digits(format_jalali(subscription.ends_on))}
        else:
            text = _("بیمه مال: اشتراک شما به پایان رسید و درگاه ارتباطی بسته شد. برای ادامه، اشتراک را تمدید کنید.")
        _tell(agent, text)
    return True
