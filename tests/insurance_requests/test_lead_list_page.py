"""The agent's inbox page: an empty list says why, and a filtered one offers the way back."""

import pytest
from django.test import Client

from tests.insurance_requests.factories import active_agent

pytestmark = pytest.mark.django_db


def inbox(agent, **query):
    client = Client()
    client.force_login(agent.user)
    return client.get("/agent/leads/", query).content.decode()


def test_an_empty_inbox_says_where_leads_come_from():
    html = inbox(active_agent("iran"))

    assert "هنوز درخواستی به شما نرسیده است" in html


def test_an_empty_filtered_inbox_offers_all_leads(post_request):
    agent = active_agent("iran")
    post_request()  # a third-party request reaches the agent

    html = inbox(agent, line="travel")

    assert "درخواستی با این پالایه‌ها نیست" in html
    assert 'href="/agent/leads/">نمایش همه درخواست‌ها' in html
