"""Payments whose verify got no answer: the recheck and the periodic reconciliation."""

import datetime as dt
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agents import conf
from agents.models import (
    Agent,
    Invoice,
)
from agents.selectors import invoice_for_agent
from agents.services.common import PaymentUnavailableError
from agents.services.subscriptions import payment_complete
from core.exceptions import ConflictError
from core.services import audit_record

logger = logging.getLogger(__name__)


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
