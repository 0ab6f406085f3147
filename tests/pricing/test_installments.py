"""Issue 14 point 4: body and third-party instalment plans as tariff data per insurer, shown in
the quote and kept by the policy's schedule; fire keeps its 30% + 8."""

from decimal import Decimal

import jdatetime
import pytest

from core.exceptions import ApplicationError
from insurers.models import Insurer
from pricing.core.installments import installment_schedule, installment_terms
from pricing.core.money import InstallmentPlan
from pricing.models import TariffRate
from pricing.reference import INSTALLMENT_SOURCE, installment_rows
from tests.pricing.factories import TODAY, make_snapshot, quotes_for

QUOTES = "/api/v1/pricing/quotes/"
BODY = {"car_value": 2_000_000_000, "build_year": 1400}

# alpha sells body in 5 instalments two months apart after 30% down, third party in 3 after
# 50%; beta sells both for cash only.
PLANS = {
    ("body", "installment_down_percent", "alpha"): 30,
    ("body", "installment_count", "alpha"): 5,
    ("body", "installment_spacing_months", "alpha"): 2,
    ("third_party", "installment_down_percent", "alpha"): 50,
    ("third_party", "installment_count", "alpha"): 3,
    ("third_party", "installment_count", "beta"): 0,
    ("third_party", "installment_down_percent", "beta"): 40,
}


def snapshot():
    return make_snapshot(insurers=(("alpha", "بیمه آلفا", 0), ("beta", "بیمه بتا", 0)), overrides=PLANS)


def by_insurer(line, params):
    return {quote.insurer: quote for quote in quotes_for(line, params, snapshot=snapshot())}


def solar(date):
    return jdatetime.date.fromgregorian(date=date)


# --- the terms -----------------------------------------------------------------------------------


@pytest.mark.rule("R-111")
def test_an_insurers_terms_come_from_the_lines_tariff_tables():
    """issue 14 point 4: down payment %, number and spacing per insurer and line."""
    terms = installment_terms(snapshot(), "body", "alpha")
    assert (terms.min_down_percent, terms.max_count, terms.spacing_months) == (Decimal(30), 5, 2)
    third_party = installment_terms(snapshot(), "third_party", "alpha")
    assert (third_party.min_down_percent, third_party.max_count, third_party.spacing_months) == (Decimal(50), 3, 1)


@pytest.mark.rule("R-111")
def test_no_row_or_zero_instalments_means_cash_only():
    """issue 14 point 4: an insurer without a plan (or with 0 instalments) sells for cash only."""
    assert installment_terms(snapshot(), "body", "beta") is None
    assert installment_terms(snapshot(), "third_party", "beta") is None


def test_fire_keeps_its_30_percent_and_8():
    """issue 14 point 4: fire's rule stays the tariff's 30% down and at most 8 [004]."""
    terms = installment_terms(snapshot(), "fire", "beta")
    assert (terms.min_down_percent, terms.max_count, terms.spacing_months) == (Decimal(30), 8, 1)


def test_instalments_are_spaced_by_the_plans_months():
    """issue 14 point 4: spacing 2 → the instalments fall two solar months apart."""
    plan = InstallmentPlan(count=3, min_down_percent=Decimal(30), first_due_on=TODAY, spacing_months=2)
    rows = plan.schedule(12_000_000)
    months = [solar(row.due_on).month for row in rows]
    assert months == [8, 10, 12, 2]
    assert sum(row.amount for row in rows) == 12_000_000 and rows[0].amount >= 3_600_000


def test_the_schedule_of_the_terms_keeps_their_spacing():
    terms = installment_terms(snapshot(), "body", "alpha")
    rows = installment_schedule(terms, premium=50_000_000, first_due_on=TODAY)
    assert len(rows) == 6
    assert [solar(row.due_on).month for row in rows] == [8, 10, 12, 2, 4, 6]


# --- the quote -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "params"), [("body", BODY), ("third_party", {})])
def test_cash_is_the_default_and_carries_no_schedule(line, params):
    """issue 14 point 4: `payment` defaults to cash, as for fire."""
    assert all(quote.installments is None for quote in by_insurer(line, params).values())


@pytest.mark.rule("R-111")
def test_a_body_quote_in_instalments_follows_the_insurers_plan():
    """issue 14 point 4: the schedule sums to the premium, the first is ≥ the down percent."""
    quotes = by_insurer("body", {**BODY, "payment": "installments"})
    alpha = quotes["alpha"]
    assert len(alpha.installments) == 1 + 5
    assert sum(row.amount for row in alpha.installments) == alpha.premium
    assert alpha.installments[0].amount * 100 >= alpha.premium * 30
    assert alpha.installments[0].due_on == TODAY
    assert quotes["beta"].installments is None  # cash only


def test_a_third_party_quote_in_instalments_follows_the_insurers_plan():
    """issue 14 point 4."""
    quotes = by_insurer("third_party", {"vehicle_group": "car_4cyl", "payment": "installments"})
    alpha = quotes["alpha"]
    assert len(alpha.installments) == 1 + 3
    assert sum(row.amount for row in alpha.installments) == alpha.premium
    assert alpha.installments[0].amount * 100 >= alpha.premium * 50
    assert quotes["beta"].installments is None


@pytest.mark.rule("R-111")
def test_instalments_do_not_change_the_premium():
    cash = by_insurer("body", BODY)["alpha"].premium
    assert by_insurer("body", {**BODY, "payment": "installments"})["alpha"].premium == cash


# --- reference data and the API ------------------------------------------------------------------


def test_reference_plans_are_flagged_assumptions_within_the_stated_ranges():
    """issue 14 point 4: body 25–40% down and 4–6 monthly; third party partly cash only."""
    rows = installment_rows([(f"insurer_{n}", f"بیمه {n}") for n in range(12)])
    assert all(row["is_assumption"] and INSTALLMENT_SOURCE in row["source"] for row in rows)
    body = {(r["table"], r["key"]): r["value"] for r in rows if r["line"] == "body"}
    third_party = {(r["table"], r["key"]): r["value"] for r in rows if r["line"] == "third_party"}
    for n in range(12):
        assert 25 <= body[("installment_down_percent", f"insurer_{n}")] <= 40
        assert 4 <= body[("installment_count", f"insurer_{n}")] <= 6
        assert body[("installment_spacing_months", f"insurer_{n}")] == 1
    counts = [third_party[("installment_count", f"insurer_{n}")] for n in range(12)]
    assert 0 in counts and any(count > 0 for count in counts)


@pytest.mark.django_db
def test_every_insurer_has_a_plan_row_in_the_tariff_staff_edit():
    """issue 14 point 4: the plans are tariff rows of each year (editable in the admin)."""
    codes = set(Insurer.objects.values_list("code", flat=True))
    for line in ("body", "third_party"):
        for table in ("installment_down_percent", "installment_count", "installment_spacing_months"):
            keys = set(
                TariffRate.objects.filter(tariff__solar_year=1405, line=line, table=table).values_list("key", flat=True)
            )
            assert keys == codes, (line, table)


def plan_of(line, code):
    rows = TariffRate.objects.filter(tariff__solar_year=1405, line=line, key=code)
    return {row.table: int(row.value) for row in rows}


@pytest.mark.django_db
@pytest.mark.parametrize("line", ["body", "third_party"])
def test_the_api_returns_each_insurers_schedule(api_client, line):
    """issue 14 point 4: `payment: installments` → `installments` for insurers that sell them."""
    params = {**BODY, "payment": "installments"} if line == "body" else {"payment": "installments"}
    response = api_client.post(QUOTES, {"line": line, "params": params}, format="json")
    assert response.status_code == 200
    with_plan = cash_only = 0
    for quote in response.json()["quotes"]:
        plan = plan_of(line, quote["insurer"])
        if plan["installment_count"] == 0:
            assert "installments" not in quote
            cash_only += 1
            continue
        with_plan += 1
        rows = quote["installments"]
        assert len(rows) == 1 + plan["installment_count"]
        assert sum(row["amount"] for row in rows) == quote["premium"]
        assert rows[0]["amount"] * 100 >= quote["premium"] * plan["installment_down_percent"]
    assert with_plan
    assert cash_only or line == "body"


@pytest.mark.django_db
def test_a_plan_staff_change_is_quoted_at_once(api_client):
    """issue 14 point 4: edited like any tariff figure; the next quote reads it."""
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="installment_count", key="asia")
    rate.value = 2
    rate.save()
    body = {"line": "body", "params": {**BODY, "payment": "installments"}, "insurers": ["asia"]}
    quote = api_client.post(QUOTES, body, format="json").json()["quotes"][0]
    assert len(quote["installments"]) == 3
    rate.value = 0
    rate.save()
    quote = api_client.post(QUOTES, body, format="json").json()["quotes"][0]
    assert "installments" not in quote


# --- the policy's schedule -----------------------------------------------------------------------


def _record(line, insurer_code, **kwargs):
    from tests.factories import UserFactory
    from tests.policies.helpers import make_agent, record

    agent = make_agent(insurer=Insurer.objects.get(code=insurer_code))
    return record(agent, UserFactory(), line=line, paid=False, payment_plan="installments", **kwargs)


def _insurer_with(line, *, cash_only):
    for rate in TariffRate.objects.filter(tariff__solar_year=1405, line=line, table="installment_count"):
        if (rate.value == 0) == cash_only:
            return rate.key
    raise AssertionError("no such insurer in the reference data")


@pytest.mark.django_db
@pytest.mark.rule("R-111")
def test_a_body_policy_is_scheduled_by_its_insurers_plan():
    """issue 14 point 4: the policy's schedule keeps the insurer's count and down payment."""
    code = _insurer_with("body", cash_only=False)
    plan = plan_of("body", code)
    policy = _record("body", code, premium=60_000_000)
    rows = list(policy.installments.order_by("number"))
    assert len(rows) == 1 + plan["installment_count"]
    assert sum(row.amount for row in rows) == 60_000_000
    assert rows[0].amount * 100 >= 60_000_000 * plan["installment_down_percent"]


@pytest.mark.django_db
def test_a_policy_cannot_have_more_instalments_than_its_insurers_plan():
    code = _insurer_with("body", cash_only=False)
    too_many = plan_of("body", code)["installment_count"] + 1
    with pytest.raises(ApplicationError) as refused:
        _record("body", code, installments_count=too_many)
    assert refused.value.field == "installments_count"


@pytest.mark.django_db
@pytest.mark.rule("R-111")
def test_a_cash_only_insurers_third_party_policy_cannot_be_in_instalments():
    """issue 14 point 4: cash only in the tariff → a Persian refusal, nothing recorded."""
    code = _insurer_with("third_party", cash_only=True)
    with pytest.raises(ApplicationError) as refused:
        _record("third_party", code)
    assert refused.value.field == "payment_plan" and "نقدی" in refused.value.message


@pytest.mark.django_db
def test_a_third_party_policy_keeps_its_insurers_down_payment():
    code = _insurer_with("third_party", cash_only=False)
    plan = plan_of("third_party", code)
    from tests.policies.helpers import today as policy_today

    below = plan["installment_down_percent"] - 10
    today = policy_today()
    with pytest.raises(ApplicationError) as refused:
        _record(
            "third_party",
            code,
            premium=10_000_000,
            installments=[
                {"due_on": today, "amount": 100_000 * below},
                {"due_on": today.replace(year=today.year + 1), "amount": 10_000_000 - 100_000 * below},
            ],
        )
    assert refused.value.field == "installments"
