"""Rows that make each periodic job have exactly one thing to do."""

import datetime as dt

import jdatetime
from django.utils import timezone

from agents.models import Invoice, SandboxPayment, Subscription
from agents.selectors import plan_by_code
from agents.services import subscription_purchase_start
from core.jalali import solar_month_bounds
from declarations.models import FloatingPolicy
from insurance_requests.models import Delivery, InsuranceRequest
from insurers.models import InsuranceLine, Province
from saman.selectors import TEHRAN, saman_last_closed_month
from tests.factories import UserFactory
from tests.policies.helpers import make_agent, record


def today() -> dt.date:
    return timezone.localdate()


def due_renewal(*, agent=None, customer=None, ends_in_days=20):
    """A fire policy ending in `ends_in_days` days: due for the month-before invitation."""
    agent = agent or make_agent()
    customer = customer or UserFactory()
    starts_on = today() + dt.timedelta(days=ends_in_days - 365)
    return record(agent, customer, starts_on=starts_on, issued_on=starts_on, length=365)


def expiring_subscription():
    agent = make_agent(gateway=False)
    ends_on = today() + dt.timedelta(days=2)
    Subscription.objects.create(agent=agent, kind="trial", starts_on=ends_on - dt.timedelta(days=6), ends_on=ends_on)
    return agent


def unconfirmed_payment():
    """Paid at the (sandbox) bank half an hour ago; the callback never reached us."""
    agent = make_agent()
    invoice, _url = subscription_purchase_start(
        agent=agent, plan=plan_by_code("monthly"), callback_url="http://testserver/agent/payments/callback/"
    )
    SandboxPayment.objects.filter(authority=invoice.authority).update(outcome="paid", ref_id="4242")
    Invoice.objects.filter(pk=invoice.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    return invoice


def stale_request():
    return InsuranceRequest.objects.create(
        customer=UserFactory(),
        line=InsuranceLine.objects.get(code="fire"),
        params={},
        province=Province.objects.get(code="tehran"),
        city="تهران",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )


def unanswered_delivery():
    request = InsuranceRequest.objects.create(
        customer=UserFactory(),
        line=InsuranceLine.objects.get(code="fire"),
        params={},
        province=Province.objects.get(code="tehran"),
        city="تهران",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    delivery = Delivery.objects.create(request=request, agent=make_agent())
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    return delivery


def policy_issued_last_month():
    """A policy whose issue time falls in the last closed solar month (for the export)."""
    year, month = saman_last_closed_month()
    first, _following = solar_month_bounds(year, month)
    policy = record(make_agent(), UserFactory(), issued_on=first, starts_on=first)
    policy.__class__.objects.filter(pk=policy.pk).update(
        issued_at=dt.datetime.combine(first + dt.timedelta(days=2), dt.time(10, 0), tzinfo=TEHRAN)
    )
    return policy


def day_of_this_solar_month(day: int) -> dt.date:
    jtoday = jdatetime.date.fromgregorian(date=today())
    return jdatetime.date(jtoday.year, jtoday.month, day).togregorian()


def floating_policy(*, starts_days_ago=90):
    starts_on = today() - dt.timedelta(days=starts_days_ago)
    policy = record(make_agent(), UserFactory(), issued_on=starts_on, starts_on=starts_on, length=365)
    return FloatingPolicy.objects.create(policy=policy, max_stock_value=20_000_000_000)


def expired_api_token():
    """An API token unused for longer than its idle lifetime, and a live one that must stay."""
    from django.conf import settings

    from accounts.models import ApiToken

    user = UserFactory()
    idle = dt.timedelta(days=settings.API_TOKEN_IDLE_DAYS)
    stale = ApiToken.objects.create(user=user, key_hash="a" * 64, prefix="aaaaaaaa")
    ApiToken.objects.filter(pk=stale.pk).update(last_used_at=timezone.now() - idle - dt.timedelta(hours=1))
    return ApiToken.objects.create(user=user, key_hash="b" * 64, prefix="bbbbbbbb")
