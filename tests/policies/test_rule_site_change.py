"""A fire policy that moves to a new address names the new site's postal code when it was
identified by one, and is held to the double-insurance rule on the new site [004]
«بیمه مضاعف (بیمه نمودن یک محل مشخص …) امکان پذیر نیست»; once moved, it insures the new site.
Refused on the service, the API (400 on `changes`) and the page (on the postal code, typed
value kept), with no endorsement written."""

import pytest
from django.test import Client

from core.exceptions import ApplicationError
from policies import services
from policies.models import Endorsement, Policy
from tests.factories import UserFactory
from tests.policies.helpers import record

pytestmark = pytest.mark.django_db

HOME = {"property_type": "residential", "postal_code": "1234567890", "unit": "4"}
NEW_SITE = {"property_type": "residential", "postal_code": "9876543210", "unit": "1"}
NEW_ADDRESS = "شیراز، خیابان زند، پلاک ۵"


def move(agent, policy, **changes):
    return services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind="no_financial_effect",
        changes={"address": NEW_ADDRESS, **changes},
    )


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value


@pytest.mark.rule("R-224")
def test_a_home_cannot_move_to_a_site_insured_by_another_live_policy(agent, customer):
    other = record(agent, UserFactory(), params=dict(NEW_SITE))
    policy = record(agent, customer, params=dict(HOME))
    refused = refusal(lambda: move(agent, policy, postal_code="۹۸۷۶۵-۴۳۲۱۰", unit="1"))
    assert (refused.field, refused.code) == ("changes", "double_insurance")
    assert other.number in refused.message
    policy.refresh_from_db()
    assert policy.params["postal_code"] == "1234567890" and "address" not in policy.params
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_a_move_of_an_identified_home_needs_the_new_postal_code(agent, customer):
    policy = record(agent, customer, params=dict(HOME))
    missing = refusal(lambda: move(agent, policy))
    assert missing.code == "site_postal_code_missing"
    bad = refusal(lambda: move(agent, policy, postal_code="123"))
    assert bad.code == "bad_site_postal_code"
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_once_moved_the_policy_insures_the_new_site_and_not_the_old(agent, customer):
    policy = record(agent, customer, params=dict(HOME))
    move(agent, policy, postal_code="9876543210", unit="1")
    policy.refresh_from_db()
    assert policy.params["postal_code"] == "9876543210" and policy.property_key == "fire:9876543210:1"
    refused = refusal(lambda: record(agent, UserFactory(), params=dict(NEW_SITE)))
    assert refused.code == "double_insurance"
    assert record(agent, UserFactory(), params=dict(HOME)).pk
    assert Policy.objects.count() == 2


@pytest.mark.rule("R-224")
def test_the_endorsement_api_refuses_a_move_to_an_insured_site(agent, agent_api, customer):
    record(agent, UserFactory(), params=dict(NEW_SITE))
    policy = record(agent, customer, params=dict(HOME))
    changes = {"address": NEW_ADDRESS, "postal_code": "9876543210", "unit": "1"}
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "no_financial_effect", "changes": changes},
        format="json",
    )
    assert response.status_code == 400
    assert "بیمه مضاعف" in response.json()["changes"][0]
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_the_endorsement_page_shows_it_on_the_postal_code_and_keeps_it(agent, customer):
    record(agent, UserFactory(), params=dict(NEW_SITE))
    policy = record(agent, customer, params=dict(HOME))
    browser = Client()
    browser.force_login(agent.user)
    form = {
        "kind": "no_financial_effect",
        "address": NEW_ADDRESS,
        "postal_code": "9876543210",
        "unit": "1",
        "confirm": "1",
    }
    response = browser.post(f"/policies/{policy.pk}/endorsements/new/", form)
    assert response.status_code == 200
    assert "بیمه مضاعف" in response.context["form"].errors["postal_code"][0]
    assert 'value="9876543210"' in response.content.decode()
    assert not Endorsement.objects.exists()
