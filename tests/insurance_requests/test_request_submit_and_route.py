import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import Notification
from agents.models import Subscription
from insurance_requests.models import Delivery, InsuranceRequest
from tests.agents.factories import AgentFactory
from tests.insurance_requests.factories import active_agent, request_payload

pytestmark = pytest.mark.django_db


@pytest.mark.rule("R-008")
def test_request_is_delivered_to_active_agents_of_chosen_insurers_in_the_province(post_request, sms_outbox):
    iran = active_agent("iran")
    asia = active_agent("asia")
    active_agent("dana")  # not chosen
    active_agent("iran", province="fars")  # another province
    response = post_request()
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["line"] == "third_party"
    assert set(body["insurers"]) == {"iran", "asia"}
    delivered = set(Delivery.objects.values_list("agent_id", flat=True))
    assert delivered == {iran.pk, asia.pk}
    assert Notification.objects.filter(user__in=[iran.user, asia.user]).count() == 2
    assert {sms.to for sms in sms_outbox} == {iran.user.mobile, asia.user.mobile}


@pytest.mark.rule("R-008")
def test_agents_whose_gateway_is_closed_get_nothing(post_request):
    AgentFactory(documents_sent=True)  # waiting for verification
    expired = active_agent("iran")
    Subscription.objects.filter(agent=expired).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    stale_licence = active_agent("iran")
    type(stale_licence).objects.filter(pk=stale_licence.pk).update(
        licence_expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    post_request()
    assert not Delivery.objects.exists()


def test_declared_service_provinces_decide_over_the_office_province(post_request):
    serves_tehran = active_agent("iran", province="alborz", serves=["tehran", "alborz"])
    office_only_elsewhere = active_agent("iran", province="tehran", serves=["fars"])
    post_request()
    assert list(Delivery.objects.values_list("agent_id", flat=True)) == [serves_tehran.pk]
    assert office_only_elsewhere.pk not in Delivery.objects.values_list("agent_id", flat=True)


def test_insurer_without_an_agent_in_the_province_is_reported_not_refused(post_request):
    active_agent("iran")
    body = post_request(insurers=["iran", "saman"]).json()
    assert body["insurers_without_agents"] == ["saman"]
    assert set(body["insurers"]) == {"iran", "saman"}


def test_params_are_validated_by_the_pricing_rules_naming_the_field(post_request):
    response = post_request(params={"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": -3})
    assert response.status_code == 400
    assert "no_claim_years" in response.json()["params"]
    assert not InsuranceRequest.objects.exists()


def test_persian_digits_in_params_are_accepted_and_stored_clean(post_request):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    response = post_request(params={"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": "۴"})
    assert response.status_code == 201, response.json()
    assert InsuranceRequest.objects.get().params["no_claim_years"] == 4


def test_unknown_insurer_is_a_400_on_insurers(post_request):
    response = post_request(insurers=["iran", "nonexistent"])
    assert response.status_code == 400 and "insurers" in response.json()


def test_province_by_persian_name(post_request):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    assert post_request(province="تهران").status_code == 201
    assert post_request(province="آتلانتیس").status_code == 400


def test_other_line_takes_free_text_in_the_note(post_request):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    assert post_request(line="other", params={}, note="").status_code == 400
    response = post_request(line="other", params={}, note="بیمه مسئولیت پزشک")
    assert response.status_code == 201 and response.json()["params"] == {}


def test_a_request_is_never_delivered_twice_to_one_agent(post_request):
    agent = active_agent("iran")
    post_request()
    from insurance_requests.services import insurance_request_route

    insurance_request_route(request=InsuranceRequest.objects.get())
    assert Delivery.objects.filter(agent=agent).count() == 1


def test_customer_lists_own_requests_paginated(post_request, customer_client, api_client):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    post_request()
    post_request()
    body = customer_client.get("/api/v1/requests/").json()
    assert body["count"] == 2 and len(body["results"]) == 2


def test_insurer_availability_for_the_form(customer_client):
    active_agent("asia")
    rows = customer_client.get("/api/v1/requests/insurer-availability/?province=tehran").json()
    flags = {row["code"]: row["has_active_agents"] for row in rows}
    assert flags["asia"] is True and flags["iran"] is False


def test_request_page_shows_params_with_persian_labels(post_request, customer, client):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    request_id = post_request().json()["id"]
    client.force_login(customer)
    html = client.get(f"/requests/{request_id}/").content.decode()
    assert "سواری ۴ سیلندر" in html and "vehicle_group" not in html


def test_a_quote_carries_its_inputs_into_the_request_form(customer, client):
    import json
    from urllib.parse import urlencode

    client.force_login(customer)
    query = urlencode(
        {"line": "third_party", "params": json.dumps({"no_claim_years": 7, "usage": "taxi"}), "insurers": "asia"},
        doseq=True,
    )
    html = client.get(f"/requests/new/?{query}").content.decode()
    assert 'name="p_no_claim_years" value="7"' in html
    assert 'value="taxi" selected' in html
    assert re.search(r'value="asia" id="[^"]+" checked', html)
    assert not re.search(r'value="iran" id="[^"]+" checked', html)


def test_the_answer_to_a_post_is_the_request_as_read_back(post_request, customer_client):
    """The 201 body is built from the objects in hand (no read-back): it must equal a fresh GET."""
    active_agent("iran")
    posted = post_request()
    assert posted.status_code == 201, posted.json()
    read_back = customer_client.get(f"/api/v1/requests/{posted.json()['id']}/").json()
    assert posted.json() == {**read_back, "insurers_without_agents": ["asia"]}
    assert read_back["insurers_without_agents"] == []  # only the post reports routing


def test_the_answer_to_a_repost_is_the_request_as_read_back(post_request, customer_client):
    active_agent("iran")  # issue 14 point 10: a request that reaches nobody is refused
    first = post_request().json()["id"]
    assert customer_client.post(f"/api/v1/requests/{first}/cancel/").status_code == 200
    reposted = customer_client.post(f"/api/v1/requests/{first}/repost/")
    assert reposted.status_code == 201, reposted.json()
    read_back = customer_client.get(f"/api/v1/requests/{reposted.json()['id']}/").json()
    assert reposted.json() == {**read_back, "insurers_without_agents": ["asia"]}
    assert reposted.json()["previous"] == first


def test_posting_a_request_has_a_query_budget_independent_of_agents(customer_client, django_assert_max_num_queries):
    """Posting was 16 queries, five of them reading back what it had just written.
    (The SMS to agents run after commit, in the worker: not part of the request.)"""
    for _ in range(6):
        active_agent("iran")
    customer_client.post("/api/v1/requests/", request_payload(), format="json")  # warms the tariff snapshot
    with django_assert_max_num_queries(11):
        posted = customer_client.post("/api/v1/requests/", request_payload(), format="json")
    assert posted.status_code == 201 and Delivery.objects.count() == 12
