"""Posting a request reads provinces, lines and active insurers from a per-process memo of
the current reference-data version (issue 16 point 2): no query of their own, and every
change made through the models shows on the next post."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insurers.models import InsuranceLine, Insurer, Province
from insurers.selectors import province_by_code_or_name, reference_rows
from tests.insurance_requests.factories import active_agent, request_payload

pytestmark = pytest.mark.django_db

POST = "/api/v1/requests/"


@pytest.fixture
def agents():
    return [active_agent("iran"), active_agent("asia")]


def test_a_second_read_costs_no_query():
    reference_rows()
    with CaptureQueriesContext(connection) as queries:
        rows = reference_rows()
        province = province_by_code_or_name("تهران")
    assert len(queries) == 0
    assert province == rows.provinces_by_code["tehran"]


def test_a_deactivated_insurer_is_refused_on_the_next_post(customer_client, agents):
    assert customer_client.post(POST, request_payload(), format="json").status_code == 201
    asia = Insurer.objects.get(code="asia")
    asia.is_active = False
    asia.save()
    refused = customer_client.post(POST, request_payload(), format="json")
    assert refused.status_code == 400
    assert "asia" in str(refused.json()["insurers"])


def test_a_renamed_province_is_found_by_its_new_name_on_the_next_read():
    reference_rows()
    province = Province.objects.get(code="tehran")
    province.name = "تهران بزرگ"
    province.save()
    assert province_by_code_or_name("تهران بزرگ").pk == province.pk
    assert province_by_code_or_name("تهران") is None


def test_a_new_line_is_known_on_the_next_read():
    reference_rows()
    InsuranceLine.objects.create(code="cyber", name="سایبری", order=99)
    assert "cyber" in reference_rows().lines_by_code


def test_a_bulk_update_shows_after_the_backstop(monkeypatch):
    """`update()` sends no signal, so the version stays: the rows are read again once they are
    older than REFERENCE_MEMO_SECONDS."""
    from insurers import selectors

    reference_rows()
    Insurer.objects.filter(code="asia").update(is_active=False)
    assert "asia" in reference_rows().active_insurers_by_code
    now = selectors.time.monotonic()
    monkeypatch.setattr(selectors.time, "monotonic", lambda: now + selectors.REFERENCE_MEMO_SECONDS + 1)
    assert "asia" not in reference_rows().active_insurers_by_code
