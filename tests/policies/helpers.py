"""Building blocks for policy and claim tests: agents, accepted requests, recorded policies."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from agents.models import Subscription
from core.jalali import solar_year
from insurance_requests.models import InsuranceRequest, LeadResponse
from insurers.models import InsuranceLine, Province
from policies import services
from policies.models import CustomerLink, Policy
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def make_agent(*, gateway: bool = True, **kwargs):
    """A verified agent; with `gateway`, a trial covering today too, so that recording is
    open to it (issue 13 point 1: recording needs an active gateway)."""
    agent = AgentFactory(verified=True, **kwargs)
    if gateway:
        open_gateway(agent)
    return agent


def open_gateway(agent) -> None:
    Subscription.objects.create(
        agent=agent, kind=Subscription.Kind.TRIAL, starts_on=today() - days(1), ends_on=today() + days(60)
    )


def link_confirmed(agent, customer) -> CustomerLink:
    """The customer confirmed this agent (issue 13 point 1), built from rows: recording by
    their mobile is then open to it. Idempotent."""
    now = timezone.now()
    link, _created = CustomerLink.objects.get_or_create(
        agent=agent,
        mobile=customer.mobile,
        status=CustomerLink.Status.CONFIRMED,
        defaults={
            "customer": customer,
            "created_at": now,
            "expires_at": now + days(7),
            "decided_at": now,
            "confirmed_by": CustomerLink.ConfirmedBy.ACCOUNT,
        },
    )
    return link


def accepted_request(*, customer, agent, line="fire") -> InsuranceRequest:
    """A request this agent won, built from rows (the marketplace's services are not needed)."""
    request = InsuranceRequest.objects.create(
        customer=customer,
        line=InsuranceLine.objects.get(code=line),
        params={},
        province=Province.objects.get(code="tehran"),
        city="تهران",
        expires_at=timezone.now() + days(7),
    )
    response = LeadResponse.objects.create(request=request, agent=agent, insurer=agent.insurer, response_seconds=60)
    request.status = InsuranceRequest.Status.ACCEPTED
    request.accepted_response = response
    request.accepted_at = timezone.now()
    request.save(update_fields=["status", "accepted_response", "accepted_at"])
    return request


_counter = {"n": 0}


def record(
    agent,
    customer,
    *,
    line="fire",
    starts_on=None,
    length=365,
    premium=10_000_000,
    sum_insured=500_000_000,
    paid=True,
    issued_on=None,
    **kwargs,
) -> Policy:
    """A policy through the real service; paid (in force) unless told otherwise."""
    _counter["n"] += 1
    issued_on = issued_on or today()
    if starts_on is None:
        starts_on = issued_on + days(1) if line == "third_party" else issued_on
    kwargs.setdefault("customer_mobile", customer.mobile)
    if not kwargs.get("request"):
        link_confirmed(agent, customer)
    if line == "body":
        # A body policy carries its car's build year (no car over 20 years [004]): a 5-year-old car.
        kwargs["params"] = {"build_year": solar_year(issued_on) - 5, **(kwargs.get("params") or {})}
    return services.policy_record(
        user=agent.user,
        line=line,
        insurer=agent.insurer.code,
        policy_number=kwargs.pop("policy_number", f"P-{_counter['n']:06d}"),
        issued_on=issued_on,
        starts_on=starts_on,
        ends_on=starts_on + days(length),
        premium=premium,
        sum_insured=sum_insured,
        paid_on=issued_on if paid else None,
        **kwargs,
    )


def customer():
    return UserFactory()
