"""Claims outside the cover: the body exclusions [004], the electronics events that void the
policy and its exclusions [003], the whole device replaced [003], the driver-accident cover
that pays bodily losses only [003]."""

import pytest

from claims import rules, services
from claims.models import Claim
from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from core.models import AuditLog
from policies.models import Policy
from tests.claims.rule_steps import ago, assessed, browser, documents_complete, file, paid
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/claims"


@pytest.fixture
def body(agent, customer):
    return record(agent, customer, line="body", issued_on=ago(120), sum_insured=1_000_000_000)


@pytest.fixture
def electronics(agent, customer):
    return record(agent, customer, line="electronics", issued_on=ago(40), sum_insured=300_000_000)


@pytest.fixture
def third_party(agent, customer):
    return record(agent, customer, line="third_party", issued_on=ago(40))


# --- body exclusions (R-130) ----------------------------------------------------------------


@pytest.mark.rule("R-130")
def test_the_body_exclusions_of_the_source_are_data_the_assessor_picks_from():
    codes = {each.code for each in rules.exclusions_for(rules.BODY)}
    assert {"intent", "no_matching_licence", "alcohol_drugs", "racing", "cargo", "flammables", "war"} <= codes
    assert not any(each.voids_policy for each in rules.exclusions_for(rules.BODY))


@pytest.mark.rule("R-130")
def test_an_excluded_body_loss_is_rejected_with_the_exclusion_named_and_pays_nothing(body, customer):
    claim = assessed(file(customer, body, cause="partial", occurred_on=ago(2)), assessed_loss=100_000_000)
    assert claim.payout > 0
    claim = services.claim_exclusion_record(user=StaffFactory(), claim=claim, exclusion="alcohol_drugs")
    assert claim.status == Claim.Status.REJECTED
    assert claim.payout == 0
    assert "شرب خمر" in claim.rejection_reason
    assert claim.details["exclusion"]["code"] == "alcohol_drugs"
    body.refresh_from_db()
    assert body.status == Policy.Status.ISSUED  # a body exclusion refuses the claim, not the policy
    with pytest.raises(ConflictError):  # nothing further on it: it is closed
        services.claim_approve(user=StaffFactory(), claim=claim, reference="M-1")


@pytest.mark.rule("R-130")
def test_the_api_records_a_body_exclusion_and_the_tracker_names_it(body, customer):
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/exclusion/", {"exclusion": "no_matching_licence", "note": "گواهینامه موتورسیکلت"}
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "rejected"
    assert response.data["payout"] == 0
    assert response.data["exclusion"]["code"] == "no_matching_licence"
    assert "گواهینامه رانندگی متناسب" in response.data["rejection_reason"]
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "نداشتن گواهینامه رانندگی متناسب با وسیله نقلیه" in page


@pytest.mark.rule("R-130")
def test_an_exclusion_of_another_line_is_refused_on_its_field_and_writes_nothing(body, customer):
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    documents_complete(claim)
    with pytest.raises(ApplicationError) as error:
        services.claim_exclusion_record(user=StaffFactory(), claim=claim, exclusion="other_charger")
    assert error.value.field == "exclusion"
    response = client_for(StaffFactory()).post(f"{STAFF}/{claim.pk}/exclusion/", {"exclusion": ""})
    assert response.status_code == 400
    assert "exclusion" in response.data
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE
    assert not AuditLog.objects.filter(action="claim.exclusion").exists()


@pytest.mark.rule("R-130")
def test_natural_disasters_are_no_exclusion_when_their_cover_was_in_force(agent, customer):
    policy = record(
        agent, customer, line="body", issued_on=ago(120), sum_insured=1_000_000_000, covers=["natural_disasters"]
    )
    claim = file(customer, policy, cause="natural_disaster", occurred_on=ago(2))
    documents_complete(claim)
    with pytest.raises(ApplicationError) as error:
        services.claim_exclusion_record(user=StaffFactory(), claim=claim, exclusion="natural_disaster")
    assert error.value.field == "exclusion"
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE


@pytest.mark.rule("R-130")
def test_the_admin_exclusion_form_rejects_the_claim_and_shows_a_wrong_line_on_its_field(body, customer):
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    documents_complete(claim)
    admin = browser(StaffFactory())
    url = f"/admin/claims/claim/{claim.pk}/transition/exclusion/"
    response = admin.post(url, {"exclusion": "software", "note": "یادداشت ارزیاب"})
    assert response.status_code == 200
    assert "exclusion" in response.context["form"].errors
    assert response.context["form"]["note"].value() == "یادداشت ارزیاب"  # what was typed is kept
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE
    response = admin.post(url, {"exclusion": "racing"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert "مسابقات اتومبیل‌رانی" in claim.rejection_reason


# --- electronics: events that void the policy, exclusions (R-093) ---------------------------


@pytest.mark.rule("R-093")
def test_the_electronics_voiding_events_and_exclusions_of_the_source():
    voiding = {each.code for each in rules.exclusions_for(rules.ELECTRONICS) if each.voids_policy}
    excluded = {each.code for each in rules.exclusions_for(rules.ELECTRONICS) if not each.voids_policy}
    assert voiding == {"unauthorised_repair", "dusty_environment", "other_charger", "tampered_policy"}
    assert excluded == {"warranty_defect", "software", "transit_damage"}


@pytest.mark.rule("R-093")
def test_a_non_original_charger_voids_the_policy_and_the_claim_is_not_paid(electronics, customer):
    claim = assessed(file(customer, electronics, cause="breakage", occurred_on=ago(3)), assessed_loss=50_000_000)
    response = client_for(StaffFactory()).post(f"{STAFF}/{claim.pk}/exclusion/", {"exclusion": "other_charger"})
    assert response.status_code == 200, response.data
    assert response.data["status"] == "rejected"
    assert response.data["payout"] == 0
    assert response.data["exclusion"]["voids_policy"] is True
    assert "ابطال بیمه‌نامه دستگاه" in response.data["rejection_reason"]
    electronics.refresh_from_db()
    assert electronics.status == Policy.Status.ANNULLED
    assert electronics.cancellation_refund == 0
    assert electronics.cancellation_reason == "void_other_charger"
    assert AuditLog.objects.filter(action="policy.void_by_insurer").count() == 1
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "بیمه‌نامه این دستگاه" in page
    # The policy is void: no new claim is taken on it.
    with pytest.raises(ApplicationError):
        file(customer, electronics, cause="liquid", occurred_on=ago(1))


@pytest.mark.rule("R-093")
def test_a_software_fault_refuses_the_claim_but_keeps_the_policy(electronics, customer):
    claim = file(customer, electronics, cause="breakage", occurred_on=ago(3))
    documents_complete(claim)
    claim = services.claim_exclusion_record(user=StaffFactory(), claim=claim, exclusion="software")
    assert claim.status == Claim.Status.REJECTED
    assert claim.payout == 0
    electronics.refresh_from_db()
    assert electronics.status == Policy.Status.ISSUED


@pytest.mark.rule("R-093")
def test_voiding_a_policy_already_void_writes_nothing(electronics, customer):
    claim = file(customer, electronics, cause="breakage", occurred_on=ago(3))
    documents_complete(claim)
    Policy.objects.filter(pk=electronics.pk).update(status=Policy.Status.ANNULLED)
    with pytest.raises(ConflictError):
        services.claim_exclusion_record(user=StaffFactory(), claim=claim, exclusion="dusty_environment")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE
    assert not AuditLog.objects.filter(action="claim.exclusion").exists()


# --- electronics: the whole device replaced ends its policy (R-096) --------------------------


@pytest.mark.rule("R-096")
def test_a_claim_settled_by_replacing_the_device_ends_its_policy_with_the_payment(electronics, customer):
    claim = file(customer, electronics, cause="breakage", occurred_on=ago(3))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 50_000_000, "settlement": "replacement"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["settlement"] == "replacement"
    claim.refresh_from_db()
    electronics.refresh_from_db()
    assert electronics.status == Policy.Status.ISSUED  # not before the payment
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "بیمه‌نامه دستگاه معیوب باطل می‌شود" in page
    paid(claim)
    electronics.refresh_from_db()
    assert electronics.status == Policy.Status.CANCELLED
    assert electronics.cancellation_reason == rules.DEVICE_REPLACED_REASON
    assert electronics.cancellation_refund == 0


@pytest.mark.rule("R-096")
def test_a_repair_keeps_the_policy(electronics, customer):
    claim = assessed(
        file(customer, electronics, cause="breakage", occurred_on=ago(3)), assessed_loss=50_000_000, settlement="repair"
    )
    paid(claim)
    electronics.refresh_from_db()
    assert electronics.status == Policy.Status.ISSUED


@pytest.mark.rule("R-096")
def test_a_later_claim_on_the_replaced_device_is_refused_naming_the_rule(electronics, customer):
    claim = assessed(
        file(customer, electronics, cause="breakage", occurred_on=ago(3)),
        assessed_loss=50_000_000,
        settlement="replacement",
    )
    paid(claim)
    with pytest.raises(ApplicationError) as error:
        file(customer, electronics, cause="liquid", occurred_on=ago(0))
    assert error.value.field == "policy"
    assert "تعویض" in error.value.message
    response = client_for(customer).post(
        "/api/v1/claims/",
        {
            "policy": electronics.pk,
            "occurred_on": ago(0).isoformat(),
            "description": "شکستگی",
            "estimated_loss": 1_000_000,
            "cause": "liquid",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "policy" in response.data
    assert Claim.objects.filter(policy=electronics).count() == 1


@pytest.mark.rule("R-096")
def test_a_replacement_settlement_is_for_electronics_only_and_shows_on_the_admin_field(body, customer):
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    documents_complete(claim)
    with pytest.raises(ApplicationError) as error:
        services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=10_000_000, settlement="replacement")
    assert error.value.field == "settlement"
    response = browser(StaffFactory()).post(
        f"/admin/claims/claim/{claim.pk}/transition/assess/", {"assessed_loss": "10000000", "settlement": "replacement"}
    )
    assert response.status_code == 200
    assert "settlement" in response.context["form"].errors
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE


# --- third party: the driver-accident cover pays bodily losses only (R-061) -------------------


@pytest.mark.rule("R-061")
def test_the_at_fault_drivers_own_injury_is_a_claim_of_its_own_with_medical_reports(third_party, customer):
    claim = file(customer, third_party, cause=rules.DRIVER_ACCIDENT, occurred_on=ago(10))
    assert claim.cause == "driver_accident"
    assert not claim.late  # a bodily loss: no 5-day deadline
    codes = {doc.code for doc in rules.required_documents("third_party", cause=rules.DRIVER_ACCIDENT)}
    assert "medical_reports" in codes


@pytest.mark.rule("R-061")
def test_a_property_loss_under_the_driver_accident_cover_is_refused_naming_the_rule(third_party, customer):
    with pytest.raises(ApplicationError) as error:
        file(customer, third_party, cause=rules.DRIVER_ACCIDENT_PROPERTY, occurred_on=ago(2))
    assert error.value.field == "cause"
    assert "فقط زیان‌های جانی" in error.value.message
    response = client_for(customer).post(
        "/api/v1/claims/",
        {
            "policy": third_party.pk,
            "occurred_on": ago(2).isoformat(),
            "description": "خسارت خودروی خودم",
            "estimated_loss": 20_000_000,
            "cause": "driver_property",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "cause" in response.data
    assert "حوادث راننده" in str(response.data["cause"])
    assert not Claim.objects.filter(policy=third_party).exists()


@pytest.mark.rule("R-061")
def test_a_driver_accident_claim_owes_no_recovery_from_the_driver_it_pays(third_party, customer):
    claim = file(customer, third_party, cause=rules.DRIVER_ACCIDENT, occurred_on=ago(10))
    documents_complete(claim)
    with pytest.raises(ApplicationError) as error:
        services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=100_000_000, driver_violation="speeding")
    assert error.value.field == "driver_violation"
    claim = services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=100_000_000)
    assert claim.status == Claim.Status.ASSESSED
    assert claim.driver_recovery is None


@pytest.mark.rule("R-061")
def test_the_filing_page_offers_the_driver_accident_cause_and_files_it(third_party, customer):
    client = browser(customer)
    assert "حوادث راننده" in client.get("/claims/new/").content.decode()
    response = client.post(
        "/claims/new/",
        {
            "policy": third_party.pk,
            "cause": "driver_accident",
            "description": "آسیب دیدگی دست راننده",
            "estimated_loss": "5,000,000",
            "occurred_on": format_jalali(ago(3)),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Claim.objects.get(policy=third_party).cause == "driver_accident"
