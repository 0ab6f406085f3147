"""Floating (declaration) policies [001][004]: a month above the ceiling produces an
additional endorsement; decreases are filed and averaged at the end of the period, and the
final premium is computed from the declarations."""

import jdatetime
import pytest
from django.test import Client

from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from declarations import selectors, services
from declarations.models import FloatingPolicy, StockDeclaration
from policies.models import Endorsement
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, make_agent, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def customer(db):
    return UserFactory()


CEILING = 500_000_000
PREMIUM = 12_000_000


def floating(agent, customer, *, started_days_ago=100) -> FloatingPolicy:
    """A paid one-year fire policy on stock, floating with its sum insured as the ceiling."""
    policy = record(
        agent,
        customer,
        issued_on=today() - days(started_days_ago),
        length=365,
        premium=PREMIUM,
        sum_insured=CEILING,
    )
    return services.floating_policy_set_terms(user=agent.user, policy=policy, max_stock_value=CEILING)


def month_of(day):
    jalali = jdatetime.date.fromgregorian(date=day)
    return jalali.year, jalali.month


def declare(agent, terms, stock_value, *, month=None):
    year, month = month or month_of(today() - days(60))
    return services.stock_declaration_record(
        user=agent.user,
        floating_policy=terms,
        year=year,
        month=month,
        stock_value=stock_value,
        declared_on=today(),
    )


def declare_every_month(agent, terms, stock_value):
    policy = terms.policy
    for year, month, _days in selectors.term_solar_months(policy.starts_on, policy.ends_on):
        declare(agent, terms, stock_value, month=(year, month))


@pytest.mark.rule("R-244")
class TestAboveTheCeilingIsAnAdditionalEndorsement:
    def test_a_month_above_the_ceiling_issues_an_additional_endorsement(self, agent, customer):
        terms = floating(agent, customer)

        declaration = declare(agent, terms, 600_000_000)

        endorsement = declaration.endorsement
        assert endorsement.kind == Endorsement.Kind.ADDITIONAL
        assert endorsement.premium_delta > 0
        assert endorsement.changes == {"sum_insured": 600_000_000}
        assert endorsement.installments.get().amount == endorsement.premium_delta
        terms.refresh_from_db()
        assert terms.max_stock_value == 600_000_000
        assert declaration.limit == CEILING

    def test_a_month_at_or_below_the_ceiling_is_only_filed(self, agent, customer):
        terms = floating(agent, customer)

        declaration = declare(agent, terms, 300_000_000)

        assert declaration.endorsement is None
        assert not Endorsement.objects.exists()
        terms.refresh_from_db()
        assert terms.max_stock_value == CEILING

    def test_the_raised_ceiling_is_not_charged_twice(self, agent, customer):
        terms = floating(agent, customer)
        declare(agent, terms, 600_000_000)

        second = declare(agent, terms, 600_000_000, month=month_of(today() - days(30)))

        assert second.endorsement is None
        assert Endorsement.objects.count() == 1

    def test_a_month_outside_the_term_is_refused_and_leaves_nothing(self, agent, customer):
        terms = floating(agent, customer)

        with pytest.raises(ApplicationError) as refused:
            declare(agent, terms, 600_000_000, month=month_of(today() - days(200)))

        assert refused.value.field == "month"
        assert not StockDeclaration.objects.exists()
        assert not Endorsement.objects.exists()

    def test_in_the_staff_page_the_declaration_produces_the_endorsement(self, agent, customer):
        terms = floating(agent, customer)
        year, month = month_of(today() - days(60))
        page = Client()
        page.force_login(StaffFactory())

        response = page.post(
            "/admin/declarations/stockdeclaration/add/",
            {
                "floating_policy": terms.pk,
                "year": year,
                "month": month,
                "stock_value": 600_000_000,
                "declared_on": today().isoformat(),
            },
        )

        assert response.status_code == 302
        assert StockDeclaration.objects.get().endorsement.kind == Endorsement.Kind.ADDITIONAL


@pytest.mark.rule("R-245")
class TestFinalPremiumFromTheDeclarations:
    def test_a_constant_half_stock_halves_the_premium(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)
        declare_every_month(agent, terms, CEILING // 2)

        final = selectors.floating_final_premium(terms)

        assert final.average_stock == CEILING // 2
        assert final.final_premium == PREMIUM // 2
        assert final.adjustment == -(PREMIUM // 2)

    def test_decreases_are_averaged_by_the_days_of_each_month(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)
        policy = terms.policy
        months = selectors.term_solar_months(policy.starts_on, policy.ends_on)
        (first_year, first_month, first_days), *rest = months
        declare(agent, terms, 100_000_000, month=(first_year, first_month))
        for year, month, _days in rest:
            declare(agent, terms, 400_000_000, month=(year, month))

        final = selectors.floating_final_premium(terms)

        total = sum(row[2] for row in months)
        expected_average = (100_000_000 * first_days + 400_000_000 * (total - first_days)) / total
        assert final.average_stock == round(expected_average)
        assert final.final_premium == round(PREMIUM * expected_average / CEILING)

    def test_a_month_without_a_declaration_counts_at_the_ceiling(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)

        final = selectors.floating_final_premium(terms)

        assert final.final_premium == PREMIUM
        assert all(not row.declared for row in final.months)

    def test_a_decrease_is_not_refunded_before_the_end_of_the_period(self, agent, customer):
        terms = floating(agent, customer)
        declare(agent, terms, 100_000_000)

        with pytest.raises(ApplicationError) as refused:
            services.floating_policy_settle(user=agent.user, floating_policy=terms)

        assert refused.value.code == "period_not_over"
        assert not Endorsement.objects.exists()

    def test_the_settlement_endorsement_brings_the_premium_to_the_final_one_once(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)
        declare_every_month(agent, terms, CEILING // 2)

        endorsement = services.floating_policy_settle(user=agent.user, floating_policy=terms)

        assert endorsement.kind == Endorsement.Kind.REFUND
        assert endorsement.premium_delta == -(PREMIUM // 2)
        assert endorsement.changes["final_premium"] == PREMIUM // 2
        with pytest.raises(ConflictError):
            services.floating_policy_settle(user=agent.user, floating_policy=terms)
        assert Endorsement.objects.count() == 1

    def test_an_over_limit_endorsement_counts_as_charged_on_account(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)
        declare_every_month(agent, terms, 600_000_000)
        on_account = Endorsement.objects.get(stock_declaration__isnull=False)
        terms.refresh_from_db()

        final = selectors.floating_final_premium(terms)

        assert final.issue_limit == CEILING
        assert final.final_premium == PREMIUM * 600 // 500
        assert final.charged == PREMIUM + on_account.premium_delta
        assert final.adjustment == PREMIUM * 600 // 500 - PREMIUM - on_account.premium_delta


@pytest.mark.rule("R-244", "R-245")
class TestThroughTheApi:
    def test_the_office_declares_the_insured_sees_and_the_period_is_settled(self, agent, customer):
        terms = floating(agent, customer, started_days_ago=400)
        url = f"/api/v1/policies/{terms.policy.pk}/declarations/"
        office, insured = client_for(agent.user), client_for(customer)
        (year, month, _days), *rest = selectors.term_solar_months(terms.policy.starts_on, terms.policy.ends_on)
        letter = {"year": year, "month": month, "stock_value": 600_000_000, "declared_on": today().isoformat()}

        assert insured.post(url, letter, format="json").status_code == 403
        outside = office.post(url, {**letter, "year": year - 2}, format="json")
        assert outside.status_code == 400
        assert "month" in outside.data
        assert not StockDeclaration.objects.exists()

        over = office.post(url, letter, format="json")
        assert over.status_code == 201, over.data
        assert over.data["endorsement"]["kind"] == "additional"
        for year, month, _days in rest:
            row = {**letter, "year": year, "month": month, "stock_value": 300_000_000}
            assert office.post(url, row, format="json").data["endorsement"] is None

        seen = insured.get(url)
        assert seen.status_code == 200
        assert len(seen.data["declarations"]) == len(rest) + 1
        expected = selectors.floating_final_premium(terms)
        assert seen.data["final_premium"]["final_premium"] == expected.final_premium
        assert expected.final_premium < PREMIUM  # most months were declared lower

        settled = office.post(f"{url}settle/")
        assert settled.status_code == 201, settled.data
        assert settled.data["premium_delta"] == expected.adjustment
        assert office.post(f"{url}settle/").status_code == 409

    def test_settling_before_the_end_is_a_400_and_writes_nothing(self, agent, customer):
        terms = floating(agent, customer)

        response = client_for(agent.user).post(f"/api/v1/policies/{terms.policy.pk}/declarations/settle/")

        assert response.status_code == 400
        assert "policy" in response.data
        assert not Endorsement.objects.exists()

    def test_a_stranger_gets_404(self, agent, customer):
        terms = floating(agent, customer)

        response = client_for(UserFactory()).get(f"/api/v1/policies/{terms.policy.pk}/declarations/")

        assert response.status_code == 404


@pytest.mark.rule("R-244", "R-245")
class TestOnTheAgentsPages:
    def test_the_agent_records_a_letter_above_the_ceiling_and_sees_the_endorsement(self, agent, customer):
        terms = floating(agent, customer)
        year, month = month_of(today() - days(60))
        page = Client()
        page.force_login(agent.user)

        response = page.post(
            f"/policies/{terms.policy.pk}/declarations/new/",
            {"year": year, "month": month, "stock_value": "600,000,000", "declared_on": format_jalali(today())},
            follow=True,
        )

        assert response.status_code == 200
        declaration = StockDeclaration.objects.get()
        assert declaration.endorsement.kind == Endorsement.Kind.ADDITIONAL
        content = response.content.decode()
        assert "الحاقی اضافی" in content
        assert "حق‌بیمه قطعی از روی اظهارنامه‌ها" in content

    def test_a_refused_letter_is_shown_on_its_field_with_what_was_typed(self, agent, customer):
        terms = floating(agent, customer)
        year, month = month_of(today() - days(200))
        page = Client()
        page.force_login(agent.user)

        response = page.post(
            f"/policies/{terms.policy.pk}/declarations/new/",
            {"year": year, "month": month, "stock_value": "600,000,000", "declared_on": format_jalali(today())},
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert "مدت بیمه‌نامه" in " ".join(form.errors["month"])
        assert form["stock_value"].value() == "600,000,000"
        assert not StockDeclaration.objects.exists()
        assert not Endorsement.objects.exists()

    def test_settling_before_the_end_says_why_and_writes_nothing(self, agent, customer):
        terms = floating(agent, customer)
        page = Client()
        page.force_login(agent.user)

        response = page.post(f"/policies/{terms.policy.pk}/declarations/settle/", follow=True)

        assert "پس از پایان دوره" in response.content.decode()
        assert not Endorsement.objects.exists()

    def test_the_customer_cannot_open_the_office_pages(self, agent, customer):
        terms = floating(agent, customer)
        page = Client()
        page.force_login(customer)

        assert page.get(f"/policies/{terms.policy.pk}/declarations/new/").status_code == 404


@pytest.mark.rule("R-246")
class TestFloatingIsTheFirePolicysStockCondition:
    def test_a_policy_of_another_line_cannot_be_floating(self, agent, customer):
        body = record(agent, customer, line="body", sum_insured=2_000_000_000, params={"vin": "NAAM01CA9KR000001"})

        with pytest.raises(ApplicationError) as refused:
            services.floating_policy_set_terms(user=agent.user, policy=body, max_stock_value=CEILING)

        assert refused.value.field == "policy"
        assert "آتش‌سوزی" in refused.value.message
        assert not FloatingPolicy.objects.exists()

    def test_in_the_staff_page_the_refusal_is_on_the_policy_field(self, agent, customer):
        body = record(agent, customer, line="body", sum_insured=2_000_000_000, params={"vin": "NAAM01CA9KR000002"})
        page = Client()
        page.force_login(StaffFactory())

        response = page.post(
            "/admin/declarations/floatingpolicy/add/",
            {"policy": body.pk, "max_stock_value": CEILING, "declaration_due_day": 10},
        )

        assert response.status_code == 200
        assert "آتش‌سوزی" in " ".join(response.context["adminform"].form.errors["policy"])
        assert not FloatingPolicy.objects.exists()


@pytest.mark.rule("R-247")
class TestTheLetterDeclaresAMonthThatIsOver:
    def test_a_month_not_over_on_the_letters_date_is_refused(self, agent, customer):
        terms = floating(agent, customer)
        year, month = month_of(today())

        with pytest.raises(ApplicationError) as refused:
            declare(agent, terms, 300_000_000, month=(year, month))

        assert refused.value.code == "month_not_over"
        assert refused.value.field == "month"
        assert not StockDeclaration.objects.exists()

    def test_the_previous_month_is_accepted(self, agent, customer):
        terms = floating(agent, customer)

        declaration = declare(agent, terms, 300_000_000, month=month_of(today() - days(35)))

        assert declaration.pk

    def test_through_the_api_and_the_staff_page(self, agent, customer):
        terms = floating(agent, customer)
        year, month = month_of(today())
        letter = {"year": year, "month": month, "stock_value": 300_000_000, "declared_on": today().isoformat()}

        response = client_for(agent.user).post(
            f"/api/v1/policies/{terms.policy.pk}/declarations/", letter, format="json"
        )
        assert response.status_code == 400
        assert "month" in response.data

        page = Client()
        page.force_login(StaffFactory())
        admin_page = page.post("/admin/declarations/stockdeclaration/add/", {"floating_policy": terms.pk, **letter})
        assert admin_page.status_code == 200
        assert "پس از پایان همان ماه" in " ".join(admin_page.context["adminform"].form.errors["month"])
        assert not StockDeclaration.objects.exists()
