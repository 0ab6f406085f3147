"""Rules of source 003 (the buying guides) that the line tests did not pin down yet.

Each test names its row of docs/RULES.md with the `rule` marker. The figures come from the
reference tariff (pricing.reference) unless a test overrides them.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import rules as claim_rules
from claims.payout import PayoutInput, estimate_payout
from policies import rules as policy_rules
from policies.models import Endorsement, Policy
from pricing.core import limits
from pricing.core.errors import InputError
from pricing.core.lines import electronics, fire
from tests.agents.images import png_bytes
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, link_confirmed, make_agent, record, today
from tests.pricing.factories import TODAY, amount, make_snapshot, quote_for, quotes_for

CAR_4CYL_BASE = 105_132_000
QUOTES = "/api/v1/pricing/quotes/"
CLAIMS = "/api/v1/claims/"


def third_party(**params):
    return quote_for("third_party", params)


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def agent_api(agent):
    return client_for(agent.user)


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_api(customer):
    return client_for(customer)


def file_claim(client, policy, *, cause, occurred_on=None):
    return client.post(
        CLAIMS,
        {
            "policy": policy.pk,
            "occurred_on": (occurred_on or today()).isoformat(),
            "description": "شرح حادثه",
            "estimated_loss": 10_000_000,
            "cause": cause,
        },
        format="json",
    )


# --- third-party -----------------------------------------------------------------------------


@pytest.mark.rule("R-068")
def test_third_party_a_higher_financial_cover_always_costs_more():
    steps = sorted(int(key) for key in make_snapshot().line("third_party").table("extra_financial_cover"))
    premiums = [third_party(extra_financial_cover=step).premium for step in steps]
    assert len(steps) > 2 and premiums == sorted(set(premiums))


@pytest.mark.rule("R-070")
@pytest.mark.django_db
def test_third_party_quote_api_refuses_a_term_over_a_year_on_the_field(api_client):
    response = api_client.post(QUOTES, {"line": "third_party", "params": {"duration_days": 366}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["params"]) == ["duration_days"]


@pytest.mark.rule("R-070")
@pytest.mark.django_db
def test_third_party_quote_api_sells_a_few_days(api_client):
    response = api_client.post(QUOTES, {"line": "third_party", "params": {"duration_days": 10}}, format="json")
    assert response.status_code == 200
    assert all(q["premium"] < third_party().premium for q in response.json()["quotes"])


def api_lines(api_client, params) -> list[dict]:
    """Each insurer's breakdown, {code: amount}, from the public quotes API."""
    response = api_client.post(QUOTES, {"line": "third_party", "params": params}, format="json")
    assert response.status_code == 200, response.json()
    return [{line["code"]: line["amount"] for line in q["breakdown"]} for q in response.json()["quotes"]]


@pytest.mark.rule("R-064", "R-065")
@pytest.mark.django_db
@pytest.mark.parametrize(("usage", "pct"), [("taxi", 20), ("driving_school", 15)])
def test_third_party_quote_api_loads_taxi_and_driving_school(api_client, usage, pct):
    for lines in api_lines(api_client, {"usage": usage}):
        assert lines["usage_loading"] == CAR_4CYL_BASE * pct // 100


@pytest.mark.rule("R-066", "R-067", "R-072")
@pytest.mark.django_db
def test_third_party_quote_api_charges_a_years_penalty_at_most_and_never_discounts_it(api_client):
    # 1000 days late with 14 claim-free years, at every insurer: 365 days of the full tariff premium.
    for lines in api_lines(api_client, {"late_days": 1000, "no_claim_years": 14}):
        assert lines["late_penalty"] == CAR_4CYL_BASE


@pytest.mark.rule("R-079")
@pytest.mark.django_db
def test_third_party_quote_api_waives_the_penalty_of_an_impounded_car(api_client):
    assert all("late_penalty" not in lines for lines in api_lines(api_client, {"late_days": 200, "impounded": True}))


@pytest.mark.rule("R-073")
@pytest.mark.django_db
def test_third_party_quote_api_keeps_the_no_claim_discount_of_a_late_renewal(api_client):
    for lines in api_lines(api_client, {"late_days": 100, "no_claim_years": 3}):
        assert lines["no_claim_discount"] == -CAR_4CYL_BASE * 15 // 100 and lines["late_penalty"] > 0


@pytest.mark.rule("R-073")
def test_third_party_late_renewal_keeps_the_no_claim_years_and_charges_the_penalty_in_full():
    # [003]: three claim-free years, renewed late: 15% off the premium, the penalty undiscounted.
    late = third_party(no_claim_years=3, late_days=100)
    assert amount(late, "no_claim_discount") == -CAR_4CYL_BASE * 15 // 100
    assert amount(late, "late_penalty") == amount(third_party(late_days=100), "late_penalty")


@pytest.mark.rule("R-075")
def test_third_party_loss_on_the_expiry_day_is_not_covered(agent, customer, customer_api):
    # Cover ends at 00:00 of the expiry day [003]; a fire policy still covers that day [001].
    policy = record(agent, customer, line="third_party", issued_on=today() - days(366), length=365)
    assert policy.ends_on == today()
    response = file_claim(customer_api, policy, cause="property", occurred_on=today())
    assert response.status_code == 400
    assert "occurred_on" in response.data
    assert file_claim(customer_api, policy, cause="property", occurred_on=today() - days(1)).status_code == 201


@pytest.mark.rule("R-077")
def test_third_party_renewal_cannot_overlap_the_policy_it_renews(agent, agent_api, customer):
    policy = record(agent, customer, line="third_party")
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/renew/",
        {
            "starts_on": (policy.ends_on - days(3)).isoformat(),
            "ends_on": (policy.ends_on + days(362)).isoformat(),
            "premium": 12_000_000,
            "policy_number": "TP-R-1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "starts_on" in response.data


@pytest.mark.rule("R-077")
def test_third_party_renewal_takes_over_the_day_the_old_cover_ends():
    old = policy_rules.cover_window("third_party", TODAY, TODAY + days(365))
    new = policy_rules.cover_window("third_party", TODAY + days(365), TODAY + days(730))
    assert new.first_day == old.last_day + days(1)


@pytest.mark.rule("R-080")
def test_third_party_no_claim_discount_is_the_same_at_every_insurer():
    snapshot = make_snapshot(insurers=(("alpha", "بیمه آلفا", -5), ("beta", "بیمه بتا", 5)))
    quotes = quotes_for("third_party", {"no_claim_years": 6}, snapshot=snapshot)
    assert {amount(q, "no_claim_discount") for q in quotes} == {-CAR_4CYL_BASE * 30 // 100}


@pytest.mark.rule("R-081")
def test_third_party_moves_to_the_cars_new_owner_by_an_endorsement(agent, agent_api, customer):
    new_owner = UserFactory()
    policy = record(agent, customer, line="third_party", issued_on=today() - days(10))
    link_confirmed(agent, new_owner)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "no_financial_effect", "changes": {"owner_mobile": new_owner.mobile}},
        format="json",
    )
    assert response.status_code == 201, response.data
    policy.refresh_from_db()
    assert policy.customer == new_owner
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.changes == {"owner_mobile": new_owner.mobile}
    assert endorsement.previous == {"owner_mobile": customer.mobile}


def pay_claim(customer_api, policy, *, cause, loss=10_000_000):
    """File a claim, upload every document of the line, and take it through to paid."""
    claim_id = file_claim(customer_api, policy, cause=cause, occurred_on=today() - days(3)).data["id"]
    for kind in claim_rules.document_kinds(policy.line.code):
        upload = SimpleUploadedFile(f"{kind}.png", png_bytes(), content_type="image/png")
        customer_api.post(f"{CLAIMS}{claim_id}/documents/", {"kind": kind, "file": upload}, format="multipart")
    staff_api = client_for(StaffFactory())
    staff = f"/api/v1/staff/claims/{claim_id}"
    assert staff_api.post(f"{staff}/documents-complete/").status_code == 200
    assert staff_api.post(f"{staff}/assess/", {"assessed_loss": loss}, format="json").status_code == 200
    assert staff_api.post(f"{staff}/approve/", {}, format="json").status_code == 200
    assert staff_api.post(f"{staff}/order-payment/").status_code == 200
    assert customer_api.post(f"{CLAIMS}{claim_id}/undertaking/").status_code == 200
    response = staff_api.post(f"{staff}/pay/", {"reference": "TRX-1"}, format="json")
    assert response.status_code == 200, response.data
    return claim_id


@pytest.mark.rule("R-078")
def test_a_paid_third_party_claim_is_written_on_the_policy_as_the_loss_of_its_no_claim_years(
    agent, customer, customer_api
):
    policy = record(agent, customer, line="third_party", issued_on=today() - days(30))
    claim_id = pay_claim(customer_api, policy, cause="property")
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.kind == Endorsement.Kind.NO_FINANCIAL_EFFECT and endorsement.premium_delta == 0
    assert endorsement.changes == {"no_claim_lost_by_claim": claim_id}
    assert "از بین رفتن سال‌های تخفیف عدم خسارت" in endorsement.description


@pytest.mark.rule("R-078")
def test_a_paid_fire_claim_writes_no_no_claim_endorsement(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(30))
    pay_claim(customer_api, policy, cause="fire")
    assert not Endorsement.objects.filter(policy=policy).exists()


# --- travel ----------------------------------------------------------------------------------

TRAVEL_COVERS = {
    "hospitalisation",  # medical expenses up to the policy's limit
    "outpatient",
    "dental",
    "medical_transfer",
    "baggage",
    "documents",  # passport and driving licence
    "family_return",
    "family_escort",
    "repatriation",
}


@pytest.mark.rule("R-084")
def test_travel_claims_accept_every_cover_of_the_travel_policy():
    assert {cause.code for cause in claim_rules.causes_for("travel")} == TRAVEL_COVERS


@pytest.mark.rule("R-084")
def test_travel_repatriation_claim_is_filed_through_the_api(agent, customer, customer_api):
    policy = record(agent, customer, line="travel", issued_on=today() - days(10), length=30)
    response = file_claim(customer_api, policy, cause="repatriation", occurred_on=today() - days(2))
    assert response.status_code == 201, response.data


# --- fire ------------------------------------------------------------------------------------


@pytest.mark.rule("R-086")
def test_fire_offers_residential_commercial_and_industrial_property():
    property_type = next(p for p in fire.parameters(make_snapshot(), TODAY) if p.name == "property_type")
    assert {choice.value for choice in property_type.choices} == {"residential", "commercial", "industrial"}


BODILY_WORDS = ("فوت", "نقص عضو", "بدنی", "جانی", "پزشکی")


@pytest.mark.rule("R-088")
def test_fire_has_no_bodily_cover_nor_a_bodily_claim():
    covers = make_snapshot().line("fire").table("covers")
    labels = [rate.label for rate in covers.values()] + [str(c.label) for c in claim_rules.causes_for("fire")]
    assert not [label for label in labels if any(word in label for word in BODILY_WORDS)]


# --- electronics -----------------------------------------------------------------------------


@pytest.mark.rule("R-090")
def test_electronics_claims_are_the_six_covered_risks():
    causes = {cause.code: str(cause.label) for cause in claim_rules.causes_for("electronics")}
    assert set(causes) == {"breakage", "liquid", "voltage", "theft", "natural_disaster", "fire"}
    # Ordinary theft is not covered: only theft with forced entry (شکست حرز).
    assert "شکست حرز" in causes["theft"]


@pytest.mark.rule("R-091")
def test_electronics_is_quoted_for_one_year_only():
    assert "duration_days" not in {param.name for param in electronics.parameters(make_snapshot(), TODAY)}
    with pytest.raises(InputError) as exc:
        quote_for("electronics", {"device_type": "mobile", "device_value": 400_000_000, "duration_days": 730})
    assert "duration_days" in exc.value.errors


@pytest.mark.rule("R-091")
@pytest.mark.parametrize(("term_days", "allowed"), [(364, False), (365, True), (366, True), (730, False)])
def test_electronics_policy_runs_one_solar_year(term_days, allowed):
    # 365 days, or 366 across a leap day: one solar year either way.
    assert (limits.electronics_term(term_days) is None) is allowed


@pytest.mark.rule("R-091")
def test_electronics_policy_of_two_years_is_refused_on_ends_on_and_nothing_is_written(agent, agent_api, customer):
    link_confirmed(agent, customer)  # recording by mobile needs a relationship (issue 13 point 1)
    body = {
        "customer_mobile": customer.mobile,
        "line": "electronics",
        "insurer": "iran",
        "policy_number": "E-2",
        "starts_on": today().isoformat(),
        "ends_on": (today() + days(730)).isoformat(),
        "premium": 2_000_000,
        "sum_insured": 400_000_000,
    }
    response = agent_api.post("/api/v1/policies/", body, format="json")
    assert response.status_code == 400
    assert "یک سال شمسی" in str(response.data["ends_on"])
    assert not Policy.objects.filter(number="E-2").exists()


@pytest.mark.rule("R-092")
def test_electronics_claim_checklist_asks_for_the_signed_terms_invoice_and_box():
    codes = [doc.code for doc in claim_rules.required_documents("electronics")]
    assert {"policy", "terms_form", "purchase_invoice", "device_photos"} <= set(codes)
    labels = {doc.code: str(doc.label) for doc in claim_rules.required_documents("electronics")}
    assert "کارتن" in labels["device_photos"] and "لوازم جانبی" in labels["device_photos"]


@pytest.mark.rule("R-092")
def test_electronics_claim_shows_the_signed_terms_form_as_missing(agent, customer, customer_api):
    policy = record(agent, customer, line="electronics", issued_on=today() - days(30))
    response = file_claim(customer_api, policy, cause="breakage")
    assert response.status_code == 201, response.data
    detail = customer_api.get(f"{CLAIMS}{response.data['id']}/").data
    assert "terms_form" in detail["missing_documents"]


@pytest.mark.rule("R-095")
@pytest.mark.parametrize(
    ("replacement_value", "invoice", "sum_insured", "paid"),
    [
        (6_000_000, 8_000_000, 9_000_000, 6_000_000),  # today's replacement value is the lowest
        (9_000_000, 7_000_000, 9_000_000, 7_000_000),  # the purchase invoice is the lowest
        (9_000_000, 8_000_000, 5_000_000, 5_000_000),  # the policy's sum insured is the lowest
    ],
)
def test_electronics_pays_at_most_the_lowest_of_replacement_value_invoice_and_sum_insured(
    replacement_value, invoice, sum_insured, paid
):
    estimate = estimate_payout(
        PayoutInput(
            "electronics",
            loss=20_000_000,
            sum_insured=sum_insured,
            actual_value=replacement_value,
            invoice_value=invoice,
            electronics_deductible_percent=Decimal(0),
        )
    )
    assert estimate.payout == paid


# --- body ------------------------------------------------------------------------------------


@pytest.mark.rule("R-099")
def test_body_main_risks_are_in_the_base_premium_not_optional_covers():
    covers = set(make_snapshot().line("body").table("covers"))
    assert not covers & {"collision", "overturn", "fire", "total_theft", "vehicle_theft"}
    causes = {cause.code for cause in claim_rules.causes_for("body")}
    assert {"partial", "total_loss"} <= causes and causes & {"theft", "vehicle_theft"}


@pytest.mark.rule("R-100")
def test_body_offers_the_optional_covers_of_the_source():
    covers = set(make_snapshot().line("body").table("covers"))
    assert {"parts_theft", "glass", "loss_of_use", "natural_disasters", "chemicals"} <= covers


@pytest.mark.rule("R-100")
def test_body_loss_of_use_cover_costs_its_tariff_percentage():
    quote = quote_for("body", {"car_value": 10_000_000_000, "build_year": 1403, "covers": ["loss_of_use"]})
    base = amount(quote, "base_premium")
    assert amount(quote, "cover_loss_of_use") == base * Decimal(5) / 100
