"""Stage 5: staff verify in the admin or through the staff API; licence files stay private."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from agents.models import Agent
from core.models import AuditLog
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/agents/agent/"


def verify_url(agent):
    return f"/api/v1/staff/agents/{agent.pk}/verify/"


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def staff_browser(client, staff):
    client.force_login(staff)
    return client


# --- Staff API ---------------------------------------------------------------------------------


@pytest.mark.rule("R-002")
def test_staff_approves_through_the_api(staff, sms_outbox, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(verify_url(agent), {"decision": "approve"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    agent.refresh_from_db()
    assert agent.status == Agent.Status.VERIFIED
    assert agent.decided_by == staff
    assert [sms.to for sms in sms_outbox] == [agent.user.mobile]
    assert "تأیید شد" in sms_outbox[0].text
    assert AuditLog.objects.filter(action="agent.approve", target_id=str(agent.pk), actor=staff).count() == 1


def test_reject_needs_a_reason(staff):
    agent = AgentFactory(documents_sent=True)

    response = client_for(staff).post(verify_url(agent), {"decision": "reject", "reason": "  "}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_VERIFICATION


def test_staff_rejects_with_reason(staff, sms_outbox, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            verify_url(agent), {"decision": "reject", "reason": "تصویر پروانه خوانا نیست."}, format="json"
        )

    assert response.status_code == 200
    agent.refresh_from_db()
    assert (agent.status, agent.rejection_reason) == (Agent.Status.REJECTED, "تصویر پروانه خوانا نیست.")
    assert "تصویر پروانه خوانا نیست." in sms_outbox[0].text
    assert AuditLog.objects.filter(action="agent.reject", target_id=str(agent.pk)).exists()


def test_non_staff_cannot_verify():
    agent = AgentFactory(documents_sent=True)

    response = client_for(agent.user).post(verify_url(agent), {"decision": "approve"}, format="json")

    assert response.status_code == 403
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_VERIFICATION


def test_agent_not_in_queue_cannot_be_decided(staff):
    agent = AgentFactory(terms_accepted=True)

    response = client_for(staff).post(verify_url(agent), {"decision": "approve"}, format="json")

    assert response.status_code == 409


def test_deciding_twice_is_a_conflict(staff):
    agent = AgentFactory(documents_sent=True)
    client_for(staff).post(verify_url(agent), {"decision": "approve"}, format="json")

    response = client_for(staff).post(verify_url(agent), {"decision": "reject", "reason": "x"}, format="json")

    assert response.status_code == 409


def test_unknown_agent_is_404(staff):
    response = client_for(staff).post("/api/v1/staff/agents/999999/verify/", {"decision": "approve"}, format="json")

    assert response.status_code == 404


def test_rejected_agent_can_send_documents_again():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.agents.images import png_bytes

    agent = AgentFactory(documents_sent=True, status=Agent.Status.REJECTED, rejection_reason="ناخوانا")

    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {
            "licence_image": SimpleUploadedFile("l.png", png_bytes()),
            "licence_number": "L200",
            "licence_expires_on": "1430/01/01",
        },
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending_verification"


# --- Admin queue and actions --------------------------------------------------------------------


def test_admin_queue_defaults_to_pending_verification(staff_browser):
    waiting = AgentFactory(documents_sent=True, agency_name="در صف")
    AgentFactory(verified=True, agency_name="تأییدشده قبلی")

    response = staff_browser.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [waiting]
    everyone = staff_browser.get(CHANGELIST, {"queue": "all"})
    assert everyone.context["cl"].queryset.count() == 2


def test_admin_change_page_shows_licence_inline(staff_browser):
    agent = AgentFactory(documents_sent=True)

    response = staff_browser.get(f"{CHANGELIST}{agent.pk}/change/")

    assert response.status_code == 200
    assert f'src="/agent/licence/{agent.pk}/"' in response.content.decode()


def test_admin_approve_action_calls_the_service(staff_browser, staff, sms_outbox, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.post(
            CHANGELIST, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [agent.pk], "index": 0}
        )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.status == Agent.Status.VERIFIED
    assert AuditLog.objects.filter(action="agent.approve", target_id=str(agent.pk), actor=staff).count() == 1
    assert len(sms_outbox) == 1


def test_admin_reject_action_asks_for_a_reason_first(staff_browser):
    agent = AgentFactory(documents_sent=True)

    response = staff_browser.post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [agent.pk], "index": 0}
    )

    assert response.status_code == 200
    assert "دلیل رد" in response.content.decode()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_VERIFICATION


def test_admin_reject_with_empty_reason_stays_on_the_form(staff_browser):
    agent = AgentFactory(documents_sent=True)

    response = staff_browser.post(
        CHANGELIST, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [agent.pk], "apply": "1", "reason": " "}
    )

    assert response.status_code == 200
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_VERIFICATION


def test_admin_reject_with_reason(staff_browser, sms_outbox, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.post(
            CHANGELIST,
            {"action": "reject_selected", ACTION_CHECKBOX_NAME: [agent.pk], "apply": "1", "reason": "پروانه منقضی است"},
        )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.status, agent.rejection_reason) == (Agent.Status.REJECTED, "پروانه منقضی است")
    assert "پروانه منقضی است" in sms_outbox[0].text
    assert AuditLog.objects.filter(action="agent.reject", target_id=str(agent.pk)).count() == 1


def test_admin_action_on_agent_outside_queue_reports_and_changes_nothing(staff_browser):
    agent = AgentFactory(terms_accepted=True)

    response = staff_browser.post(
        CHANGELIST + "?queue=all",
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [agent.pk], "index": 0},
        follow=True,
    )

    assert "در صف بررسی نیست" in response.content.decode()
    agent.refresh_from_db()
    assert agent.status == Agent.Status.PENDING_DOCUMENTS


# --- The licence file ---------------------------------------------------------------------------


def licence_url(agent):
    return f"/agent/licence/{agent.pk}/"


def test_owner_sees_own_licence(client):
    agent = AgentFactory(documents_sent=True)
    client.force_login(agent.user)

    response = client.get(licence_url(agent))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_staff_sees_any_licence(staff_browser):
    agent = AgentFactory(documents_sent=True)

    assert staff_browser.get(licence_url(agent)).status_code == 200


def test_stranger_gets_404_for_a_licence(client):
    agent = AgentFactory(documents_sent=True)
    client.force_login(UserFactory())

    assert client.get(licence_url(agent)).status_code == 404


def test_another_agent_gets_404_for_a_licence(client):
    agent = AgentFactory(documents_sent=True)
    other = AgentFactory(documents_sent=True)
    client.force_login(other.user)

    assert client.get(licence_url(agent)).status_code == 404


def test_anonymous_gets_404_for_a_licence(client):
    agent = AgentFactory(documents_sent=True)

    assert client.get(licence_url(agent)).status_code == 404


def test_licence_files_have_no_public_url(settings):
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    agent = AgentFactory(documents_sent=True)
    assert str(settings.PRIVATE_MEDIA_ROOT) in agent.licence_file.path
