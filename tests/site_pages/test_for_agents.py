"""The agents' page (issue 14 point 8): what the service offers an agent, the plans and their
prices from the database, and a sign-up that comes back where it started."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from agents.models import Agent, Plan
from insurers.models import Insurer, Province
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def agent_form(**overrides):
    data = {
        "insurer": Insurer.objects.get(code="iran").pk,
        "agency_code": "۸۸۸",
        "agency_name": "نمایندگی آفتاب",
        "province": Province.objects.get(code="tehran").pk,
        "city": "تهران",
        "postal_address": "میدان ونک",
        "postal_code": "۱۲۳۴۵۶۷۸۹۰",
        "office_phone": "۰۲۱۸۸۷۷۶۶۵۵",
    }
    return {**data, **overrides}


def sign_up_link(page: str) -> str:
    start = page.index('id="agent-sign-up" href="') + len('id="agent-sign-up" href="')
    return page[start : page.index('"', start)].replace("&amp;", "&")


def test_the_page_explains_the_service_to_an_agent(client):
    """issue 14 point 8: leads by line and province, reveal on acceptance, one per insurer, licence."""
    page = client.get("/for-agents/").content.decode()
    for words in ("رشته و استان", "یک نماینده از هر بیمه‌گر", "اطلاعات تماس پس از پذیرش", "احراز پروانه"):
        assert words in page, words


def test_the_plans_and_their_prices_come_from_the_database(client):
    """issue 14 point 8: the plans staff sell, at today's price, in toman with Persian digits."""
    Plan.objects.filter(code="monthly").update(price=12_345_670, title="ماهانه ویژه")
    Plan.objects.filter(code="yearly").update(is_active=False)
    Plan.objects.create(code="half", title="شش‌ماهه آزمایشی", days=180, price=30_000_000, order=9)

    page = client.get("/for-agents/").content.decode()

    assert "ماهانه ویژه" in page and "۱٬۲۳۴٬۵۶۷ تومان" in page
    assert "شش‌ماهه آزمایشی" in page and "۳٬۰۰۰٬۰۰۰ تومان" in page and "۱۸۰ روز" in page
    assert 'data-plan="yearly"' not in page  # no longer sold
    assert 'data-plan="quarterly"' in page


def test_the_home_pages_agents_link_goes_to_the_agents_page(client):
    """issue 14 point 8: «نمایندگان بیمه» on the home page leads here, not to the customer sign-up."""
    page = client.get("/").content.decode()
    assert '<a class="btn btn-outline-secondary" href="/for-agents/">نمایندگان بیمه</a>' in page


@pytest.mark.parametrize(
    ("query", "expected_next"),
    [("", "/for-agents/"), ("?next=/pricing/fire/", "/pricing/fire/"), ("?next=https://evil.example/", "/for-agents/")],
)
def test_the_sign_up_button_carries_where_it_came_from_and_only_a_local_url(client, query, expected_next):
    """issue 14 point 8: `next` is this page or the local page that linked here; a foreign URL is dropped."""
    link = sign_up_link(client.get(f"/for-agents/{query}").content.decode())
    parts = urlsplit(link)
    assert parts.path == "/agent/register/"
    assert parse_qs(parts.query) == {"next": [expected_next]}


def test_sign_in_then_agent_registration_then_back_to_the_agents_page(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 8: sign-in code → short sign-up → agent's initial form → back where it started."""
    link = sign_up_link(client.get("/for-agents/").content.decode())

    to_sign_in = client.get(link)
    assert to_sign_in.status_code == 302
    sign_in_url = to_sign_in["Location"]
    assert sign_in_url == f"/accounts/login/?next={quote(link, safe='/')}"

    with django_capture_on_commit_callbacks(execute=True):  # the SMS goes out after commit
        answer = client.post(sign_in_url, {"mobile": "09121112233", "next": link})
    assert answer["Location"] == "/accounts/verify/"
    answer = client.post("/accounts/verify/", {"code": sms_outbox[-1].code})
    assert answer["Location"] == "/accounts/sign-up/"
    answer = client.post(
        "/accounts/sign-up/", {"first_name": "رضا", "last_name": "کریمی", "national_code": "0499370899"}
    )
    assert answer["Location"] == link  # the sign-in kept the way to the agent's form

    form = client.get(link).content.decode()
    assert '<input type="hidden" name="next" value="/for-agents/">' in form
    answer = client.post(link, agent_form(next="/for-agents/"))

    assert answer.status_code == 302 and answer["Location"] == "/for-agents/"
    agent = Agent.objects.get(user__mobile="09121112233")
    assert agent.status == Agent.Status.PENDING_TERMS
    back = client.get("/for-agents/").content.decode()
    assert 'id="agent-next-step"' in back and 'href="/agent/terms/"' in back
    assert 'id="agent-sign-up"' not in back


def test_a_foreign_next_is_ignored_and_the_wizard_goes_on_to_the_terms(client):
    """Only local URLs: an absolute foreign `next` (an open redirect) falls back to the wizard's next step."""
    client.force_login(UserFactory())
    answer = client.post("/agent/register/?next=https://evil.example/", agent_form(next="https://evil.example/"))
    assert answer.status_code == 302 and answer["Location"] == "/agent/terms/"


def test_an_agent_already_registered_is_sent_on_to_next(client):
    client.force_login(AgentFactory().user)
    assert client.get("/agent/register/?next=/faq/")["Location"] == "/faq/"
    assert client.get("/agent/register/")["Location"] == "/agent/"
