"""Policies only through a relationship (issue 13 point 1).

An agent records a policy only for a customer who accepted that agent's answer, whom the
agent already issued a policy, or who confirmed the agent's link (by the SMS code read to
the agent, or in their account). Before that the agent learns nothing about a number:
registered and unknown numbers get the same answers. Recording needs an open gateway and
is rate limited.
"""

import re

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Notification
from core.text import to_persian_digits
from policies import relationships, services
from policies.models import CustomerLink, Policy
from tests.factories import UserFactory
from tests.policies.helpers import accepted_request, client_for, days, make_agent, record, today

pytestmark = pytest.mark.django_db

URL = "/api/v1/policies/"
LINKS = "/api/v1/agent/customer-links/"
UNKNOWN = "09350000001"


def body(mobile, **overrides):
    data = {
        "customer_mobile": mobile,
        "line": "fire",
        "insurer": "iran",
        "policy_number": f"F-{mobile}",
        "starts_on": today().isoformat(),
        "ends_on": (today() + days(365)).isoformat(),
        "premium": 10_000_000,
        "sum_insured": 500_000_000,
    }
    data.update(overrides)
    return data


def ask_link(api, mobile, capture):
    with capture(execute=True):
        return api.post(LINKS, {"mobile": mobile}, format="json")


def code_sent_to(outbox, mobile) -> str:
    text = [sms for sms in outbox if sms.to == mobile][-1].text
    return re.search(r"\b(\d{6})\b", text).group(1)


def without_identity(answer: dict) -> dict:
    """A link answer without what differs between any two links (its id, the typed mobile, times)."""
    return {key: value for key, value in answer.items() if key not in ("id", "mobile", "created_at", "expires_at")}


@pytest.fixture
def lower_rate(monkeypatch):
    def lower(scope, rate="3/min"):
        table = dict(SimpleRateThrottle.THROTTLE_RATES)
        assert scope in table
        table[scope] = rate
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", table)

    return lower


# --- recording by mobile without a relationship ---------------------------------------------


def test_a_registered_stranger_and_an_unknown_number_get_the_same_refusal(agent_api, customer):
    """issue 13 point 1: the whole answer (status and JSON) is the same, and nothing is recorded."""
    registered = agent_api.post(URL, body(customer.mobile), format="json")
    unknown = agent_api.post(URL, body(UNKNOWN, policy_number=f"F-{customer.mobile}"), format="json")

    assert registered.status_code == unknown.status_code == 400
    assert registered.json() == unknown.json()
    assert set(registered.json()) == {"customer_mobile", "errors"}  # errors: the codes (issue 15 point 1)
    assert registered.json()["customer_mobile"] == [str(relationships.NO_RELATIONSHIP)]
    assert Policy.objects.count() == 0


def test_the_old_probe_of_300_numbers_now_learns_nothing(agent_api):
    """issue 13 point 1: before, 300 of 300 numbers were told apart (201 with the customer's
    name for a registered one, "customer_not_found" for the rest); now one answer for all."""
    registered = [UserFactory().mobile for _ in range(150)]
    unknown = [f"0935{n:07d}" for n in range(150)]
    answers = set()
    for mobile in registered + unknown:
        response = agent_api.post(URL, body(mobile, policy_number="PROBE"), format="json")
        answers.add((response.status_code, response.content))

    assert len(answers) == 1
    assert Policy.objects.count() == 0


def test_recording_by_mobile_costs_the_same_queries_for_registered_and_unknown(
    agent, customer, django_assert_num_queries
):
    """issue 13 point 1: the relationship is one query whatever the number, so timing tells nothing."""
    with django_assert_num_queries(1):
        assert relationships.customer_for_agent(agent=agent, mobile=customer.mobile) is None
    with django_assert_num_queries(1):
        assert relationships.customer_for_agent(agent=agent, mobile=UNKNOWN) is None


# --- asking for a link ------------------------------------------------------------------------


def test_asking_for_a_link_answers_the_same_for_registered_and_unknown_numbers(
    agent_api, agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 1: 202 with the same shape and values; both numbers get the SMS with the agency's name."""
    registered = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks)
    unknown = ask_link(agent_api, UNKNOWN, django_capture_on_commit_callbacks)

    assert registered.status_code == unknown.status_code == 202
    assert without_identity(registered.json()) == without_identity(unknown.json())
    assert registered.json()["customer"] is None
    assert customer.first_name not in registered.content.decode()
    assert {sms.to for sms in sms_outbox} == {customer.mobile, UNKNOWN}
    # SMS texts carry Persian digits (issue 14 point 10), the agency's name included.
    assert all(to_persian_digits(agent.agency_name) in sms.text for sms in sms_outbox)
    assert not Notification.objects.filter(user=customer).exists()


def test_the_link_code_is_stored_only_as_a_hash(agent_api, customer, sms_outbox, django_capture_on_commit_callbacks):
    """issue 13 point 1: codes hashed like the sign-in codes."""
    ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks)
    code = code_sent_to(sms_outbox, customer.mobile)
    link = CustomerLink.objects.get()
    assert link.code_hash and code not in link.code_hash and code not in link.code_salt


def test_asking_again_within_a_minute_sends_no_second_sms(
    agent_api, customer, sms_outbox, django_capture_on_commit_callbacks
):
    first = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks)
    again = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks)
    assert first.json()["id"] == again.json()["id"]
    assert len(sms_outbox) == 1


# --- the agent enters the code ----------------------------------------------------------------


def test_the_agent_enters_the_code_then_sees_the_name_and_records(
    agent_api, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 1: only after confirmation does the agent see the customer's name."""
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]
    listed = agent_api.get(LINKS).json()["results"][0]
    assert listed["customer"] is None and listed["status"] == "pending"

    confirmed = agent_api.post(
        f"{LINKS}{link_id}/confirm/", {"code": code_sent_to(sms_outbox, customer.mobile)}, format="json"
    )

    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["customer"] == {"name": customer.get_full_name(), "mobile": customer.mobile}
    recorded = agent_api.post(URL, body(customer.mobile), format="json")
    assert recorded.status_code == 201, recorded.content
    assert Policy.objects.get().customer == customer


def test_wrong_codes_are_refused_and_the_fifth_kills_the_code(
    agent_api, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 1: few tries per code; the right code after five wrong ones is refused too."""
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]
    code = code_sent_to(sms_outbox, customer.mobile)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(relationships.LINK_CODE_MAX_ATTEMPTS):
        response = agent_api.post(f"{LINKS}{link_id}/confirm/", {"code": wrong}, format="json")
        assert response.status_code == 400
        assert "code" in response.json()

    late = agent_api.post(f"{LINKS}{link_id}/confirm/", {"code": code}, format="json")

    assert late.status_code == 400
    assert CustomerLink.objects.get().status == CustomerLink.Status.PENDING


def test_another_agent_cannot_confirm_a_link_it_did_not_ask_for(
    agent_api, customer, sms_outbox, django_capture_on_commit_callbacks
):
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]
    other = client_for(make_agent().user)
    response = other.post(
        f"{LINKS}{link_id}/confirm/", {"code": code_sent_to(sms_outbox, customer.mobile)}, format="json"
    )
    assert response.status_code == 404


def test_an_unknown_number_stays_pending_until_it_signs_up_and_confirms(
    agent_api, agent, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 1: the right code for a number nobody signed up with leaves the link
    pending; once the holder signs up, they confirm it in their account."""
    link_id = ask_link(agent_api, UNKNOWN, django_capture_on_commit_callbacks).json()["id"]
    early = agent_api.post(f"{LINKS}{link_id}/confirm/", {"code": code_sent_to(sms_outbox, UNKNOWN)}, format="json")
    assert early.status_code == 409
    assert CustomerLink.objects.get().status == CustomerLink.Status.PENDING

    newcomer = UserFactory(mobile=UNKNOWN)
    pending = client_for(newcomer).get("/api/v1/me/agent-links/").json()["results"]
    assert [row["id"] for row in pending] == [link_id]
    assert pending[0]["agent"]["agency_name"] == agent.agency_name
    assert client_for(newcomer).post(f"/api/v1/me/agent-links/{link_id}/confirm/").status_code == 200

    assert agent_api.post(URL, body(UNKNOWN), format="json").status_code == 201


# --- the customer answers in their account ----------------------------------------------------


def test_the_customer_confirms_on_their_dashboard(agent, agent_api, customer, django_capture_on_commit_callbacks):
    """issue 13 point 1: the request shows in the customer's account; confirming opens recording."""
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]
    browser = Client()
    browser.force_login(customer)

    dashboard = browser.get("/accounts/")
    assert agent.agency_name in dashboard.content.decode()
    answered = browser.post(f"/policies/agent-links/{link_id}/confirm/")

    assert answered.status_code == 302
    link = CustomerLink.objects.get()
    assert (link.status, link.customer, link.confirmed_by) == ("confirmed", customer, "account")
    assert Notification.objects.filter(user=agent.user).exists()
    assert agent_api.post(URL, body(customer.mobile), format="json").status_code == 201


def test_the_customer_declines_through_the_api(agent_api, customer, sms_outbox, django_capture_on_commit_callbacks):
    """issue 13 point 1: a decline keeps recording closed, and asking again soon sends nothing."""
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]

    declined = client_for(customer).post(f"/api/v1/me/agent-links/{link_id}/decline/")

    assert declined.status_code == 200
    assert CustomerLink.objects.get().status == CustomerLink.Status.DECLINED
    assert agent_api.post(URL, body(customer.mobile), format="json").status_code == 400
    again = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks)
    assert again.json()["status"] == "declined"
    assert len(sms_outbox) == 1


def test_a_customer_cannot_answer_a_link_asked_for_another_number(
    agent_api, customer, django_capture_on_commit_callbacks
):
    link_id = ask_link(agent_api, customer.mobile, django_capture_on_commit_callbacks).json()["id"]
    stranger = client_for(UserFactory())
    assert stranger.post(f"/api/v1/me/agent-links/{link_id}/confirm/").status_code == 404
    assert stranger.get("/api/v1/me/agent-links/").json()["results"] == []
    assert CustomerLink.objects.get().status == CustomerLink.Status.PENDING


# --- the other relationships ------------------------------------------------------------------


def test_a_customer_who_accepted_the_agents_answer_can_be_recorded_by_mobile(agent, agent_api, customer):
    """issue 13 point 1: acceptance on any of the customer's requests is a relationship."""
    accepted_request(customer=customer, agent=agent)
    response = agent_api.post(URL, body(customer.mobile), format="json")
    assert response.status_code == 201, response.content


def test_renewal_by_a_new_policy_still_works_through_the_issued_policy(agent, agent_api, customer):
    """issue 13 point 1: an agent who issued the customer a policy renews it by a new one."""
    policy = record(agent, customer)
    CustomerLink.objects.all().delete()  # the issued policy is the relationship now
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/renew/",
        {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 12_000_000, "policy_number": "R-2"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Policy.objects.get(number="R-2").customer == customer


# --- the gate and the rate ------------------------------------------------------------------


def test_an_agent_without_a_subscription_gets_a_403_that_says_why(customer):
    """issue 13 point 1: recording (API and form) and asking for links need a subscription in force."""
    agent = make_agent(gateway=False)
    api = client_for(agent.user)
    browser = Client()
    browser.force_login(agent.user)

    recorded = api.post(URL, body(customer.mobile), format="json")
    asked = api.post(LINKS, {"mobile": customer.mobile}, format="json")
    page = browser.get("/policies/new/")

    assert recorded.status_code == asked.status_code == page.status_code == 403
    assert recorded.json()["code"] == "subscription_inactive"
    assert "اشتراک" in recorded.json()["detail"]
    assert "اشتراک" in page.content.decode()
    assert not CustomerLink.objects.exists()


def test_recording_is_rate_limited_on_the_api(agent_api, customer, lower_rate):
    """issue 13 point 1: the `policy_record` scope; past it a 429 with Retry-After."""
    lower_rate("policy_record")
    answers = [agent_api.post(URL, body(customer.mobile), format="json") for _ in range(4)]
    assert [answer.status_code for answer in answers[:3]] == [400, 400, 400]
    assert answers[3].status_code == 429
    assert int(answers[3]["Retry-After"]) > 0


def test_recording_is_rate_limited_on_the_form(agent, lower_rate):
    """issue 13 point 1: the form draws on the same `policy_record` scope."""
    lower_rate("policy_record")
    browser = Client()
    browser.force_login(agent.user)
    answers = [browser.post("/policies/new/", {"customer_mobile": UNKNOWN}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]


def test_the_agent_asks_and_enters_the_code_on_the_customers_page(
    agent, customer, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 13 point 1: the agent's page asks by mobile, takes the code and only then shows the name."""
    browser = Client()
    browser.force_login(agent.user)
    with django_capture_on_commit_callbacks(execute=True):
        asked = browser.post("/policies/customers/", {"mobile": customer.mobile})
    assert asked.status_code == 302
    link = CustomerLink.objects.get()
    assert customer.get_full_name() not in browser.get("/policies/customers/").content.decode()

    entered = browser.post(f"/policies/customers/{link.pk}/code/", {"code": code_sent_to(sms_outbox, customer.mobile)})

    assert entered.status_code == 302
    page = browser.get("/policies/customers/").content.decode()
    assert customer.get_full_name() in page
    assert f"/policies/new/?mobile={customer.mobile}" in page
    assert customer.mobile in browser.get(f"/policies/new/?mobile={customer.mobile}").content.decode()


def test_an_owner_change_answers_the_same_for_registered_and_unknown_numbers(agent, agent_api, customer):
    """issue 13 point 1: moving a policy to a new owner needs that owner's relationship with
    the issuing agent, and the refusal does not tell a registered number from an unknown one."""
    policy = record(agent, customer)
    stranger = UserFactory()
    answers = []
    for mobile in (stranger.mobile, UNKNOWN):
        response = agent_api.post(
            f"{URL}{policy.pk}/endorsements/",
            {"kind": "no_financial_effect", "changes": {"owner_mobile": mobile}},
            format="json",
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    status, answer = answers[0]
    assert status == 400 and set(answer) == {"changes", "errors"}  # errors: the codes (issue 15 point 1)
    assert answer["changes"] == [str(services.NEW_OWNER_NO_RELATIONSHIP)]
    policy.refresh_from_db()
    assert policy.customer == customer and not policy.endorsements.exists()
