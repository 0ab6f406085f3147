"""A body policy moved to another car (`changes.vehicle`) is held to the double-insurance
rule on the new car [004] «بیمه مضاعف … امکان پذیر نیست», as a new policy is: refused on the
service, the API (400 on `changes`) and the page (on the new car's plate, typed value kept),
nothing written; once moved, the policy insures the new car and no longer the old one."""

import pytest
from django.test import Client

from core.exceptions import ApplicationError
from core.jalali import solar_year
from policies import services
from policies.models import Endorsement, Policy
from tests.factories import UserFactory
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db

PLATE = "۱۲ب۳۴۵-۶۷"


def move(agent, policy, **car):
    vehicle = {"owner": "insured", "build_year": solar_year(today()) - 3, **car}
    return services.endorsement_issue(
        user=agent.user, policy=policy, kind="no_financial_effect", changes={"vehicle": vehicle}
    )


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        call()
    return refused.value


@pytest.mark.rule("R-224")
def test_a_policy_cannot_move_to_a_car_insured_by_another_live_policy(agent, customer):
    other = record(agent, UserFactory(), line="body", params={"vin": "NAS411100G1234567"})
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    refused = refusal(lambda: move(agent, policy, vin="nas-411100g1234567"))
    assert (refused.field, refused.code) == ("changes", "double_insurance")
    assert "بیمه مضاعف" in refused.message and other.number in refused.message
    policy.refresh_from_db()
    assert policy.params["vin"] == "IRK22200X7654321"
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_the_new_car_is_known_by_its_plate_too(agent, customer):
    record(agent, UserFactory(), line="body", params={"plate": PLATE})
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    # the old car's chassis number does not stay on the policy to hide the new plate
    refused = refusal(lambda: move(agent, policy, plate="۱۲ ب ۳۴۵ ۶۷"))
    assert refused.code == "double_insurance"
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_a_car_whose_policy_ended_before_the_change_is_free(agent, customer):
    record(agent, UserFactory(), line="body", params={"vin": "NAS411100G1234567"}, starts_on=today() - days(400))
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    assert move(agent, policy, vin="NAS411100G1234567").pk


@pytest.mark.rule("R-224")
def test_once_moved_the_policy_insures_the_new_car_and_not_the_old(agent, customer):
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    move(agent, policy, vin="NAS411100G1234567")
    refused = refusal(lambda: record(agent, UserFactory(), line="body", params={"vin": "NAS411100G1234567"}))
    assert refused.code == "double_insurance"
    assert record(agent, UserFactory(), line="body", params={"vin": "IRK22200X7654321"}).pk
    assert Policy.objects.count() == 2


@pytest.mark.rule("R-224")
def test_the_endorsement_api_refuses_it_on_changes(agent, agent_api, customer):
    record(agent, UserFactory(), line="body", params={"vin": "NAS411100G1234567"})
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    vehicle = {"owner": "spouse", "build_year": solar_year(today()) - 3, "vin": "NAS411100G1234567"}
    url = f"/api/v1/policies/{policy.pk}/endorsements/"
    response = agent_api.post(url, {"kind": "no_financial_effect", "changes": {"vehicle": vehicle}}, format="json")
    assert response.status_code == 400
    assert "بیمه مضاعف" in response.json()["changes"][0]
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-224")
def test_the_endorsement_page_shows_it_on_the_new_plate_and_keeps_it(agent, customer):
    record(agent, UserFactory(), line="body", params={"plate": PLATE})
    policy = record(agent, customer, line="body", params={"vin": "IRK22200X7654321"})
    browser = Client()
    browser.force_login(agent.user)
    form = {
        "kind": "no_financial_effect",
        "vehicle_owner": "insured",
        "vehicle_build_year": str(solar_year(today()) - 3),
        "vehicle_plate": PLATE,
        "confirm": "1",
    }
    response = browser.post(f"/policies/{policy.pk}/endorsements/new/", form)
    assert response.status_code == 200
    assert "بیمه مضاعف" in response.context["form"].errors["vehicle_plate"][0]
    assert f'value="{PLATE}"' in response.content.decode()
    assert not Endorsement.objects.exists()
