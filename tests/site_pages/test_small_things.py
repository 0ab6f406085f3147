"""Three small things of issue 14 point 10: customers no longer see «پنل نمایندگی»; no doubled
«نمایندگی نمایندگی» or «اشتراک اشتراک»; a request number reads right in RTL («شماره ۳», not «#۳»)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from agents.models import Plan, SandboxPayment
from agents.services import agent_verify, subscription_purchase_start
from core.text import prefix_once
from insurance_requests.models import InsuranceRequest
from insurance_requests.services import leads_remind_unanswered
from policies import relationships
from tests.agents.factories import AgentFactory
from tests.factories import StaffFactory, UserFactory
from tests.insurance_requests.factories import active_agent, request_payload
from tests.policies.helpers import make_agent

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
AGENT_PANEL = "پنل نمایندگی"
# A kind word written twice in a row, however the two are separated (spaces, a ZWNJ, «»).
DOUBLED = re.compile(r"(نمایندگی|اشتراک)[\s\u200c«»\"']+\1(?![\u0600-\u06ff])")
NUMBER_SIGN_BEFORE_DIGITS = re.compile(r"#\s*[0-9۰-۹]")


def visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1])


# --- «پنل نمایندگی» is for agents only ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/", "/requests/", "/for-agents/", "/faq/"])
def test_a_customer_never_sees_the_agent_panel(client, path):
    """issue 14 point 10: a signed-in customer (no agent profile) sees no «پنل نمایندگی» anywhere."""
    client.force_login(UserFactory())
    assert AGENT_PANEL not in visible(client.get(path).content.decode())


def test_an_agent_still_finds_the_panel_in_the_menu_and_the_dashboard(client):
    client.force_login(AgentFactory().user)
    assert visible(client.get("/accounts/").content.decode()).count(AGENT_PANEL) == 2  # menu and shortcuts


def test_a_customers_dashboard_offers_the_agents_page_instead(client):
    client.force_login(UserFactory())
    assert 'href="/for-agents/">نماینده بیمه هستید؟</a>' in client.get("/accounts/").content.decode()


# --- No doubled kind words -------------------------------------------------------------------------


def _source_files():
    for pattern in ("templates/**/*.html", "templates/**/*.txt", "**/*.py", "locale/**/*.po"):
        for path in REPO.glob(pattern):
            parts = set(path.relative_to(REPO).parts)
            if parts & {".venv", "node_modules", "staticfiles", "tests", "var", "artifacts"}:
                continue
            yield path


def test_no_template_python_string_or_sms_text_writes_a_kind_word_twice():
    """issue 14 point 10: «نمایندگی نمایندگی» and «اشتراک اشتراک» written out nowhere in the code."""
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in _source_files()
        for match in DOUBLED.finditer(path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("نمایندگی امید", "نمایندگی امید"), ("امید", "نمایندگی امید"), ("نمایندگی‌امید", "نمایندگی‌امید"), ("", "نمایندگی")],
)
def test_prefix_once_names_the_kind_once(name, expected):
    assert prefix_once("نمایندگی", name) == expected


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_verification_sms_names_an_agency_called_namayandegi_once(
    sms_outbox, decision, django_capture_on_commit_callbacks
):
    """issue 14 point 10: agencies name themselves «نمایندگی …»; the SMS must not add a second one."""
    agent = AgentFactory(documents_sent=True, agency_name="نمایندگی امید")
    with django_capture_on_commit_callbacks(execute=True):
        agent_verify(agent=agent, decided_by=StaffFactory(), decision=decision, reason="تصویر ناخوانا")
    text = sms_outbox[-1].text
    assert "مدارک نمایندگی امید" in text and not DOUBLED.search(text)


def test_the_payment_description_names_a_plan_called_eshterak_once():
    """issue 14 point 10: plans are titled «اشتراک …»; the gateway's description must not read «اشتراک اشتراک»."""
    agent = AgentFactory(verified=True)
    plan = Plan.objects.get(code="monthly")
    assert plan.title.startswith("اشتراک")
    subscription_purchase_start(agent=agent, plan=plan, callback_url="http://testserver/")
    description = SandboxPayment.objects.get().description
    assert description.startswith(f"{plan.title} بیمه مال") and not DOUBLED.search(description)


def test_the_customer_link_sms_and_dashboard_name_the_agency_once(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 10: the agent's request to serve a customer, by SMS and on the customer's dashboard."""
    agent = make_agent(agency_name="نمایندگی امید")
    customer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        relationships.customer_link_request(user=agent.user, mobile=customer.mobile)
    assert "«نمایندگی امید»" in sms_outbox[-1].text and not DOUBLED.search(sms_outbox[-1].text)

    client.force_login(customer)
    dashboard = visible(client.get("/accounts/").content.decode())
    assert "«نمایندگی امید»" in dashboard and not DOUBLED.search(dashboard)


# --- «#۳» the right way round -----------------------------------------------------------------------


@pytest.fixture
def posted_request(client, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    agent = active_agent("iran")
    customer = UserFactory()
    api = APIClient()
    api.force_authenticate(customer)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = api.post("/api/v1/requests/", request_payload(), format="json").json()["id"]
    return customer, InsuranceRequest.objects.get(pk=request_id), agent


def test_the_request_page_writes_its_number_as_shomare_not_after_a_number_sign(client, posted_request):
    """issue 14 point 10: «درخواست شماره ۳» reads the same in RTL; «#۳» flips to «۳#»."""
    customer, request, _agent = posted_request
    client.force_login(customer)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    number = str(request.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    assert f"<title>درخواست شماره {number} |" in page
    assert f"درخواست شماره {number}</h1>" in page
    assert not NUMBER_SIGN_BEFORE_DIGITS.search(visible(page))


def test_the_agents_lead_list_and_reminder_sms_write_the_number_as_shomare(
    client, posted_request, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 10: the same on the agent's side, in the leads list and in the reminder SMS."""
    _customer, request, agent = posted_request
    client.force_login(agent.user)
    leads = visible(client.get("/agent/leads/").content.decode())
    assert not NUMBER_SIGN_BEFORE_DIGITS.search(leads)

    with django_capture_on_commit_callbacks(execute=True):
        leads_remind_unanswered(now=timezone.now() + dt.timedelta(days=3))
    texts = [sms.text for sms in sms_outbox if "هنوز بی‌پاسخ" in sms.text]
    assert texts and all("درخواست شماره" in text and not NUMBER_SIGN_BEFORE_DIGITS.search(text) for text in texts)


def test_a_request_and_a_claim_name_themselves_with_shomare(posted_request):
    """Their names in the admin and in choice lists: «درخواست شماره ۳ — …», «خسارت شماره ۳»."""
    from claims.models import Claim

    _customer, request, _agent = posted_request
    request.pk = 3
    assert str(request) == f"درخواست شماره ۳ — {request.line}"
    assert str(Claim(pk=3)) == "خسارت شماره ۳"
