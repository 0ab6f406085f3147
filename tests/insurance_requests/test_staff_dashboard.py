import json

import pytest

from tests.factories import StaffFactory, UserFactory
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import active_agent, offer_payload

pytestmark = pytest.mark.django_db


def _stats(html):
    start = html.index('id="marketplace-stats" type="application/json">') + len(
        'id="marketplace-stats" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_staff_dashboard_counts_requests_answers_and_acceptances(post_request, customer_client, client):
    iran, asia = active_agent("iran"), active_agent("asia")
    request_id = post_request().json()["id"]
    post_request()
    rid = (
        client_for(iran.user)
        .post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json")
        .json()["id"]
    )
    client_for(asia.user).post(f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(), format="json")
    customer_client.post(f"/api/v1/requests/{request_id}/responses/{rid}/accept/")
    client.force_login(StaffFactory())
    response = client.get("/admin/marketplace/")
    assert response.status_code == 200
    stats = _stats(response.content.decode())
    assert stats["requests_total"] == 2 and sum(stats["requests_per_day"]) == 2
    per_insurer = dict(
        zip(
            stats["insurers"],
            zip(stats["responses_per_insurer"], stats["acceptances_per_insurer"], strict=True),
            strict=True,
        )
    )
    assert per_insurer == {"بیمه ایران": (1, 1), "بیمه آسیا": (1, 0)}
    assert stats["active_agents"] == 2 and stats["subscriptions"] == {"paid": 0, "trial": 2}
    assert "chart.umd.min.js" in response.content.decode()


def test_staff_dashboard_takes_a_jalali_range(client):
    client.force_login(StaffFactory())
    response = client.get("/admin/marketplace/?start=۱۴۰۵/۰۸/۰۱&end=1405/08/10")
    assert _stats(response.content.decode())["days"][0] == "1405/08/01"
    assert len(_stats(response.content.decode())["days"]) == 10


def test_dashboard_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get("/admin/marketplace/").status_code == 302
