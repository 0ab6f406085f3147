"""The month's Saman file reports each policy AS ISSUED [001]: its sum insured, premium, end
date and insured at issue, whatever endorsements change later; the endorsements are their own
lines; a closed month regenerated gives the same policy lines."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from core.jalali import solar_month_bounds
from policies import services as policy_services
from policies.models import Endorsement, Policy
from saman import services
from saman.models import SamanExport
from saman.selectors import TEHRAN
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import link_confirmed, make_agent, record

pytestmark = pytest.mark.django_db

YEAR, MONTH = 1404, 7  # Mehr 1404: 2025-09-23 .. 2025-10-22, long closed
FIRST, FOLLOWING = solar_month_bounds(YEAR, MONTH)
ISSUED_AT = dt.datetime.combine(FIRST + dt.timedelta(days=2), dt.time(10), tzinfo=TEHRAN)


def lines_of(export: SamanExport, kind: str) -> list[str]:
    content = (Path(settings.PRIVATE_MEDIA_ROOT) / export.file_name).read_text()
    return [line for line in content.splitlines() if line.startswith(f"{kind}|")]


def issued_in_the_month(policy: Policy) -> Policy:
    Policy.objects.filter(pk=policy.pk).update(issued_at=ISSUED_AT)
    policy.refresh_from_db()
    return policy


@pytest.fixture
def agent():
    return make_agent()


@pytest.fixture
def policy(agent):
    customer = UserFactory(national_code="0499370899")
    return issued_in_the_month(
        record(agent, customer, issued_on=FIRST, policy_number="S-1", sum_insured=500_000_000, premium=10_000_000)
    )


def _linked_new_owner(agent):
    new_owner = UserFactory(national_code="0012345679")
    link_confirmed(agent, new_owner)
    return new_owner


def endorse_everything(agent, policy: Policy) -> None:
    """A larger sum insured (additional premium), a new owner, a later end date, all after issue."""
    policy_services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind=Endorsement.Kind.ADDITIONAL,
        changes={"sum_insured": 800_000_000},
        premium_delta=4_000_000,
        effective_on=FIRST + dt.timedelta(days=10),
    )
    policy_services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind=Endorsement.Kind.NO_FINANCIAL_EFFECT,
        changes={"owner_mobile": _linked_new_owner(agent).mobile},
        premium_delta=0,
        effective_on=FIRST + dt.timedelta(days=11),
    )
    # A renewal under a year is an endorsement that moves the end date [001].
    policy_services.policy_renew(
        user=agent.user, policy=policy, ends_on=policy.ends_on + dt.timedelta(days=90), premium=3_000_000
    )


@pytest.mark.rule("R-226")
def test_the_month_file_reports_the_policy_as_issued_not_as_endorsed(agent, policy):
    as_issued = (
        f"P|{policy.pk}|{policy.insurer.code}|fire|S-1|0499370899|14040703|14040701|14050701|500000000|10000000|cash"
    )
    endorse_everything(agent, policy)
    policy.refresh_from_db()
    assert policy.sum_insured == 800_000_000  # the row moved on

    export = services.saman_export_month(year=YEAR, month=MONTH)

    assert lines_of(export, "P") == [as_issued]


@pytest.mark.rule("R-226")
def test_a_policy_issued_after_waiting_is_reported_with_its_terms_at_issue(agent):
    customer = UserFactory()
    waiting = record(agent, customer, issued_on=FIRST, policy_number="S-2", special_cases=["discount_request"])
    assert waiting.issued_sum_insured is None
    policy_services.policy_authorise(user=StaffFactory(), policy=waiting, reference="1")
    policy_services.policy_mark_issued(user=agent.user, policy=waiting)
    waiting.refresh_from_db()
    assert (waiting.issued_sum_insured, waiting.issued_premium, waiting.issued_ends_on) == (
        waiting.sum_insured,
        waiting.premium,
        waiting.ends_on,
    )
    assert waiting.issued_national_code == customer.national_code


@pytest.mark.rule("R-226")
def test_endorsements_are_their_own_lines_beside_the_policy_as_issued(agent, policy):
    endorse_everything(agent, policy)
    Endorsement.objects.filter(policy=policy).update(issued_at=ISSUED_AT + dt.timedelta(days=8))

    export = services.saman_export_month(year=YEAR, month=MONTH)

    assert [line.split("|")[-1] for line in lines_of(export, "E")] == ["4000000", "0", "3000000"]
    assert lines_of(export, "P")[0].split("|")[-3:-1] == ["500000000", "10000000"]
    assert export.counts["premium"] == 10_000_000 and export.counts["endorsement_delta"] == 7_000_000


@pytest.mark.rule("R-227")
def test_regenerating_a_closed_month_after_endorsements_gives_the_same_policy_lines(agent, policy):
    first = services.saman_export_month(year=YEAR, month=MONTH)
    before = lines_of(first, "P")

    endorse_everything(agent, policy)
    again = services.saman_export_regenerate(export=first, actor=StaffFactory())

    assert again.version == 2
    assert lines_of(again, "P") == before
