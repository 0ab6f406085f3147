"""The agent's inbox in one plain statement a page (issue 16 point 2): `GET /api/v1/agent/leads/`
answers byte for byte what the ORM version (`lead_list_for_agent` + `LeadSerializer` +
DRF's page-number pagination) answered, in three queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts.services.auth import api_token_issue
from core.pagination import Pagination
from insurance_requests import services
from insurance_requests.models import Delivery, InsuranceRequest
from insurance_requests.selectors import lead_list_for_agent
from insurance_requests.serializers import LeadSerializer
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent, offer_payload, request_payload

pytestmark = pytest.mark.django_db


def _offer(agent, request_id):
    payload = offer_payload()
    return services.lead_respond(
        agent=agent,
        request_id=request_id,
        premium=payload["premium"],
        valid_until=timezone.localdate() + dt.timedelta(days=7),
    )


def _post(customer, **overrides):
    client = APIClient()
    client.force_authenticate(customer)
    answer = client.post("/api/v1/requests/", request_payload(**overrides), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()["id"]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """`me` (iran, Tehran and Fars) with a lead in every state, a colleague of my insurer, an
    asia agent, and a stranger (iran, Isfahan) with leads of their own."""
    me = active_agent("iran", serves=["tehran", "fars"])
    colleague = active_agent("iran")
    asia = active_agent("asia")
    stranger = active_agent("iran", province="isfahan", serves=["isfahan"])
    customers = [UserFactory(first_name=f"مشتری{n}", last_name="محمدی") for n in range(12)]
    leads = {}
    with django_capture_on_commit_callbacks(execute=True):
        leads["new"] = _post(customers[0])
        leads["responded"] = _post(customers[1])
        _offer(me, leads["responded"])
        leads["taken"] = _post(customers[2])
        _offer(colleague, leads["taken"])
        leads["accepted_mine"] = _post(customers[3])
        services.insurance_request_accept(
            customer=customers[3], request_id=leads["accepted_mine"], response_id=_offer(me, leads["accepted_mine"]).pk
        )
        leads["ended_mine"] = _post(customers[4])
        services.insurance_request_accept(
            customer=customers[4], request_id=leads["ended_mine"], response_id=_offer(me, leads["ended_mine"]).pk
        )
        services.insurance_request_end_cooperation(
            customer=customers[4], request_id=leads["ended_mine"], reason="پایان"
        )
        leads["accepted_other"] = _post(customers[5])
        services.insurance_request_accept(
            customer=customers[5],
            request_id=leads["accepted_other"],
            response_id=_offer(asia, leads["accepted_other"]).pk,
        )
        leads["cancelled"] = _post(customers[6])
        services.insurance_request_cancel(customer=customers[6], request_id=leads["cancelled"])
        leads["expired"] = _post(customers[7])
        InsuranceRequest.objects.filter(pk=leads["expired"]).update(expires_at=timezone.now() - dt.timedelta(days=1))
        services.insurance_requests_expire_stale()
        leads["other_line"] = _post(customers[8], line="other", params={}, note="مسئولیت")
        leads["fars"] = _post(customers[9], province="fars", city="شیراز")
        leads["strangers"] = _post(customers[10], province="isfahan", city="اصفهان")
        leads["asia_only"] = _post(customers[11], insurers=["asia"])
    # Ties on created_at: the id decides, as in the ORM's ORDER BY.
    same_moment = timezone.now()
    Delivery.objects.filter(request_id__in=[leads["new"], leads["responded"], leads["taken"]]).update(
        created_at=same_moment
    )
    return {"me": me, "colleague": colleague, "asia": asia, "stranger": stranger, "leads": leads}


def _token_client(agent):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=agent.user, ip=None, user_agent='t')[1]}")
    return client


def _orm_answer(agent, query):
    """The answer of the ORM version, rendered: the reference the raw statement must match."""
    request = Request(APIRequestFactory().get("/api/v1/agent/leads/", query))
    paginator = Pagination()
    page = paginator.paginate_queryset(
        lead_list_for_agent(
            agent=agent, line=query.get("line"), province=query.get("province"), state=query.get("state")
        ),
        request,
    )
    data = LeadSerializer(page, many=True, context={"agent": agent}).data
    return JSONRenderer().render(paginator.get_paginated_response(data).data)


QUERIES = [
    {},
    {"line": "third_party"},
    {"line": "other"},
    {"line": "travel"},
    {"province": "fars"},
    {"province": "شیراز"},  # a city is not a province: nothing
    {"province": "فارس"},
    {"province": "tehran", "line": "third_party"},
    {"state": "new"},
    {"state": "responded"},
    {"state": "accepted"},
    {"state": "closed"},
    {"state": "unknown"},  # ignored, as before
    {"state": "new", "province": "tehran", "line": "third_party"},
    {"page_size": "3"},
    {"page_size": "3", "page": "2"},
    {"page_size": "3", "page": "4"},
    {"page_size": "4", "page": "3"},
    {"page_size": "1", "page": "10"},
    {"page_size": "500"},  # capped at max_page_size
    {"page": "last", "page_size": "4"},
    {"state": "closed", "page_size": "2", "page": "2"},
]


def _orm_status_and_body(agent, query):
    try:
        return 200, _orm_answer(agent, query)
    except NotFound as refused:  # a page out of range: the API answers 404 with this detail
        return 404, str(refused.detail)


@pytest.mark.parametrize("who", ["me", "colleague", "asia", "stranger"])
def test_every_page_is_byte_for_byte_what_the_orm_version_answered(world, who):
    agent = world[who]
    client = _token_client(agent)

    for query in QUERIES:
        answer = client.get("/api/v1/agent/leads/", query)

        status, body = _orm_status_and_body(agent, query)
        assert answer.status_code == status, query
        assert (answer.content if status == 200 else answer.json()["detail"]) == body, query


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", "2.0"])
def test_a_page_out_of_range_answers_404_as_before(world, page):
    agent = world["me"]
    with pytest.raises(NotFound) as reference:
        _orm_answer(agent, {"page": page, "page_size": "5"})

    answer = _token_client(agent).get("/api/v1/agent/leads/", {"page": page, "page_size": "5"})

    assert answer.status_code == 404
    assert answer.json()["detail"] == str(reference.value.detail)


def test_an_empty_inbox_is_one_empty_page(db):
    agent = active_agent("dana")

    answer = _token_client(agent).get("/api/v1/agent/leads/")

    assert answer.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert answer.content == _orm_answer(agent, {})


def test_the_customer_is_shown_only_to_the_accepted_agent(world):
    leads = world["leads"]

    mine = {
        row["id"]: row["customer"] for row in _token_client(world["me"]).get("/api/v1/agent/leads/").json()["results"]
    }
    asias = {
        row["id"]: row["customer"] for row in _token_client(world["asia"]).get("/api/v1/agent/leads/").json()["results"]
    }

    shown_to_me = {lead for lead, customer in mine.items() if customer is not None}
    assert shown_to_me == {leads["accepted_mine"], leads["ended_mine"]}
    assert mine[leads["accepted_mine"]] == {
        "name": "مشتری3 محمدی",
        "mobile": InsuranceRequest.objects.get(pk=leads["accepted_mine"]).customer.mobile,
    }
    assert {lead for lead, customer in asias.items() if customer is not None} == {leads["accepted_other"]}


def test_another_agents_deliveries_never_appear(world):
    leads = world["leads"]
    client = _token_client(world["me"])

    seen = set()
    for query in QUERIES:
        seen |= {row["id"] for row in client.get("/api/v1/agent/leads/", query).json()["results"]}

    assert leads["strangers"] not in seen and leads["asia_only"] not in seen
    assert seen == set(Delivery.objects.filter(agent=world["me"]).values_list("request_id", flat=True))


def test_a_page_is_three_queries_token_gateway_and_the_page_with_its_total(world):
    client = _token_client(world["me"])
    client.get("/api/v1/agent/leads/")  # the token's first use is recorded once a minute at most

    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/agent/leads/", {"page_size": "3", "page": "2"})

    assert answer.json()["count"] == 10
    # 1: the token and its user (authentication), 2: the agent with its gateway open
    # (agents.selectors.agent_with_gateway_active), 3: the page's rows with the total.
    assert len(queries.captured_queries) == 3, [query["sql"] for query in queries.captured_queries]
    assert "count(*) OVER ()" in queries.captured_queries[2]["sql"]


def test_a_page_out_of_range_costs_one_count_more(world):
    client = _token_client(world["me"])
    client.get("/api/v1/agent/leads/")

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/agent/leads/", {"page": "9"}).status_code == 404

    assert len(queries.captured_queries) == 4  # the empty page, then its count for the paginator
