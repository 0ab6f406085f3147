"""Posting a request does only the work its promise needs (issue 16 point 2).

The routing SELECT is compiled once and reused as SQL text; on PostgreSQL the deliveries,
the agents' notices, the audit row and the served insurers are one statement.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification
from agents.models import Subscription, TermsAcceptance
from core.models import AuditLog
from insurance_requests import selectors
from insurance_requests.models import Delivery, InsuranceRequest
from insurance_requests.services import insurance_request_route
from insurers.models import InsuranceLine, Insurer, Province
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent, request_payload

pytestmark = pytest.mark.django_db


def _label(sql: str) -> str:
    """A statement as the budget names it: its verb and the tables it reads or writes."""
    verb = sql.split()[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    if verb == "WITH":
        return "WITH " + " + ".join(re.findall(r'INSERT INTO "(\w+)"', sql))
    table = re.search(r'(?:FROM|INTO) "(\w+)"', sql).group(1)
    return f"{verb} {table}"


# What a post of a third-party request to two insurers costs, statement by statement (the
# caller's authentication and the throttle are the view's; the test client is authenticated).
# Province, line and insurers come from insurers.selectors.reference_rows, read once per
# reference-data version: no statement of their own.
POST_STATEMENTS = [
    "SAVEPOINT",  # the request, its links, deliveries, notices and audit: one transaction
    "INSERT insurance_requests_insurancerequest",
    "INSERT insurance_requests_insurancerequest_insurers",  # the links, without set()'s read
]
FAN_OUT_STATEMENTS = {
    # one statement: deliveries, a notice per delivery, the audit row; answers the served insurers
    "postgresql": ["WITH insurance_requests_delivery + accounts_notification + core_auditlog"],
    "sqlite": [
        "INSERT insurance_requests_delivery",
        "INSERT accounts_notification",
        "SELECT insurance_requests_delivery",  # the insurers served
        "INSERT core_auditlog",
    ],
}


def test_a_post_costs_a_fixed_list_of_statements_whatever_the_agents(customer_client):
    for _ in range(3):
        active_agent("iran")
        active_agent("asia")
    # The first post compiles the routing SELECT; the budget is every later one's. The SMS
    # task runs after the commit, in a worker: not part of the post (not run here).
    customer_client.post("/api/v1/requests/", request_payload(), format="json")
    with CaptureQueriesContext(connection) as queries:
        response = customer_client.post("/api/v1/requests/", request_payload(), format="json")
    assert response.status_code == 201, response.json()
    expected = [*POST_STATEMENTS, *FAN_OUT_STATEMENTS[connection.vendor], "RELEASE"]
    assert [_label(query["sql"]) for query in queries.captured_queries] == expected


def test_the_audit_row_comes_with_the_deliveries(post_request, customer):
    active_agent("iran")
    active_agent("iran")
    active_agent("asia")
    request_id = post_request().json()["id"]
    audit = AuditLog.objects.get(action="request.submitted")
    assert (audit.actor_id, audit.target_type, audit.target_id) == (
        customer.pk,
        "insurance_requests.insurancerequest",
        str(request_id),
    )
    assert audit.data == {"delivered": 3, "previous": None}


def test_a_refused_post_leaves_no_request_delivery_notice_or_audit(post_request):
    active_agent("dana")  # an agent, but not of a chosen insurer
    assert post_request().status_code == 400
    assert not InsuranceRequest.objects.exists()
    assert not Delivery.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditLog.objects.filter(action="request.submitted").exists()


def test_routing_again_delivers_nothing_new_and_still_counts_the_insurers_served(post_request):
    iran = active_agent("iran")
    request_id = post_request(insurers=["iran", "saman"]).json()["id"]
    request = InsuranceRequest.objects.get(pk=request_id)
    routing = insurance_request_route(request=request)
    assert routing.delivered == 0
    assert routing.insurers_without_agents == ["saman"]  # iran is served by the earlier delivery
    assert list(Delivery.objects.values_list("agent_id", flat=True)) == [iran.pk]
    assert Notification.objects.filter(user=iran.user).count() == 1


# --- The routing SELECT as SQL text equals the ORM queryset -----------------------------


def _request_in(province: str, insurers) -> InsuranceRequest:
    request = InsuranceRequest.objects.create(
        customer=UserFactory(),
        line=InsuranceLine.objects.get(code="third_party"),
        province=Province.objects.get(code=province),
        city="شهر",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    request.insurers.set(insurers)
    return request


def _routing_world():
    """Agents in every situation the routing rule decides on; returns the request and who must get it."""
    today = timezone.localdate()
    chosen = [Insurer.objects.get(code="iran"), Insurer.objects.get(code="asia")]
    receives = {
        active_agent("iran"),
        active_agent("asia"),
        active_agent("iran", province="alborz", serves=["tehran"]),  # declared Tehran
    }
    active_agent("dana")  # an insurer not chosen
    active_agent("iran", province="fars")  # another province
    active_agent("iran", province="tehran", serves=["fars"])  # office here, declared elsewhere
    AgentFactory(insurer=chosen[0], province=Province.objects.get(code="tehran"))  # not verified
    no_subscription = active_agent("iran")
    Subscription.objects.filter(agent=no_subscription).update(ends_on=today - dt.timedelta(days=1))
    no_terms = active_agent("asia")
    TermsAcceptance.objects.filter(agent=no_terms).delete()
    stale_licence = active_agent("asia")
    type(stale_licence).objects.filter(pk=stale_licence.pk).update(licence_expires_on=today - dt.timedelta(days=1))
    excluded = active_agent("iran")
    request = _request_in("tehran", chosen)
    request.excluded_agents.set([excluded])
    return request, {(agent.pk, agent.user_id, agent.insurer_id) for agent in receives}


def _rows_of_sql(request, *, today, now):
    sql, params = selectors.agents_for_routing_sql(request=request, today=today, now=now, connection=connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return set(cursor.fetchall())


def _rows_of_queryset(request, *, today, now):
    queryset = selectors.agents_for_routing(request=request, today=today, now=now)
    return set(queryset.values_list("pk", "user_id", "insurer_id"))


def test_the_routing_sql_finds_exactly_the_agents_the_rule_names():
    request, receives = _routing_world()
    today, now = timezone.localdate(), timezone.now()
    assert _rows_of_sql(request, today=today, now=now) == receives
    assert _rows_of_queryset(request, today=today, now=now) == receives


@pytest.mark.parametrize("days", [-2, 0, 5, 6, 7])
def test_the_routing_sql_gives_the_querysets_agents_on_any_day(days):
    # The trials run from yesterday to today + 6: the days on both sides of each edge.
    request, _receives = _routing_world()
    today = timezone.localdate() + dt.timedelta(days=days)
    now = timezone.now() + dt.timedelta(days=days)
    assert _rows_of_sql(request, today=today, now=now) == _rows_of_queryset(request, today=today, now=now)


def test_the_routing_sql_of_another_request_is_that_requests_agents():
    request, _receives = _routing_world()
    _rows_of_sql(request, today=timezone.localdate(), now=timezone.now())  # compiled for the first
    other = _request_in("fars", [Insurer.objects.get(code="iran")])
    fars_agents = _rows_of_sql(other, today=timezone.localdate(), now=timezone.now())
    assert len(fars_agents) == 2  # the office in Fars and the one who declared Fars
    assert fars_agents == _rows_of_queryset(other, today=timezone.localdate(), now=timezone.now())


def test_terms_published_after_now_do_not_count_in_the_routing_sql():
    from agents.models import TermsVersion

    request, receives = _routing_world()
    now = timezone.now()
    TermsVersion.objects.create(version=99, text="مقررات تازه", published_at=now + dt.timedelta(hours=1))
    # Before the new terms: nobody has to accept them yet; after: nobody has.
    assert _rows_of_sql(request, today=timezone.localdate(), now=now) == receives
    later = now + dt.timedelta(hours=2)
    assert _rows_of_sql(request, today=timezone.localdate(), now=later) == set()
    assert _rows_of_queryset(request, today=timezone.localdate(), now=later) == set()


def test_the_routing_sql_is_compiled_once(monkeypatch):
    request, _receives = _routing_world()
    compiled = []
    original = selectors.agents_for_routing

    def counting(**kwargs):
        compiled.append(kwargs["request"].pk)
        return original(**kwargs)

    monkeypatch.setattr(selectors, "agents_for_routing", counting)
    monkeypatch.setattr(selectors, "_ROUTING_SQL", {})
    for _ in range(3):
        _rows_of_sql(request, today=timezone.localdate(), now=timezone.now())
    assert len(compiled) == 1
