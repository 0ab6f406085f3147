"""Reads for the Saman export: the solar month's bounds and its four record streams.

Each stream is a `values_list` in a fixed order (event time, then id), so the same data
always gives the same bytes, and is read with `.iterator(chunk_size=…)`: no model
instances, no list of every row (a million policies must fit in a few hundred MB).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import jdatetime
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import Claim
from core.exceptions import ForbiddenError, NotFoundError
from core.jalali import solar_month_bounds
from policies.models import Endorsement, Policy
from saman.models import SamanExport

# Saman is an Iranian system and the month is a solar month in Tehran, whatever the
# server's TIME_ZONE says.
TEHRAN = ZoneInfo("Asia/Tehran")

# The policy AS ISSUED [001]: the terms frozen at issue (`Policy.issued_*`), not the current
# row, which endorsements change (sum insured, end date, owner). The endorsements are their
# own E lines; so regenerating a closed month gives the same P lines whatever came after.
# A row issued before the snapshot columns existed falls back to its current values.
POLICY_FIELDS = (
    "id",
    "insurer__code",
    "line__code",
    "number",
    Coalesce(NullIf("issued_national_code", Value("")), "customer__national_code"),
    "issued_at",
    "starts_on",
    Coalesce("issued_ends_on", "ends_on"),
    Coalesce("issued_sum_insured", "sum_insured"),
    Coalesce("issued_premium", "premium"),
    "payment_plan",
)
ENDORSEMENT_FIELDS = (
    "id",
    "policy_id",
    "policy__insurer__code",
    "policy__number",
    "number",
    "kind",
    "issued_at",
    "effective_on",
    "premium_delta",
)
CANCELLATION_FIELDS = (
    "id",
    "insurer__code",
    "number",
    "status",
    "cancelled_at",
    "cancellation_on",
    "cancellation_by",
    "cancellation_kept",
    "cancellation_refund",
)
CLAIM_FIELDS = (
    "id",
    "policy_id",
    "policy__insurer__code",
    "policy__number",
    "occurred_on",
    "paid_at",
    "paid_amount",
    "cause",
)


def saman_period_bounds(*, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """[00:00 of the month's first day, 00:00 of the next month's) in Tehran, as aware datetimes."""
    first, following = solar_month_bounds(year, month)
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=TEHRAN),
        dt.datetime.combine(following, dt.time.min, tzinfo=TEHRAN),
    )


def saman_month_is_closed(*, year: int, month: int, now: dt.datetime | None = None) -> bool:
    _, end = saman_period_bounds(year=year, month=month)
    return (now or timezone.now()) >= end


def saman_last_closed_month(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """The solar month before the one `now` falls in (Tehran)."""
    today = (now or timezone.now()).astimezone(TEHRAN).date()
    jtoday = jdatetime.date.fromgregorian(date=today)
    if jtoday.month == 1:
        return jtoday.year - 1, 12
    return jtoday.year, jtoday.month - 1


def saman_policies_issued(*, start: dt.datetime, end: dt.datetime) -> QuerySet:
    return (
        Policy.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .order_by("issued_at", "id")
        .values_list(*POLICY_FIELDS)
    )


def saman_endorsements_issued(*, start: dt.datetime, end: dt.datetime) -> QuerySet:
    return (
        Endorsement.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .order_by("issued_at", "id")
        .values_list(*ENDORSEMENT_FIELDS)
    )


def saman_cancellations(*, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """Cancellations (فسخ) and annulments (ابطال) decided in the month."""
    return (
        Policy.objects.filter(cancelled_at__gte=start, cancelled_at__lt=end)
        .order_by("cancelled_at", "id")
        .values_list(*CANCELLATION_FIELDS)
    )


def saman_claims_paid(*, start: dt.datetime, end: dt.datetime) -> QuerySet:
    return (
        Claim.objects.filter(status=Claim.Status.PAID, paid_at__gte=start, paid_at__lt=end)
        .order_by("paid_at", "id")
        .values_list(*CLAIM_FIELDS)
    )


def saman_export_for_download(*, user, export_id: int) -> SamanExport:
    """The one permission chokepoint for export files: staff with the download permission."""
    if not (user.is_active and user.is_staff and user.has_perm("saman.download_samanexport")):
        raise ForbiddenError(_("اجازه دریافت خروجی سامان را ندارید."))
    export = SamanExport.objects.filter(pk=export_id).first()
    if export is None or export.status != SamanExport.Status.DONE or not export.file_name:
        # One answer for a missing export and one not ready yet: there is no file to give.
        raise NotFoundError(_("فایل این خروجی پیدا نشد یا هنوز آماده نیست."))
    return export
