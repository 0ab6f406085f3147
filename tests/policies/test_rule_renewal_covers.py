"""A fire renewal that adds a cover needing a new visit (pipe burst, rain and snow, theft,
landslide, well collapse, avalanche [001]) waits for the inspection like the endorsement that
adds it, even within the two years; a renewal with the same covers does not."""

import pytest

from policies import services
from policies.models import Policy
from tests.policies.helpers import days, record

pytestmark = pytest.mark.django_db


def renew(agent, policy, **kwargs):
    return services.policy_renew(
        user=agent.user,
        policy=policy,
        ends_on=policy.ends_on + days(365),
        premium=1,
        policy_number=f"R-{policy.pk}",
        **kwargs,
    )


@pytest.mark.rule("R-241")
def test_a_renewal_adding_theft_waits_for_the_inspection(agent, customer):
    policy = record(agent, customer, covers=["earthquake"])
    renewal = renew(agent, policy, covers=["earthquake", "theft"])
    assert renewal.inspection_required and renewal.status == Policy.Status.PENDING_ISSUE


@pytest.mark.rule("R-241")
def test_a_renewal_with_the_same_or_other_covers_is_issued_within_two_years(agent, customer):
    policy = record(agent, customer, covers=["earthquake"])
    assert renew(agent, policy).status == Policy.Status.ISSUED
    other = record(agent, customer, covers=[])
    renewal = renew(agent, other, covers=["earthquake"])
    assert not renewal.inspection_required and renewal.status == Policy.Status.ISSUED


@pytest.mark.rule("R-241")
def test_the_renew_api_says_the_renewal_waits_for_the_inspection(agent, agent_api, customer):
    policy = record(agent, customer, covers=[])
    body = {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 1, "policy_number": "R-9"}
    response = agent_api.post(f"/api/v1/policies/{policy.pk}/renew/", {**body, "covers": ["pipe_burst"]}, format="json")
    assert response.status_code == 201
    assert response.json()["policy"]["status"] == Policy.Status.PENDING_ISSUE
