"""Reminders before a subscription ends."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from agents import conf
from agents.models import (
    Subscription,
    SubscriptionNotice,
)
from core.jalali import format_jalali
from core.text import to_persian_digits

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
        notify(agent.user, text, url=reverse("agents:dashboard"), sms=True)
    return True
