"""A lost third-party policy gets no duplicate (المثنی), only a free certificate (گواهی) [003]."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import services as claim_services
from claims.models import ClaimDocument
from claims.selectors import required_documents_for
from core.exceptions import ApplicationError
from core.uploads import private_upload_clean
from policies import services
from policies.certificates import third_party_certificate
from tests.agents.images import png_bytes
from tests.claims.rule_steps import browser
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, record, today

pytestmark = pytest.mark.django_db


def _upload():
    return private_upload_clean(SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"))


@pytest.fixture
def third_party(agent, customer):
    return record(
        agent,
        customer,
        line="third_party",
        issued_on=today() - days(40),
        params={"no_claim_years": 4, "plate": "12ب345-67", "vin": "NAAM01CA0KR123456"},
    )


@pytest.mark.rule("R-082")
def test_the_certificate_carries_the_policy_and_its_no_claim_years_free_of_charge(third_party, customer, agent):
    certificate = third_party_certificate(customer, third_party.pk)
    assert certificate["number"] == third_party.number
    assert certificate["no_claim_years"] == 4
    assert certificate["fee"] == 0
    assert certificate["coupons"]  # the instalment coupons of the policy
    assert third_party_certificate(agent.user, third_party.pk)["number"] == third_party.number


@pytest.mark.rule("R-082")
def test_the_certificate_through_the_api_and_the_printable_page(third_party, customer, agent):
    response = client_for(customer).get(f"/api/v1/policies/{third_party.pk}/certificate/")
    assert response.status_code == 200, response.data
    assert response.data["no_claim_years"] == 4
    assert response.data["fee"] == 0
    assert response.data["vehicle"]["vin"] == "NAAM01CA0KR123456"
    assert client_for(agent.user).get(f"/api/v1/policies/{third_party.pk}/certificate/").status_code == 200
    page = browser(customer).get(f"/policies/{third_party.pk}/certificate/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "المثنی صادر نمی‌شود" in text
    assert "رایگان" in text
    detail = browser(customer).get(f"/policies/{third_party.pk}/").content.decode()
    assert f"/policies/{third_party.pk}/certificate/" in detail


@pytest.mark.rule("R-082")
def test_a_stranger_gets_404_and_another_line_gets_no_certificate(third_party, agent, customer):
    assert client_for(UserFactory()).get(f"/api/v1/policies/{third_party.pk}/certificate/").status_code == 404
    assert browser(UserFactory()).get(f"/policies/{third_party.pk}/certificate/").status_code == 404
    fire = record(agent, customer, issued_on=today() - days(10))
    response = client_for(customer).get(f"/api/v1/policies/{fire.pk}/certificate/")
    assert response.status_code == 400
    assert "policy" in response.data


@pytest.mark.rule("R-082")
def test_a_used_cover_is_attached_to_the_certificate(third_party, customer):
    claim = claim_services.claim_file(
        user=customer,
        policy=third_party,
        occurred_on=today() - days(2),
        description="تصادف",
        estimated_loss=10_000_000,
        cause="bodily",
    )
    staff = StaffFactory()
    for doc in required_documents_for(claim):
        ClaimDocument.objects.create(claim=claim, kind=doc.code, file="x.png", content_type="image/png", size=1)
    claim = claim_services.claim_documents_complete(user=staff, claim=claim)
    claim = claim_services.claim_assess(user=staff, claim=claim, assessed_loss=10_000_000)
    claim = claim_services.claim_approve(user=staff, claim=claim, reference="M-1")
    claim = claim_services.claim_order_payment(user=staff, claim=claim)
    claim = claim_services.claim_undertaking_accept(user=customer, claim=claim)
    claim_services.claim_mark_paid(user=staff, claim=claim, reference="TRX-1")
    uses = third_party_certificate(customer, third_party.pk)["claim_uses"]
    assert [use["claim"] for use in uses] == [claim.pk]


@pytest.mark.rule("R-082")
def test_a_second_policy_document_a_duplicate_is_refused_naming_the_rule(third_party, agent):
    services.policy_document_attach(user=agent.user, policy=third_party, document=_upload())
    first = third_party.__class__.objects.get(pk=third_party.pk).document.name
    with pytest.raises(ApplicationError) as error:
        services.policy_document_attach(user=agent.user, policy=third_party, document=_upload())
    assert error.value.field == "file"
    assert "المثنی" in error.value.message
    response = client_for(agent.user).post(
        f"/api/v1/policies/{third_party.pk}/document/",
        {"file": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.data
    page = browser(agent.user).post(
        f"/policies/{third_party.pk}/document/upload/",
        {"file": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")},
    )
    assert page.status_code == 200
    assert "file" in page.context["form"].errors
    assert "المثنی" in page.content.decode()
    assert third_party.__class__.objects.get(pk=third_party.pk).document.name == first


@pytest.mark.rule("R-082")
def test_other_lines_may_replace_their_policy_document(agent, customer):
    fire = record(agent, customer, issued_on=today() - days(10))
    services.policy_document_attach(user=agent.user, policy=fire, document=_upload())
    services.policy_document_attach(user=agent.user, policy=fire, document=_upload())
