"""Figures for the staff dashboard: a read-only selector over a date range (Asia/Tehran days)."""

import datetime as dt
import statistics
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from agents.models import Subscription
from agents.selectors import agents_gateway_active
from core.jalali import format_jalali
from insurance_requests.models import InsuranceRequest, LeadResponse

TEHRAN = ZoneInfo("Asia/Tehran")


def _bounds(start: dt.date, end: dt.date):
    """Aware datetimes for [start 00:00, end+1 00:00) in Tehran."""
    first = dt.datetime.combine(start, dt.time.min, tzinfo=TEHRAN)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=TEHRAN)
    return first, after


def marketplace_stats(*, start: dt.date, end: dt.date) -> dict:
    first, after = _bounds(start, end)
    per_day = dict(
        InsuranceRequest.objects.filter(created_at__gte=first, created_at__lt=after)
        .annotate(day=TruncDate("created_at", tzinfo=TEHRAN))
        .values("day")
        .annotate(total=Count("id"))
        .order_by()
        .values_list("day", "total")
    )
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    responses = LeadResponse.objects.filter(created_at__gte=first, created_at__lt=after)
    by_insurer = (
        responses.values("insurer__name")
        .annotate(
            answered=Count("id"),
            accepted=Count("id", filter=Q(status__in=[LeadResponse.Status.ACCEPTED, LeadResponse.Status.ENDED])),
        )
        .order_by("-answered", "insurer__name")
    )
    seconds = list(responses.values_list("response_seconds", flat=True))
    today = timezone.localdate()
    # An agent who pays during the free trial is a paying subscriber at once, although the
    # paid period is queued after the trial (renewals lose no day): count them as paid, and
    # as trial only the agents on a trial with nothing bought (issue 14 point 10).
    covered = Subscription.objects.filter(starts_on__lte=today, ends_on__gte=today).values("agent")
    paying = Subscription.objects.filter(kind=Subscription.Kind.PAID, ends_on__gte=today, agent__in=covered)
    paying_agents = paying.values("agent")
    subscriptions = {
        "paid": paying.values("agent").distinct().count(),
        "trial": Subscription.objects.filter(kind=Subscription.Kind.TRIAL, starts_on__lte=today, ends_on__gte=today)
        .exclude(agent__in=paying_agents)
        .values("agent")
        .distinct()
        .count(),
    }
    return {
        "days": [format_jalali(day) for day in days],
        "requests_per_day": [per_day.get(day, 0) for day in days],
        "insurers": [row["insurer__name"] for row in by_insurer],
        "responses_per_insurer": [row["answered"] for row in by_insurer],
        "acceptances_per_insurer": [row["accepted"] for row in by_insurer],
        "median_response_seconds": int(statistics.median(seconds)) if seconds else None,
        "requests_total": sum(per_day.values()),
        "responses_total": len(seconds),
        "active_agents": agents_gateway_active().count(),
        "subscriptions": subscriptions,
    }
