"""Stages 1–4 of SPEC §3 through the API, each with its refusals."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agents.models import Agent, TermsAcceptance
from agents.services import terms_version_publish
from core.models import AuditLog
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.agents.images import png_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/agent/profile/"


def register_body(**overrides):
    body = {
        "insurer": "iran",
        "agency_code": "۱۲۳۴۵",
        "agency_name": "نمایندگی امید",
        "province": "تهران",
        "city": "تهران",
        "postal_address": "خیابان انقلاب، کوچه بهار، پلاک ۳",
        "postal_code": "۱۲۳۴۵-۶۷۸۹۰",
        "office_phone": "021-88776655",
    }
    body.update(overrides)
    return body


def licence_upload(content=None, name="licence.png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type="image/png")


# --- Stage 1: initial form ------------------------------------------------------------------


def test_register_creates_agent_waiting_for_terms():
    user = UserFactory()

    response = client_for(user).post(PROFILE, register_body(), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending_terms"
    assert data["gateway_active"] is False
    assert data["subscription"] == {"plan": None, "status": "none", "ends_on": None, "days_left": 0}
    agent = Agent.objects.get(user=user)
    assert (agent.agency_code, agent.postal_code, agent.office_phone) == ("12345", "1234567890", "02188776655")
    assert agent.province.code == "tehran"
    assert AuditLog.objects.filter(action="agent.register", target_id=str(agent.pk)).exists()


@pytest.mark.rule("R-003")
def test_register_refuses_unverified_mobile():
    user = UserFactory(mobile_verified_at=None)

    response = client_for(user).post(PROFILE, register_body(), format="json")

    assert response.status_code == 403
    assert not Agent.objects.exists()


def test_register_requires_sign_in(api_client):
    assert api_client.post(PROFILE, register_body(), format="json").status_code in (401, 403)


def test_register_twice_is_a_conflict():
    agent = AgentFactory()

    response = client_for(agent.user).post(PROFILE, register_body(agency_code="999"), format="json")

    assert response.status_code == 409


def test_duplicate_agency_code_for_same_insurer_is_refused_with_reason():
    AgentFactory(agency_code="12345")

    response = client_for(UserFactory()).post(PROFILE, register_body(agency_code="12345"), format="json")

    assert response.status_code == 409
    assert "کد نمایندگی" in response.json()["agency_code"][0]


def test_same_agency_code_at_another_insurer_is_fine():
    AgentFactory(agency_code="12345")

    response = client_for(UserFactory()).post(PROFILE, register_body(insurer="asia"), format="json")

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postal_code", "12345"),
        ("office_phone", "12"),
        ("insurer", "nonexistent"),
        ("province", "آتلانتیس"),
        ("agency_code", "کد!"),
    ],
)
def test_register_validates_fields_in_persian(field, value):
    response = client_for(UserFactory()).post(PROFILE, register_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_profile_get_without_agent_is_404():
    assert client_for(UserFactory()).get(PROFILE).status_code == 404


# --- Stage 2: terms and plan --------------------------------------------------------------


def test_terms_show_the_current_version():
    agent = AgentFactory()

    data = client_for(agent.user).get("/api/v1/agent/terms/").json()

    assert data["version"] == 1
    assert "مقررات" in data["title"]
    assert len(data["text"]) > 200


@pytest.mark.rule("R-003")
def test_accepting_terms_records_version_time_ip_and_plan():
    agent = AgentFactory()

    response = client_for(agent.user).post(
        "/api/v1/agent/terms/accept/", {"version": 1, "plan": "quarterly"}, format="json", REMOTE_ADDR="5.6.7.8"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending_documents"
    acceptance = TermsAcceptance.objects.get(agent=agent)
    assert (acceptance.terms.version, acceptance.plan.code, acceptance.ip) == (1, "quarterly", "5.6.7.8")
    assert acceptance.accepted_at is not None
    agent.refresh_from_db()
    assert agent.chosen_plan.code == "quarterly"


def test_accepting_a_stale_version_is_refused():
    agent = AgentFactory()
    terms_version_publish(title="مقررات", text="متن نسخه دوم")

    response = client_for(agent.user).post("/api/v1/agent/terms/accept/", {"version": 1, "plan": "monthly"})

    assert response.status_code == 409
    assert "version" in response.json()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_TERMS


@pytest.mark.rule("R-003")
def test_accepting_terms_needs_a_real_plan():
    agent = AgentFactory()

    response = client_for(agent.user).post("/api/v1/agent/terms/accept/", {"version": 1, "plan": "lifetime"})

    assert response.status_code == 400
    assert "plan" in response.json()


def test_plans_list_shape():
    data = client_for(UserFactory()).get("/api/v1/agent/plans/").json()

    assert [plan["code"] for plan in data] == ["monthly", "quarterly", "yearly"]
    assert set(data[0]) == {"code", "title", "days", "price"}
    assert data[0]["days"] == 30 and isinstance(data[0]["price"], int)


# --- Stage 4: documents -----------------------------------------------------------------------


@pytest.mark.rule("R-003")
def test_documents_before_terms_are_refused():
    agent = AgentFactory()

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(), "licence_number": "A-1", "licence_expires_on": "1410/01/01"},
        format="multipart",
    )

    assert response.status_code == 409


@pytest.mark.rule("R-005")
def test_documents_queue_the_agent_for_review():
    agent = AgentFactory(terms_accepted=True)
    expires = timezone.localdate() + dt.timedelta(days=400)

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {
            "licence_image": licence_upload(),
            "licence_number": "۱۲۳-۴۵۶",
            "licence_expires_on": expires.isoformat(),
            "service_provinces": ["tehran", "البرز"],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending_verification"
    assert data["licence"] == {"number": "123-456", "expires_on": expires.isoformat(), "uploaded": True}
    assert sorted(data["service_provinces"]) == ["alborz", "tehran"]
    agent.refresh_from_db()
    assert agent.licence_file.name.startswith(f"agents/licences/{agent.pk}/")
    assert not agent.licence_file.name.endswith("licence.png")  # our name, not theirs


def test_documents_accept_a_jalali_expiry_date():
    agent = AgentFactory(terms_accepted=True)

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(), "licence_number": "L100", "licence_expires_on": "۱۴۳۰/۰۱/۰۱"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    agent.refresh_from_db()
    assert agent.licence_expires_on.year == 2051


@pytest.mark.rule("R-005")
def test_expired_licence_is_refused():
    agent = AgentFactory(terms_accepted=True)

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(), "licence_number": "L100", "licence_expires_on": "2020-01-01"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "licence_expires_on" in response.json()


def test_polyglot_licence_is_refused_through_the_api():
    agent = AgentFactory(terms_accepted=True)
    polyglot = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(polyglot), "licence_number": "L100", "licence_expires_on": "1430/01/01"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "licence_image" in response.json()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_DOCUMENTS


def test_default_service_province_is_the_office_province():
    agent = AgentFactory(terms_accepted=True)

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(), "licence_number": "L100", "licence_expires_on": "1430/01/01"},
        format="multipart",
    )

    assert response.json()["service_provinces"] == ["tehran"]
