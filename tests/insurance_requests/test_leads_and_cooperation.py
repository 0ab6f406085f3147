import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditLog
from insurance_requests.models import ContactReveal, Delivery, InsuranceRequest, LeadResponse
from insurance_requests.services import insurance_requests_expire_stale, leads_remind_unanswered
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents():
    return {"iran1": active_agent("iran"), "iran2": active_agent("iran"), "asia": active_agent("asia")}


@pytest.fixture
def lead(post_request, agents):
    return post_request().json()["id"]


def _respond(agent, request_id, message="آماده‌ام"):
    return client_for(agent.user).post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(message=message), format="json"
    )


def test_agent_sees_the_lead_details_but_never_the_customer(agents, lead):
    body = client_for(agents["iran1"].user).get("/api/v1/agent/leads/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == lead and row["line"] == "third_party" and row["params"]["vehicle_group"] == "car_4cyl"
    assert row["customer"] is None and row["responded"] is False


@pytest.mark.rule("R-010")
def test_first_agent_of_an_insurer_wins(agents, lead):
    first = _respond(agents["iran1"], lead)
    assert first.status_code == 201 and "id" in first.json()


@pytest.mark.rule("R-010")
def test_second_agent_of_the_same_insurer_gets_409_in_persian(agents, lead):
    _respond(agents["iran1"], lead)
    second = _respond(agents["iran2"], lead)
    assert second.status_code == 409
    assert "بیمه ایران" in second.json()["detail"]
    assert LeadResponse.objects.count() == 1


@pytest.mark.rule("R-010")
def test_an_agent_of_another_insurer_is_unaffected(agents, lead):
    _respond(agents["iran1"], lead)
    assert _respond(agents["asia"], lead).status_code == 201


def test_response_time_is_recorded_and_median_is_computed(agents, lead):
    Delivery.objects.filter(agent=agents["iran1"]).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    _respond(agents["iran1"], lead)
    from insurance_requests.selectors import agent_response_stats

    assert 1790 <= LeadResponse.objects.get().response_seconds <= 1830
    assert agent_response_stats(agent=agents["iran1"])["median_response_seconds"] >= 1790


@pytest.mark.rule("R-009")
def test_customer_sees_responses_with_the_agent_anonymous(agents, lead, customer_client):
    _respond(agents["iran1"], lead, "قیمت ویژه داریم")
    body = customer_client.get(f"/api/v1/requests/{lead}/").json()
    assert [(r["insurer"], r["message"], r["agent"]) for r in body["responses"]] == [("iran", "قیمت ویژه داریم", None)]


@pytest.mark.rule("R-009")
def test_accepting_reveals_both_sides_to_each_other_only(
    agents, lead, customer_client, customer, sms_outbox, django_capture_on_commit_callbacks
):
    rid = _respond(agents["iran1"], lead).json()["id"]
    _respond(agents["asia"], lead)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert accepted.status_code == 200
    agent = agents["iran1"]
    assert accepted.json()["agent"]["agency_code"] == agent.agency_code
    assert accepted.json()["agent"]["office_phone"] == agent.office_phone
    detail = customer_client.get(f"/api/v1/requests/{lead}/").json()
    assert detail["status"] == "accepted"
    revealed = {r["insurer"]: r["agent"] for r in detail["responses"]}
    assert revealed["iran"]["agency_name"] == agent.agency_name and revealed["asia"] is None
    lead_for_winner = client_for(agent.user).get("/api/v1/agent/leads/").json()["results"][0]
    assert lead_for_winner["customer"] == {"name": customer.get_full_name(), "mobile": customer.mobile}
    lead_for_other = client_for(agents["asia"].user).get("/api/v1/agent/leads/").json()["results"][0]
    assert lead_for_other["customer"] is None
    reveals = set(ContactReveal.objects.values_list("viewer_id", "subject_id"))
    assert reveals == {(customer.pk, agent.user.pk), (agent.user.pk, customer.pk)}
    assert sms_outbox[-1].to == agent.user.mobile


def test_a_response_cannot_be_accepted_twice(agents, lead, customer_client):
    rid = _respond(agents["iran1"], lead).json()["id"]
    other = _respond(agents["asia"], lead).json()["id"]
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert customer_client.post(f"/api/v1/requests/{lead}/responses/{other}/accept/").status_code == 409


def test_no_new_response_once_the_request_is_accepted(agents, lead, customer_client):
    rid = _respond(agents["iran1"], lead).json()["id"]
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert _respond(agents["asia"], lead).status_code == 409


@pytest.mark.rule("R-011")
def test_end_cooperation_needs_a_reason_and_is_audited(agents, lead, customer_client):
    rid = _respond(agents["iran1"], lead).json()["id"]
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert (
        customer_client.post(f"/api/v1/requests/{lead}/end-cooperation/", {"reason": ""}, format="json").status_code
        == 400
    )
    ended = customer_client.post(f"/api/v1/requests/{lead}/end-cooperation/", {"reason": "قیمت بالا"}, format="json")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert AuditLog.objects.filter(action="request.cooperation_ended").exists()


@pytest.mark.rule("R-011")
def test_repost_creates_a_linked_open_request_without_the_ended_agent(
    agents, lead, customer_client, django_capture_on_commit_callbacks
):
    rid = _respond(agents["iran1"], lead).json()["id"]
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    customer_client.post(f"/api/v1/requests/{lead}/end-cooperation/", {"reason": "قیمت بالا"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        reposted = customer_client.post(f"/api/v1/requests/{lead}/repost/")
    assert reposted.status_code == 201
    new = reposted.json()
    assert new["status"] == "open" and new["previous"] == lead and new["id"] != lead
    delivered = set(Delivery.objects.filter(request_id=new["id"]).values_list("agent_id", flat=True))
    assert delivered == {agents["iran2"].pk, agents["asia"].pk}
    # The other agent of the same insurer may now answer.
    assert _respond(agents["iran2"], new["id"]).status_code == 201
    assert customer_client.post(f"/api/v1/requests/{lead}/repost/").status_code == 409
    assert customer_client.get(f"/api/v1/requests/{lead}/").json()["next"] == new["id"]


def test_the_ended_agent_stays_excluded_through_a_chain_of_reposts(agents, lead, customer_client):
    rid = _respond(agents["iran1"], lead).json()["id"]
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    customer_client.post(f"/api/v1/requests/{lead}/end-cooperation/", {"reason": "x"}, format="json")
    second = customer_client.post(f"/api/v1/requests/{lead}/repost/").json()["id"]
    rid2 = _respond(agents["asia"], second).json()["id"]
    customer_client.post(f"/api/v1/requests/{second}/responses/{rid2}/accept/")
    customer_client.post(f"/api/v1/requests/{second}/end-cooperation/", {"reason": "y"}, format="json")
    third = customer_client.post(f"/api/v1/requests/{second}/repost/").json()["id"]
    assert set(Delivery.objects.filter(request_id=third).values_list("agent_id", flat=True)) == {agents["iran2"].pk}


def test_open_request_can_be_cancelled_and_then_takes_no_response(agents, lead, customer_client):
    assert customer_client.post(f"/api/v1/requests/{lead}/cancel/").json()["status"] == "cancelled"
    assert _respond(agents["iran1"], lead).status_code == 409
    assert customer_client.post(f"/api/v1/requests/{lead}/cancel/").status_code == 409


def test_stale_requests_expire_and_a_second_run_changes_nothing(agents, lead):
    InsuranceRequest.objects.filter(pk=lead).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert insurance_requests_expire_stale() == 1
    assert insurance_requests_expire_stale() == 0
    assert InsuranceRequest.objects.get(pk=lead).status == "expired"


def test_expire_task_by_name(agents, lead):
    from bimemall.celery import app

    InsuranceRequest.objects.filter(pk=lead).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    app.tasks["insurance_requests.tasks.expire_stale_requests"].apply()
    assert InsuranceRequest.objects.get(pk=lead).status == "expired"


def test_unanswered_lead_reminder_goes_out_once_per_lead(agents, lead, sms_outbox, django_capture_on_commit_callbacks):
    Delivery.objects.update(created_at=timezone.now() - dt.timedelta(hours=7))
    _respond(agents["asia"], lead)  # asia answered: its agent is not reminded
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert leads_remind_unanswered() == 2
    assert {sms.to for sms in sms_outbox} == {agents["iran1"].user.mobile, agents["iran2"].user.mobile}
    with django_capture_on_commit_callbacks(execute=True):
        assert leads_remind_unanswered() == 0
    assert len(sms_outbox) == 2


def test_rating_once_after_cooperation_and_average_beside_the_agent(agents, lead, customer_client):
    rid = _respond(agents["iran1"], lead).json()["id"]
    assert customer_client.post(f"/api/v1/requests/{lead}/rating/", {"score": 5}, format="json").status_code == 409
    customer_client.post(f"/api/v1/requests/{lead}/responses/{rid}/accept/")
    assert customer_client.post(f"/api/v1/requests/{lead}/rating/", {"score": 6}, format="json").status_code == 400
    assert (
        customer_client.post(
            f"/api/v1/requests/{lead}/rating/", {"score": 4, "comment": "خوب"}, format="json"
        ).status_code
        == 201
    )
    assert customer_client.post(f"/api/v1/requests/{lead}/rating/", {"score": 1}, format="json").status_code == 409
    agent = customer_client.get(f"/api/v1/requests/{lead}/").json()["responses"][0]["agent"]
    assert (agent["rating_average"], agent["rating_count"]) == (4.0, 1)


def test_inbox_filters_by_line_province_and_state(agents, post_request):
    first = post_request().json()["id"]
    post_request(line="other", params={}, note="مسئولیت").json()["id"]
    client = client_for(agents["iran1"].user)
    assert client.get("/api/v1/agent/leads/?line=other").json()["count"] == 1
    assert client.get("/api/v1/agent/leads/?province=fars").json()["count"] == 0
    _respond(agents["iran1"], first)
    assert [r["id"] for r in client.get("/api/v1/agent/leads/?state=responded").json()["results"]] == [first]
    assert client.get("/api/v1/agent/leads/?state=new").json()["count"] == 1


def test_inbox_query_count_does_not_grow_with_the_number_of_leads(agents, post_request, django_assert_max_num_queries):
    client = client_for(agents["iran1"].user)
    for _ in range(3):
        post_request()
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/v1/agent/leads/").json()["count"] == 3
    baseline = len(few.captured_queries)  # read now: every request resets the query log
    for _ in range(12):
        post_request()
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/agent/leads/").json()["count"] == 15


@pytest.mark.rule("R-004")
def test_unverified_agent_sees_counts_of_open_requests_for_their_insurer_only(post_request, client):
    from insurance_requests.selectors import agent_lead_counts
    from tests.agents.factories import AgentFactory

    active_agent("iran"), active_agent("asia")  # issue 14 point 10: a request that reaches nobody is refused
    post_request(insurers=["iran"])
    post_request(insurers=["asia"])
    waiting = AgentFactory(terms_accepted=True)  # insurer iran, province tehran
    counts = {row["line"]: row["count"] for row in agent_lead_counts(waiting)}
    assert counts["third_party"] == 1 and counts["fire"] == 0
    client.force_login(waiting.user)
    assert client.get("/api/v1/agent/leads/").status_code == 403  # details stay hidden


def test_agent_dashboard_shows_the_inbox_and_median_response_time(agents, lead, client):
    _respond(agents["iran1"], lead)
    client.force_login(agents["iran1"].user)
    html = client.get("/agent/").content.decode()
    assert "/agent/leads/" in html and 'id="median-response"' in html
