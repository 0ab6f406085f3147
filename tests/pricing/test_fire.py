"""Fire rules (SPEC §5, seeds [001][003][004])."""

import jdatetime
import pytest

from pricing.core.errors import InputError
from pricing.core.lines.fire import FireInput, inspection_required
from tests.pricing.factories import TODAY, amount, codes, make_snapshot, quote_for

BUILDING = 1_000_000_000  # 100 million toman; 0.11‰ → 110,000 rial


def fire(adjustment=0, overrides=None, **params):
    if "contents_value" not in params and "area_m2" not in params:
        params.setdefault("building_value", BUILDING)
    return quote_for("fire", params, adjustment=adjustment, overrides=overrides)


def test_fire_main_risks_are_a_per_mille_rate_on_the_building():
    assert amount(fire(), "main_risks_building") == 110_000


@pytest.mark.rule("R-137", "R-087")
def test_fire_covers_building_and_contents_separately():
    quote = fire(building_value=BUILDING, contents_value=500_000_000)
    assert (amount(quote, "main_risks_building"), amount(quote, "main_risks_contents")) == (110_000, 55_000)


@pytest.mark.rule("R-137")
def test_fire_contents_alone_can_be_insured():
    quote = fire(contents_value=500_000_000)
    assert "main_risks_building" not in codes(quote) and amount(quote, "main_risks_contents") == 55_000


@pytest.mark.rule("R-153", "R-087")
def test_fire_building_value_is_estimated_from_area_when_not_given():
    # 100 m² × 150,000,000 rial/m² (construction cost only, never the land).
    assert amount(fire(area_m2=100), "main_risks_building") == amount(
        fire(building_value=15_000_000_000), "main_risks_building"
    )


def test_fire_needs_a_building_or_contents_value():
    with pytest.raises(InputError) as exc:
        fire(building_value=0, contents_value=0)
    assert "building_value" in exc.value.errors


@pytest.mark.rule("R-086")
@pytest.mark.parametrize(("kind", "rate"), [("commercial", "0.5"), ("industrial", "1.5")])
def test_fire_rate_depends_on_the_property_type(kind, rate):
    from decimal import Decimal

    assert amount(fire(property_type=kind), "main_risks_building") == int(BUILDING * Decimal(rate) / 1000)


def test_fire_construction_type_scales_the_rate():
    assert amount(fire(construction_type="mixed"), "main_risks_building") == 165_000  # ×1.5


@pytest.mark.rule("R-135")
def test_fire_main_risks_are_always_included():
    assert "main_risks_building" in codes(fire(covers=[]))


@pytest.mark.rule("R-135")
def test_fire_additional_cover_is_a_multiple_of_the_main_risk_premium():
    assert amount(fire(covers=["earthquake"]), "cover_earthquake") == 495_000  # 110,000 × 4.5


@pytest.mark.rule("R-135")
def test_fire_additional_risks_are_only_sold_with_the_main_risks():
    quote = fire(covers=["flood", "pipe_burst"])
    main_at = codes(quote).index("main_risks_building")
    assert all(codes(quote).index(code) > main_at for code in ("cover_flood", "cover_pipe_burst"))
    assert amount(quote, "cover_flood") == 2 * amount(quote, "main_risks_building")


@pytest.mark.rule("R-138")
def test_fire_under_a_year_uses_the_short_term_scale():
    # 90 days → 40% of the annual premium.
    assert amount(fire(duration_days=90), "short_term_adjustment") == -66_000


@pytest.mark.rule("R-138")
def test_fire_over_a_year_is_pro_rata():
    two_years = fire(duration_days=730)
    assert amount(two_years, "pro_rata_extension") == 110_000


@pytest.mark.rule("R-138")
def test_fire_short_term_costs_more_than_pro_rata():
    assert fire(duration_days=90).premium * 365 > fire().premium * 90


@pytest.mark.rule("R-148")
def test_fire_inspection_required_when_capital_exceeds_100_million_toman():
    assert fire(building_value=BUILDING + 10).inspection_required is True


@pytest.mark.rule("R-148")
def test_fire_no_inspection_at_exactly_100_million_toman_without_risky_covers():
    assert fire(building_value=BUILDING).inspection_required is False


@pytest.mark.parametrize("cover", ["theft", "pipe_burst", "glass"])
@pytest.mark.rule("R-149")
def test_fire_inspection_required_for_theft_pipe_burst_or_glass(cover):
    assert fire(building_value=100_000_000, covers=[cover]).inspection_required is True


@pytest.mark.rule("R-149")
def test_fire_no_inspection_for_a_small_home_with_earthquake_cover():
    assert fire(building_value=100_000_000, covers=["earthquake"]).inspection_required is False


@pytest.mark.rule("R-150")
def test_fire_industrial_risks_always_need_an_inspection():
    assert fire(building_value=10_000_000, property_type="industrial").inspection_required is True


@pytest.mark.rule("R-148")
def test_fire_inspection_rule_counts_building_and_contents_together():
    inp = FireInput("residential", "concrete", 600_000_000, 600_000_000, TODAY)
    assert inspection_required(inp, make_snapshot().line("fire")) is True


def test_fire_cash_payment_has_no_installments():
    assert fire().installments is None


@pytest.mark.rule("R-146")
def test_fire_installments_down_payment_is_at_least_30_percent():
    quote = fire(building_value=100_000_000_000, payment="installments")
    assert quote.installments[0].amount * 100 >= 30 * quote.premium


@pytest.mark.rule("R-147")
def test_fire_installments_are_at_most_one_plus_eight():
    assert len(fire(building_value=100_000_000_000, payment="installments").installments) == 9


def test_fire_installments_sum_exactly_to_the_premium():
    quote = fire(building_value=123_456_789_012, payment="installments", installments_count=7)
    assert sum(i.amount for i in quote.installments) == quote.premium


def test_fire_installments_fall_due_monthly_in_solar_months():
    quote = fire(building_value=100_000_000_000, payment="installments", start_date="1406/06/31")
    assert [i.due_on for i in quote.installments[:3]] == [
        jdatetime.date(1406, 6, 31).togregorian(),
        jdatetime.date(1406, 7, 30).togregorian(),  # Mehr has 30 days
        jdatetime.date(1406, 8, 30).togregorian(),
    ]


@pytest.mark.rule("R-147")
def test_fire_more_than_eight_installments_is_refused():
    with pytest.raises(InputError) as exc:
        fire(payment="installments", installments_count=9)
    assert "installments_count" in exc.value.errors


def test_fire_start_date_cannot_be_in_the_past():
    with pytest.raises(InputError) as exc:
        fire(start_date="1404/01/01")
    assert "start_date" in exc.value.errors
