"""Demo helpers for `make run` shared by the demos of the apps above policies (saman,
declarations): a verified demo agent with an open gateway, its confirmed link to the demo
customer, and a fire policy recorded through `policy_record`. Idempotent. No rows of its
own: `load_demo_data` lists only the modules that have a `load`.

They lived in saman/demo.py; declarations sits beside saman, not above it, so the shared
part moved down to the app whose rows it makes (issue 15 point 6).
"""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from agents.models import Agent, Subscription, TermsAcceptance
from agents.selectors import terms_current
from insurers.models import Insurer, Province
from policies.models import CustomerLink, Policy
from policies.services import policy_record

DEMO_AGENT_MOBILE = "09122222222"
DEMO_CUSTOMER_MOBILE = "09121111111"  # created by load_demo_data


def demo_agent() -> Agent:
    user, _ = User.objects.get_or_create(
        mobile=DEMO_AGENT_MOBILE,
        defaults={"first_name": "رضا", "last_name": "نماینده نمونه", "mobile_verified_at": timezone.now()},
    )
    agent, _ = Agent.objects.get_or_create(
        user=user,
        defaults={
            "insurer": Insurer.objects.get(code="iran"),
            "agency_code": "9001",
            "agency_name": "نمایندگی نمونه بیمه مال",
            "province": Province.objects.get(code="tehran"),
            "city": "تهران",
            "postal_address": "تهران، خیابان ولیعصر، پلاک ۱",
            "postal_code": "1234567890",
            "office_phone": "02188776655",
            "status": Agent.Status.VERIFIED,
            "licence_number": "DEMO-LIC",
            "licence_expires_on": timezone.localdate() + dt.timedelta(days=365),
        },
    )
    return agent


def _demo_relationship(agent: Agent) -> None:
    """What recording by mobile needs since issue 13 point 1: the agent's gateway open (a
    subscription in force) and the customer's confirmed link to this agent."""
    today = timezone.localdate()
    terms = terms_current()
    if terms is not None and not TermsAcceptance.objects.filter(agent=agent, terms=terms).exists():
        TermsAcceptance.objects.create(agent=agent, terms=terms, plan=agent.chosen_plan, ip="127.0.0.1")
    if not agent.subscriptions.filter(starts_on__lte=today, ends_on__gte=today).exists():
        Subscription.objects.create(
            agent=agent, kind=Subscription.Kind.TRIAL, starts_on=today, ends_on=today + dt.timedelta(days=6)
        )
    customer = User.objects.get(mobile=DEMO_CUSTOMER_MOBILE)
    now = timezone.now()
    CustomerLink.objects.get_or_create(
        agent=agent,
        mobile=customer.mobile,
        status=CustomerLink.Status.CONFIRMED,
        defaults={
            "customer": customer,
            "created_at": now,
            "expires_at": now + dt.timedelta(days=7),
            "decided_at": now,
            "confirmed_by": CustomerLink.ConfirmedBy.ACCOUNT,
        },
    )


def demo_fire_policy(*, number: str, starts_on: dt.date, length_days: int = 365) -> Policy:
    existing = Policy.objects.filter(number=number).first()
    if existing:
        return existing
    agent = demo_agent()
    _demo_relationship(agent)
    return policy_record(
        user=agent.user,
        line="fire",
        insurer=agent.insurer.code,
        policy_number=number,
        customer_mobile=DEMO_CUSTOMER_MOBILE,
        issued_on=starts_on,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=length_days),
        premium=12_000_000,
        sum_insured=800_000_000,
        params={"building_type": "residential"},
        paid_on=starts_on,
    )
