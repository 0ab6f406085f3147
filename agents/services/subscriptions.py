"""Subscriptions: the free trial, buying a plan and settling its invoice."""

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from agents import conf
from agents.models import (
    Agent,
    Invoice,
    Plan,
    Subscription,
    TrialUsage,
)
from agents.payments import GatewayError, VerifyResult, get_gateway
from agents.selectors import coverage_end
from agents.services.common import PaymentUnavailableError, _locked
from core.exceptions import ApplicationError, ConflictError, NotFoundError
from core.jalali import format_jalali, solar_year
from core.services import audit_record
from core.text import prefix_once, to_persian_digits

logger = logging.getLogger(__name__)


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
        notify(
            agent.user,
            _("اشتراک آزمایشی %(days)s روزه شما فعال شد.") % {"days": to_persian_digits(days)},
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
        notify(
            agent.user,
            _("بیمه مال: پرداخت صورتحساب %(number)s انجام شد. اشتراک شما تا %(date)s فعال است. کد پیگیری: %(ref)s")
            % {
                "number": invoice.number,
                "date": to_persian_digits(format_jalali(subscription.ends_on)),
                "ref": result.ref_id,
            },
            url=reverse("agents:dashboard"),
            sms=True,
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
