"""Rules of source [004] (the FAQ for third-party, body, fire and travel) that no other test
proved with the source's own figure. Each test names its row of docs/RULES.md."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import rules as claim_rules
from claims.models import Claim
from claims.payout import PayoutInput, deductible_percent, estimate_payout
from pricing.core.errors import InputError
from tests.agents.images import png_bytes
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, make_agent, record, today
from tests.pricing.factories import amount, quote_for

CLAIMS_URL = "/api/v1/claims/"
BODY_SUM_INSURED = 1_000_000_000
PARTIAL_LOSS = 100_000_000  # 10% of the sum insured: far from a total loss


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_api(customer):
    return client_for(customer)


def _body_payout(**kwargs) -> int:
    base = {"line": "body", "loss": PARTIAL_LOSS, "sum_insured": BODY_SUM_INSURED, "actual_value": BODY_SUM_INSURED}
    base.update(kwargs)
    return estimate_payout(PayoutInput(**base)).payout


def _file_claim(client, policy, *, cause, occurred_on=None, loss=PARTIAL_LOSS):
    return client.post(
        CLAIMS_URL,
        {
            "policy": policy.pk,
            "occurred_on": (occurred_on or today() - days(1)).isoformat(),
            "description": "حادثه",
            "estimated_loss": loss,
            "cause": cause,
        },
        format="json",
    )


# --- third-party ---------------------------------------------------------------------------


@pytest.mark.rule("R-120")
def test_third_party_claims_are_only_for_third_parties_property_or_bodily_losses():
    # The third party's property and bodily losses; besides them only the policy's driver-accident
    # cover, the insured driver's own bodily loss, never the at-fault car or its cargo.
    assert {cause.code for cause in claim_rules.causes_for("third_party")} == {"property", "bodily", "driver_accident"}


@pytest.mark.rule("R-120")
def test_a_third_party_claim_for_the_at_fault_cars_own_damage_is_refused(agent, customer, customer_api):
    policy = record(agent, customer, line="third_party", issued_on=today() - days(30))
    response = _file_claim(customer_api, policy, cause="own_vehicle")
    assert response.status_code == 400
    assert "cause" in response.data
    assert not Claim.objects.filter(policy=policy).exists()


def test_driver_accident_cover_is_the_years_tariff_figure_of_the_vehicle_class():
    """[004]'s per-class figures; the rule's row is the 003 reader's (driver-accident cover)."""
    car = amount(quote_for("third_party", {"vehicle_group": "car_4cyl"}), "driver_accident")
    truck = amount(quote_for("third_party", {"vehicle_group": "pickup_1t"}), "driver_accident")
    motorcycle = amount(quote_for("third_party", {"vehicle_group": "motorcycle_1cyl"}), "driver_accident")
    # As in [004]: goods vehicles (بارکش) pay the most, cars less, motorcycles the least.
    assert truck > car > motorcycle > 0
    # The figure is tariff data: the source's year (sedan 1,617,000 rial) is one edit away.
    source_year = quote_for(
        "third_party",
        {"vehicle_group": "car_4cyl"},
        overrides={("third_party", "driver_accident", "car_4cyl"): 1_617_000},
    )
    assert amount(source_year, "driver_accident") == 1_617_000


# --- body ----------------------------------------------------------------------------------


@pytest.mark.rule("R-124")
def test_body_first_partial_loss_pays_less_10_percent_later_ones_20_percent():
    assert _body_payout(cause="partial") == 90_000_000
    assert _body_payout(cause="partial", previous_claims=1) == 80_000_000
    assert _body_payout(cause="partial", previous_claims=3) == 80_000_000


@pytest.mark.rule("R-125")
def test_body_driver_under_25_or_licensed_under_3_years_adds_10_points():
    assert _body_payout(cause="partial", young_or_new_driver=True) == 80_000_000
    assert _body_payout(cause="partial", previous_claims=1, young_or_new_driver=True) == 70_000_000


@pytest.mark.rule("R-126")
def test_body_total_loss_deductible_is_10_percent():
    loss = 800_000_000  # above 75% of the sum insured
    inp = PayoutInput("body", loss, BODY_SUM_INSURED, BODY_SUM_INSURED, cause="total_loss", previous_claims=2)
    assert deductible_percent(inp) == 10
    assert estimate_payout(inp).payout == 720_000_000


@pytest.mark.rule("R-127")
def test_body_theft_deductible_is_20_percent_partial_or_whole():
    assert _body_payout(cause="theft") == 80_000_000
    assert _body_payout(cause="theft", young_or_new_driver=True) == 80_000_000


@pytest.mark.rule("R-124", "R-125")
def test_body_deductible_through_the_estimate_api(customer):
    response = client_for(customer).post(
        f"{CLAIMS_URL}estimate/",
        {
            "line": "body",
            "loss": PARTIAL_LOSS,
            "sum_insured": BODY_SUM_INSURED,
            "cause": "partial",
            "previous_claims": 1,
            "young_or_new_driver": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["deductible_percent"] == "30"
    assert response.data["payout"] == 70_000_000


@pytest.mark.rule("R-124", "R-125")
def test_body_deductible_when_the_assessor_assesses_a_claim(agent, customer, customer_api):
    policy = record(agent, customer, line="body", issued_on=today() - days(30), sum_insured=BODY_SUM_INSURED)
    claim_id = _file_claim(customer_api, policy, cause="partial").data["id"]
    for doc in claim_rules.required_documents("body"):
        upload = SimpleUploadedFile(f"{doc.code}.png", png_bytes(), content_type="image/png")
        customer_api.post(f"{CLAIMS_URL}{claim_id}/documents/", {"kind": doc.code, "file": upload}, format="multipart")
    staff_api = client_for(StaffFactory())
    assert staff_api.post(f"/api/v1/staff/claims/{claim_id}/documents-complete/").status_code == 200
    response = staff_api.post(
        f"/api/v1/staff/claims/{claim_id}/assess/",
        {"assessed_loss": PARTIAL_LOSS, "young_or_new_driver": True},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 80_000_000  # first claim 10% + young driver 10%


@pytest.mark.rule("R-128")
def test_an_under_insured_car_is_paid_in_proportion_of_sum_insured_to_value():
    # Insured for half its value: the loss after the 10% deductible is paid half.
    assert _body_payout(cause="partial", sum_insured=500_000_000, actual_value=1_000_000_000) == 45_000_000


@pytest.mark.rule("R-129")
@pytest.mark.parametrize(("line", "cause"), [("body", "partial"), ("third_party", "property")])
def test_car_damage_is_reported_within_5_days(line, cause):
    def late(after_days):
        occurred = dt.date(2026, 1, 1)
        return claim_rules.filing_lateness(
            line=line, cause=cause, occurred_on=occurred, filed_on=occurred + dt.timedelta(days=after_days)
        )

    assert not late(5).late
    assert late(6).late
    assert late(6).late_by_days == 1


@pytest.mark.rule("R-129")
def test_bodily_losses_have_no_5_day_limit():
    occurred = dt.date(2026, 1, 1)
    lateness = claim_rules.filing_lateness(
        line="third_party", cause="bodily", occurred_on=occurred, filed_on=occurred + dt.timedelta(days=90)
    )
    assert not lateness.late


@pytest.mark.rule("R-132")
def test_body_claim_documents_are_those_of_the_source():
    codes = [doc.code for doc in claim_rules.required_documents("body")]
    assert codes == [
        "policy",
        "third_party_policy",
        "police_report",
        "driving_licence",
        "national_card",
        "ownership",
        "invoices",
    ]


@pytest.mark.rule("R-132")
def test_filing_a_body_claim_asks_for_the_sources_documents(agent, customer, customer_api):
    policy = record(agent, customer, line="body", issued_on=today() - days(30))
    response = _file_claim(customer_api, policy, cause="partial")
    assert response.status_code == 201, response.data
    codes = {row["code"] for row in response.data["required_documents"]}
    assert {"third_party_policy", "police_report", "driving_licence", "ownership"} <= codes


@pytest.mark.rule("R-123")
def test_body_offers_the_optional_covers_of_the_faq():
    from pricing.core.lines import body
    from tests.pricing.factories import TODAY, make_snapshot

    params = {param.name: param for param in body.parameters(make_snapshot(), TODAY)}
    offered = {choice.value for choice in params["covers"].choices}
    assert {"price_fluctuation", "transit", "deductible_removal", "glass", "parts_theft", "chemicals"} <= offered
    quote = quote_for("body", {"car_value": 10_000_000_000, "build_year": 1400, "covers": ["deductible_removal"]})
    assert amount(quote, "cover_deductible_removal") == 20_000_000  # 10% of the 200,000,000 base


# --- fire ----------------------------------------------------------------------------------


@pytest.mark.rule("R-136")
def test_fire_offers_the_additional_risks_of_the_faq():
    from pricing.core.lines import fire
    from tests.pricing.factories import TODAY, make_snapshot

    params = {param.name: param for param in fire.parameters(make_snapshot(), TODAY)}
    offered = {choice.value for choice in params["covers"].choices}
    assert {
        "earthquake",
        "flood",
        "pipe_burst",
        "rain_snow",
        "snow_weight",
        "aircraft",
        "riot",
        "debris_removal",
        "impact",
        "glass",
        "avalanche",
        "landslide",
        "well_collapse",
        "electrical_fluctuation",
        "neighbour_liability",
        "theft",
    } <= offered


@pytest.mark.rule("R-133")
def test_a_body_loss_abroad_asks_for_the_transit_documents():
    transit = [doc.code for doc in claim_rules.required_documents("body", cause="transit")]
    extra = ["transit_endorsement", "capitage", "interpol_report", "consulate_confirmation"]
    assert transit[-4:] == extra
    assert not set(extra) & {doc.code for doc in claim_rules.required_documents("body", cause="partial")}
    assert set(extra) <= set(claim_rules.document_kinds("body"))


@pytest.mark.rule("R-133")
def test_a_transit_claim_through_the_api_lists_the_transit_documents(agent, customer, customer_api):
    policy = record(agent, customer, line="body", issued_on=today() - days(30), covers=["transit"])
    response = _file_claim(customer_api, policy, cause="transit")
    assert response.status_code == 201, response.data
    codes = {row["code"] for row in response.data["required_documents"]}
    assert {"capitage", "interpol_report", "consulate_confirmation", "transit_endorsement"} <= codes


@pytest.mark.rule("R-133")
def test_a_transit_claim_without_the_transit_cover_is_refused(agent, customer, customer_api):
    policy = record(agent, customer, line="body", issued_on=today() - days(30))
    response = _file_claim(customer_api, policy, cause="transit")
    assert response.status_code == 400
    assert "ترانزیت" in response.data["cause"][0]
    assert not Claim.objects.filter(policy=policy).exists()


@pytest.mark.rule("R-139")
def test_a_fire_claim_can_name_each_additional_risk_of_the_tariff():
    from tests.pricing.factories import make_snapshot

    fire_causes = {cause.code for cause in claim_rules.causes_for("fire")}
    assert claim_rules.FIRE_PERILS <= fire_causes
    assert claim_rules.FIRE_PERILS <= set(make_snapshot().line("fire").table("covers"))
    # A named additional risk carries the 10% deductible of the additional risks.
    inp = PayoutInput("fire", 100_000_000, 1_000_000_000, 1_000_000_000, cause="earthquake")
    assert estimate_payout(inp).payout == 90_000_000


@pytest.mark.rule("R-139")
def test_a_fire_claim_for_a_peril_without_its_cover_is_refused(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(30), covers=["earthquake"])
    refused = _file_claim(customer_api, policy, cause="flood")
    assert refused.status_code == 400
    assert "cause" in refused.data
    assert not Claim.objects.filter(policy=policy).exists()
    assert _file_claim(customer_api, policy, cause="earthquake").status_code == 201


# --- cancellation --------------------------------------------------------------------------


@pytest.mark.rule("R-141")
def test_the_insured_cannot_annul_a_started_policy_through_the_api(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(30))
    response = customer_api.post(
        f"/api/v1/policies/{policy.pk}/cancel/",
        {"by": "insured", "kind": "annulment", "on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "kind" in response.data
    policy.refresh_from_db()
    assert policy.status == policy.Status.ISSUED


# --- travel --------------------------------------------------------------------------------


def _travel(**params):
    params.setdefault("zone", "schengen")
    params.setdefault("trip_type", "single")
    if params["trip_type"] == "single":
        params.setdefault("days", 10)
    return quote_for("travel", params)


@pytest.mark.rule("R-154")
def test_travel_needs_the_travellers_birth_date():
    # Issue 14 point 7: the birth dates are asked as a list of travellers (`birth_date` alone
    # still means one), so the refusal sits on the list.
    with pytest.raises(InputError) as exc:
        _travel()
    assert "تاریخ تولد" in exc.value.errors["travellers"][0]


@pytest.mark.rule("R-154")
def test_travel_has_no_age_limit_only_an_age_factor():
    adult = _travel(birth_date="1370/01/15")
    elderly = _travel(birth_date="1930-01-01")  # 96 years old: still insured, at the top band
    assert elderly.premium > adult.premium


@pytest.mark.rule("R-155")
def test_student_travel_cover_is_six_or_twelve_months_only():
    assert _travel(trip_type="student", student_months=6, birth_date="1380/01/01").premium > 0
    with pytest.raises(InputError) as exc:
        _travel(trip_type="student", student_months=9, birth_date="1380/01/01")
    assert "student_months" in exc.value.errors


@pytest.mark.rule("R-156")
def test_travel_is_priced_by_destination_zone_not_by_country():
    # Issue 14 point 7: the country of entry is asked, but it only picks the zone; two
    # countries of one zone cost the same as the zone itself.
    france = _travel(birth_date="1370/01/15", zone=None, country="FR")
    germany = _travel(birth_date="1370/01/15", zone=None, country="DE")
    assert france.premium == germany.premium == _travel(birth_date="1370/01/15", zone="schengen").premium
    assert _travel(birth_date="1370/01/15", zone="world").premium > 0


@pytest.mark.rule("R-160")
def test_travel_hospitalisation_is_reported_within_5_days():
    occurred = dt.date(2026, 1, 1)

    def late(after_days):
        return claim_rules.filing_lateness(
            line="travel",
            cause="hospitalisation",
            occurred_on=occurred,
            filed_on=occurred + dt.timedelta(days=after_days),
        ).late

    assert not late(5)
    assert late(6)
