"""The clerk decides on the agent's page, where the licence is shown, not only from the list."""

import re

import pytest

from agents.models import Agent
from tests.agents.factories import AgentFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/agents/agent/"


@pytest.fixture
def staff_browser(client):
    client.force_login(StaffFactory())
    return client


def decision_forms(html):
    """{submit name: (action url, hidden fields)} of the decision buttons on the page."""
    forms = {}
    for action, body in re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
        submit = re.search(r'<input type="submit"[^>]* name="([^"]+)"', body)
        if submit:
            forms[submit.group(1)] = (action, fields)
    return forms


def test_approve_from_the_change_page(staff_browser, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)
    html = staff_browser.get(f"{CHANGELIST}{agent.pk}/change/").content.decode()
    action, fields = decision_forms(html)["decide_approve_selected"]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_browser.post(action, fields, follow=True)

    agent.refresh_from_db()
    assert agent.status == Agent.Status.VERIFIED
    assert response.redirect_chain[-1][0] == CHANGELIST  # back to the queue for the next one
    assert "نماینده تأیید شد" in response.content.decode()


def test_reject_from_the_change_page_asks_for_the_reason(staff_browser, sms_outbox, django_capture_on_commit_callbacks):
    agent = AgentFactory(documents_sent=True)
    html = staff_browser.get(f"{CHANGELIST}{agent.pk}/change/").content.decode()
    action, fields = decision_forms(html)["decide_reject_selected"]

    reason_page = staff_browser.post(action, fields)
    assert "دلیل رد" in reason_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_browser.post(action, {**fields, "apply": "1", "reason": "تصویر پروانه خوانا نیست"})

    agent.refresh_from_db()
    assert (agent.status, agent.rejection_reason) == (Agent.Status.REJECTED, "تصویر پروانه خوانا نیست")
    assert "تصویر پروانه خوانا نیست" in sms_outbox[0].text


def test_no_decision_buttons_once_decided(staff_browser):
    agent = AgentFactory(documents_sent=True)
    Agent.objects.filter(pk=agent.pk).update(status=Agent.Status.VERIFIED)

    html = staff_browser.get(f"{CHANGELIST}{agent.pk}/change/").content.decode()

    assert decision_forms(html) == {}
