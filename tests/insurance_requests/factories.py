import datetime as dt

from django.utils import timezone

from agents.models import Subscription
from insurers.models import Insurer, Province
from tests.agents.factories import AgentFactory

THIRD_PARTY = {"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 3}


def active_agent(insurer="iran", province="tehran", serves=None, **kwargs):
    """A verified agent with an open gateway: terms accepted, licence valid, a trial covering today."""
    agent = AgentFactory(
        verified=True,
        insurer=Insurer.objects.get(code=insurer),
        province=Province.objects.get(code=province),
        **kwargs,
    )
    if serves:
        agent.service_provinces.set(Province.objects.filter(code__in=serves))
    today = timezone.localdate()
    Subscription.objects.create(
        agent=agent,
        kind=Subscription.Kind.TRIAL,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=6),
    )
    return agent


def request_payload(**overrides):
    payload = {
        "line": "third_party",
        "insurers": ["iran", "asia"],
        "params": THIRD_PARTY,
        "province": "tehran",
        "city": "تهران",
        "note": "پلاک شخصی",
    }
    payload.update(overrides)
    return payload


def offer_payload(**overrides):
    """A valid body for POST /api/v1/agent/leads/<id>/respond/ (issue 14 point 1) for tests about
    something else: a premium far above any tariff floor, cash, valid for a week."""
    payload = {
        "premium": 20_000_000_000,
        "payment_plan": "cash",
        "valid_until": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    payload.update(overrides)
    return payload
