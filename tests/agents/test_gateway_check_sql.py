"""`agent_with_gateway_active` (plain SQL, issue 16 point 2) answers exactly what the ORM's
`agents_gateway_active()` rule answers for one user, in every state the rule looks at."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agents.models import Agent, Subscription, TermsAcceptance, TermsVersion
from agents.selectors import agent_with_gateway_active, agents_gateway_active, terms_current
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _open():
    return active_agent("iran")


def _open_but(*, agent=None, subscription=None):
    """An open agent, then `agent`/`subscription` field changes, each a callable of today."""

    def make():
        made = _open()
        if agent:
            Agent.objects.filter(pk=made.pk).update(**{name: value(_today()) for name, value in agent.items()})
        if subscription:
            Subscription.objects.filter(agent=made).update(
                **{name: value(_today()) for name, value in subscription.items()}
            )
        return made

    return make


DAY = dt.timedelta(days=1)
_not_verified = _open_but(agent={"status": lambda today: Agent.Status.PENDING_VERIFICATION})
_licence_expired_yesterday = _open_but(agent={"licence_expires_on": lambda today: today - DAY})
_licence_expires_today = _open_but(agent={"licence_expires_on": lambda today: today})
_subscription_ended_yesterday = _open_but(subscription={"ends_on": lambda today: today - DAY})
_subscription_ends_today = _open_but(subscription={"ends_on": lambda today: today})
_subscription_starts_tomorrow = _open_but(subscription={"starts_on": lambda today: today + DAY})
_subscription_starts_today = _open_but(subscription={"starts_on": lambda today: today})


def _no_subscription():
    agent = _open()
    Subscription.objects.filter(agent=agent).delete()
    return agent


def _older_terms_only():
    agent = _open()
    current = terms_current()
    TermsVersion.objects.create(version=current.version + 1, text="نسخه تازه", published_at=timezone.now())
    return agent


def _newer_terms_not_yet_published():
    agent = _open()
    current = terms_current()
    TermsVersion.objects.create(
        version=current.version + 1, text="نسخه آینده", published_at=timezone.now() + dt.timedelta(hours=1)
    )
    return agent


def _no_terms_accepted():
    agent = _open()
    TermsAcceptance.objects.filter(agent=agent).delete()
    return agent


def _no_terms_published():
    agent = _open()
    TermsAcceptance.objects.all().delete()
    TermsVersion.objects.all().delete()
    return agent


def _pending_terms():
    return AgentFactory()


STATES = [
    _open,
    _not_verified,
    _licence_expired_yesterday,
    _licence_expires_today,
    _subscription_ended_yesterday,
    _subscription_ends_today,
    _subscription_starts_tomorrow,
    _subscription_starts_today,
    _no_subscription,
    _older_terms_only,
    _newer_terms_not_yet_published,
    _no_terms_accepted,
    _no_terms_published,
    _pending_terms,
]


def _fields(instance):
    return {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


NAMES = {make: name.strip("_") for name, make in globals().items() if make in STATES}


@pytest.mark.parametrize("make", STATES, ids=NAMES.get)
def test_the_sql_check_answers_what_the_orm_rule_answers(make):
    agent = make()
    reference = agents_gateway_active().select_related("insurer").filter(user=agent.user).first()

    found = agent_with_gateway_active(agent.user)

    if reference is None:
        assert found is None
    else:
        assert _fields(found) == _fields(reference)
        assert _fields(found.insurer) == _fields(reference.insurer)


def test_states_the_rule_opens_and_closes_are_both_in_the_matrix():
    # Guards the test above against a matrix that only ever compares None with None.
    opened = {NAMES[make] for make in STATES if agent_with_gateway_active(make().user) is not None}

    assert opened == {
        "open",
        "licence_expires_today",
        "subscription_ends_today",
        "subscription_starts_today",
        "newer_terms_not_yet_published",
    }


def test_a_customer_and_an_anonymous_visitor_have_no_open_gateway():
    assert agent_with_gateway_active(UserFactory()) is None
    assert agent_with_gateway_active(AnonymousUser()) is None
    assert agent_with_gateway_active(None) is None


def test_the_check_is_one_query_and_the_insurer_comes_with_it():
    agent = _open()

    with CaptureQueriesContext(connection) as queries:
        found = agent_with_gateway_active(agent.user)
        assert found.insurer.code == "iran"

    assert len(queries.captured_queries) == 1
    assert found.pk == agent.pk and not found._state.adding
