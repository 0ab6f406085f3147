"""No police report or sketch for a third-party loss below the year's threshold [003]
(6.3 million toman in the source; tariff data per solar year, read on the accident day)."""

import pytest

from claims import selectors, services
from claims.models import Claim, ClaimDocument
from core.exceptions import ApplicationError
from pricing.models import TariffRate
from tests.claims.rule_steps import ago, browser, documents_complete, file
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = [pytest.mark.django_db, pytest.mark.rule("R-271")]

THRESHOLD = 63_000_000  # rial: 6.3 million toman


@pytest.fixture
def third_party(agent, customer):
    return record(agent, customer, line="third_party", issued_on=ago(40))


def test_a_small_property_loss_needs_no_police_report(third_party, customer, customer_api):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=THRESHOLD - 10)
    detail = customer_api.get(f"/api/v1/claims/{claim.pk}/").data
    assert "police_report" not in [row["code"] for row in detail["required_documents"]]
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "گزارش پلیس یا کروکی" not in page


def test_a_loss_at_the_threshold_needs_the_police_report(third_party, customer, customer_api):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=THRESHOLD)
    detail = customer_api.get(f"/api/v1/claims/{claim.pk}/").data
    assert "police_report" in detail["missing_documents"]


def test_a_bodily_loss_always_needs_the_police_report(third_party, customer):
    claim = file(customer, third_party, cause="bodily", occurred_on=ago(2), loss=1_000_000)
    assert "police_report" in [doc.code for doc in selectors.required_documents_for(claim)]


def test_the_threshold_is_the_tariff_figure_of_the_accident_year(third_party, customer):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=70_000_000)
    assert "police_report" in [doc.code for doc in selectors.required_documents_for(claim)]
    for row in TariffRate.objects.filter(line="third_party", table="claims", key="police_report_threshold"):
        row.value = 80_000_000
        row.save()  # staff change the year's figure in the admin
    assert "police_report" not in [doc.code for doc in selectors.required_documents_for(claim)]


def test_an_assessment_at_or_above_the_threshold_needs_the_report_after_all(third_party, customer):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=THRESHOLD - 10)
    documents_complete(claim)
    staff_api = client_for(StaffFactory())
    response = staff_api.post(f"/api/v1/staff/claims/{claim.pk}/assess/", {"assessed_loss": THRESHOLD}, format="json")
    assert response.status_code == 400
    assert "کروکی" in response.data["assessed_loss"][0]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DOCUMENTS_COMPLETE
    assert claim.assessed_loss is None
    # below the threshold the assessment goes through without the report
    response = staff_api.post(
        f"/api/v1/staff/claims/{claim.pk}/assess/", {"assessed_loss": THRESHOLD - 1}, format="json"
    )
    assert response.status_code == 200, response.data


def test_with_the_report_on_file_a_bigger_assessment_goes_through(third_party, customer):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=THRESHOLD - 10)
    documents_complete(claim)
    with pytest.raises(ApplicationError):
        services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=THRESHOLD * 2)
    ClaimDocument.objects.create(claim=claim, kind="police_report", file="p.png", content_type="image/png", size=1)
    claim = services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=THRESHOLD * 2)
    assert claim.status == Claim.Status.ASSESSED
