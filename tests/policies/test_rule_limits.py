"""The line limits hold for recorded, renewed and endorsed policies as they do for quotes
(issue 12, "one rule, one place"): each refusal through the service, the API (400 naming the
field) and the page (the message on the field, what was typed kept), and nothing written."""

import pytest
from django.test import Client

from core.exceptions import ApplicationError
from core.jalali import format_jalali, solar_year
from policies import services
from policies.models import Endorsement, Installment, Policy
from pricing.core import limits
from pricing.selectors import tariff_snapshot
from pricing.services import ParamsError, validate_params
from tests.policies.helpers import days, link_confirmed, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _customer_confirmed_the_agent(agent, customer):
    """Recording by the customer's mobile needs a relationship (issue 13 point 1)."""
    link_confirmed(agent, customer)


URL = "/api/v1/policies/"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def this_year() -> int:
    return solar_year(today())


def api_body(customer, *, line, length, starts_on=None, **overrides):
    starts_on = starts_on or today()
    data = {
        "customer_mobile": customer.mobile,
        "line": line,
        "insurer": "iran",
        "policy_number": "L-1001",
        "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + days(length)).isoformat(),
        "premium": 10_000_000,
        "sum_insured": 500_000_000,
        "paid_on": today().isoformat(),
    }
    data.update(overrides)
    return data


def page_form(customer, *, line, length, **overrides):
    data = {
        "customer_mobile": customer.mobile,
        "line": line,
        "policy_number": "۷۷۸۸۹۹",
        "starts_on": format_jalali(today()),
        "ends_on": format_jalali(today() + days(length)),
        "premium": "۱۰٬۰۰۰٬۰۰۰",
        "sum_insured": "500,000,000",
        "payment_plan": "cash",
        "paid_on": format_jalali(today()),
    }
    data.update(overrides)
    return data


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call()
    return exc.value


def assert_nothing_recorded():
    assert Policy.objects.count() == 0
    assert Installment.objects.count() == 0


# --- body never for less than a year ----------------------------------------------------


@pytest.mark.rule("R-200")
class TestBodyAtLeastAYear:
    def test_a_body_policy_of_180_days_is_refused_and_nothing_is_written(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="body", length=180))
        assert error.field == "ends_on"
        assert error.message == limits.body_term_message()
        assert_nothing_recorded()

    def test_a_body_policy_of_a_year_is_recorded(self, agent, customer):
        policy = record(agent, customer, line="body", length=365)
        assert policy.status == Policy.Status.ISSUED

    def test_the_api_refuses_180_days_on_ends_on(self, agent_api, customer):
        body = api_body(customer, line="body", length=180, params={"build_year": this_year() - 3})
        response = agent_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert "کمتر از یک سال" in response.data["ends_on"][0]
        assert_nothing_recorded()

    def test_the_page_shows_it_on_ends_on_and_keeps_what_was_typed(self, agent, customer):
        form = page_form(customer, line="body", length=180, build_year="۱۴۰۰")
        response = browser(agent.user).post("/policies/new/", form)
        assert response.status_code == 200
        assert response.context["form"].errors["ends_on"] == [limits.body_term_message()]
        html = response.content.decode()
        assert 'value="۷۷۸۸۹۹"' in html and 'value="۱۴۰۰"' in html
        assert_nothing_recorded()

    def test_a_short_renewal_of_a_body_policy_is_refused_not_written_as_an_endorsement(self, agent, customer):
        policy = record(agent, customer, line="body", issued_on=today() - days(300))
        error = refusal(
            lambda: services.policy_renew(
                user=agent.user, policy=policy, ends_on=policy.ends_on + days(180), premium=3_000_000
            )
        )
        assert error.field == "ends_on"
        assert error.message == limits.body_term_message()
        assert not Endorsement.objects.exists()
        policy.refresh_from_db()
        assert policy.ends_on == today() - days(300) + days(365)

    def test_the_renew_api_refuses_a_short_body_renewal_on_ends_on(self, agent, agent_api, customer):
        policy = record(agent, customer, line="body", issued_on=today() - days(300))
        response = agent_api.post(
            f"/api/v1/policies/{policy.pk}/renew/",
            {"ends_on": (policy.ends_on + days(180)).isoformat(), "premium": 3_000_000},
            format="json",
        )
        assert response.status_code == 400
        assert "ends_on" in response.data
        assert not Endorsement.objects.exists()


# --- no car older than 20 years for body ----------------------------------------------


@pytest.mark.rule("R-201")
class TestBodyCarAge:
    def test_a_car_21_years_past_its_build_year_is_refused_and_nothing_is_written(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="body", params={"build_year": this_year() - 21}))
        assert error.field == "params.build_year"
        assert "۲۰ سال" in error.message
        assert_nothing_recorded()

    def test_a_car_of_20_years_is_still_insured(self, agent, customer):
        policy = record(agent, customer, line="body", params={"build_year": this_year() - 20})
        assert policy.params["build_year"] == this_year() - 20

    def test_a_body_policy_without_the_build_year_is_refused(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="body", params={"build_year": ""}))
        assert error.field == "params.build_year"
        assert_nothing_recorded()

    def test_the_record_and_the_quote_refuse_with_the_same_words(self, agent, customer):
        with pytest.raises(ParamsError) as quoted:
            validate_params("body", {"car_value": 5_000_000_000, "build_year": this_year() - 21})
        recorded = refusal(lambda: record(agent, customer, line="body", params={"build_year": this_year() - 21}))
        assert quoted.value.errors["build_year"] == [recorded.message]

    def test_the_api_refuses_an_old_car_on_build_year_given_in_persian_digits(self, agent_api, customer):
        old = str(this_year() - 35).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        body = api_body(customer, line="body", length=365, params={"build_year": old})
        response = agent_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert "۲۰ سال" in response.data["params"]["build_year"][0]
        assert_nothing_recorded()

    def test_the_page_shows_it_on_build_year_and_keeps_it(self, agent, customer):
        form = page_form(customer, line="body", length=365, build_year=str(this_year() - 35))
        response = browser(agent.user).post("/policies/new/", form)
        assert response.status_code == 200
        assert "۲۰ سال" in response.context["form"].errors["build_year"][0]
        assert f'value="{this_year() - 35}"' in response.content.decode()
        assert_nothing_recorded()

    def test_a_renewal_is_refused_once_the_car_has_passed_20_years(self, agent, customer):
        # given a car of 20 years when last year's policy was bought
        issued = today() - days(365)
        policy = record(agent, customer, line="body", issued_on=issued, params={"build_year": solar_year(issued) - 20})
        # when it is renewed for a year today, in the next solar year
        error = refusal(
            lambda: services.policy_renew(
                user=agent.user,
                policy=policy,
                ends_on=policy.ends_on + days(365),
                premium=12_000_000,
                policy_number="RENEWED-1",
            )
        )
        # then
        assert error.field == "params.build_year"
        assert Policy.objects.count() == 1

    def test_an_endorsement_moving_the_policy_to_a_car_over_20_years_is_refused(self, agent, customer):
        policy = record(agent, customer, line="body")
        error = refusal(
            lambda: services.endorsement_issue(
                user=agent.user,
                policy=policy,
                kind="no_financial_effect",
                changes={"vehicle": {"owner": "insured", "build_year": this_year() - 21}},
            )
        )
        assert error.field == "changes" and error.code == "car_too_old"
        assert not Endorsement.objects.exists()
        policy.refresh_from_db()
        assert policy.params["build_year"] == this_year() - 5

    def test_the_endorsement_api_refuses_an_old_car_on_changes(self, agent, agent_api, customer):
        policy = record(agent, customer, line="body")
        response = agent_api.post(
            f"/api/v1/policies/{policy.pk}/endorsements/",
            {
                "kind": "no_financial_effect",
                "changes": {"vehicle": {"owner": "spouse", "build_year": this_year() - 30}},
            },
            format="json",
        )
        assert response.status_code == 400
        assert "۲۰ سال" in response.data["changes"][0]
        assert not Endorsement.objects.exists()

    def test_the_endorsement_page_shows_it_on_the_new_cars_build_year(self, agent, customer):
        policy = record(agent, customer, line="body")
        form = {"kind": "no_financial_effect", "vehicle_owner": "insured", "vehicle_build_year": str(this_year() - 30)}
        response = browser(agent.user).post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})
        assert response.status_code == 200
        assert "۲۰ سال" in response.context["form"].errors["vehicle_build_year"][0]
        assert f'value="{this_year() - 30}"' in response.content.decode()
        assert not Endorsement.objects.exists()


# --- third-party has no car age limit --------------------------------------------------


@pytest.mark.rule("R-202")
class TestThirdPartyHasNoAgeLimit:
    def test_the_third_party_quote_does_not_ask_the_build_year(self):
        from pricing.core.lines import third_party

        names = {param.name for param in third_party.parameters(tariff_snapshot(), today())}
        assert "build_year" not in names

    def test_the_age_rule_passes_any_third_party_car(self):
        tariff = tariff_snapshot().line("body")
        assert limits.car_age("third_party", build_year=1340, this_solar_year=1405, tariff=tariff) is None
        assert limits.car_age("body", build_year=1340, this_solar_year=1405, tariff=tariff) is not None

    def test_a_third_party_policy_for_a_40_year_old_car_is_recorded(self, agent, customer):
        policy = record(agent, customer, line="third_party", params={"build_year": this_year() - 40})
        assert policy.status == Policy.Status.ISSUED


# --- travel lengths from the first exit -----------------------------------


@pytest.mark.rule("R-203")
class TestSingleTripAtMost92Days:
    def test_a_single_trip_of_93_days_is_refused_and_nothing_is_written(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="travel", length=93, params={"trip_type": "single"}))
        assert error.field == "ends_on"
        assert "۹۲ روز" in error.message
        assert_nothing_recorded()

    def test_a_single_trip_of_92_days_is_recorded(self, agent, customer):
        assert record(agent, customer, line="travel", length=92).pk

    def test_a_trip_type_left_out_is_a_single_trip(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="travel", length=200))
        assert error.field == "ends_on"

    def test_the_record_and_the_quote_refuse_with_the_same_words(self, agent, customer):
        with pytest.raises(ParamsError) as quoted:
            validate_params("travel", {"zone": "schengen", "days": 93, "birth_date": "1370/01/15"})
        recorded = refusal(lambda: record(agent, customer, line="travel", length=93))
        assert quoted.value.errors["days"] == [recorded.message]

    def test_the_api_refuses_200_days_on_ends_on(self, agent_api, customer):
        response = agent_api.post(
            URL, api_body(customer, line="travel", length=200, params={"trip_type": "single"}), format="json"
        )
        assert response.status_code == 400
        assert "۹۲ روز" in response.data["ends_on"][0]
        assert_nothing_recorded()

    def test_the_page_shows_it_on_ends_on_and_keeps_the_trip_type(self, agent, customer):
        form = page_form(customer, line="travel", length=200, trip_type="single")
        response = browser(agent.user).post("/policies/new/", form)
        assert response.status_code == 200
        assert "۹۲ روز" in response.context["form"].errors["ends_on"][0]
        assert '<option value="single" selected>' in response.content.decode()
        assert_nothing_recorded()


@pytest.mark.rule("R-204")
class TestMultipleTripOneYearFromFirstExit:
    def test_a_multiple_trip_policy_runs_a_year(self, agent, customer):
        policy = record(agent, customer, line="travel", length=365, params={"trip_type": "multiple"})
        assert policy.params["trip_type"] == "multiple"

    def test_a_multiple_trip_policy_longer_than_a_year_is_refused(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="travel", length=400, params={"trip_type": "multiple"}))
        assert error.field == "ends_on"
        assert "یک سال از نخستین خروج" in error.message
        assert_nothing_recorded()

    def test_the_api_refuses_it_on_ends_on(self, agent_api, customer):
        body = api_body(customer, line="travel", length=400, params={"trip_type": "multiple"})
        response = agent_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert "ends_on" in response.data

    def test_the_page_records_a_multiple_trip_year(self, agent, customer):
        form = page_form(customer, line="travel", length=365, trip_type="multiple")
        response = browser(agent.user).post("/policies/new/", form)
        assert response.status_code == 302, response.context["form"].errors
        assert Policy.objects.get().params["trip_type"] == "multiple"


@pytest.mark.rule("R-155")
class TestStudentSixOrTwelveMonths:
    def test_a_six_month_student_policy_of_200_days_is_refused(self, agent, customer):
        params = {"trip_type": "student", "student_months": 6}
        error = refusal(lambda: record(agent, customer, line="travel", length=200, params=params))
        assert error.field == "ends_on"
        assert_nothing_recorded()

    def test_a_twelve_month_student_policy_of_200_days_is_recorded(self, agent, customer):
        params = {"trip_type": "student", "student_months": 12}
        assert record(agent, customer, line="travel", length=200, params=params).pk

    def test_nine_months_is_refused_on_student_months(self, agent_api, customer):
        body = api_body(customer, line="travel", length=200, params={"trip_type": "student", "student_months": 9})
        response = agent_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert "student_months" in response.data["params"]
        assert_nothing_recorded()


# --- travel cover starts at the exit, bought before it ------------------------------------


@pytest.mark.rule("R-205")
class TestTravelStartsAtTheExit:
    def test_a_travel_policy_starting_before_its_purchase_is_refused(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="travel", starts_on=today() - days(3), length=20))
        assert error.field == "starts_on"
        assert "خروج" in error.message
        assert_nothing_recorded()

    def test_a_travel_policy_bought_before_the_exit_is_recorded(self, agent, customer):
        policy = record(agent, customer, line="travel", starts_on=today() + days(10), length=20)
        assert policy.starts_on == today() + days(10)

    def test_the_api_refuses_it_on_starts_on(self, agent_api, customer):
        body = api_body(customer, line="travel", length=20, starts_on=today() - days(3))
        response = agent_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert "starts_on" in response.data
        assert_nothing_recorded()


# --- travel is not renewable -------------------------------------------------------------


@pytest.mark.rule("R-206")
class TestTravelNotRenewable:
    def test_the_service_refuses_and_writes_nothing(self, agent, customer):
        policy = record(agent, customer, line="travel", length=30)
        error = refusal(
            lambda: services.policy_renew(user=agent.user, policy=policy, ends_on=policy.ends_on + days(10), premium=1)
        )
        assert error.field == "policy" and error.message == limits.renewal("travel")
        assert not Endorsement.objects.exists()
        assert Policy.objects.count() == 1

    def test_no_renewal_invitation_for_a_travel_policy(self, agent, customer):
        record(agent, customer, line="travel", issued_on=today() - days(20), length=30)
        assert services.renewal_reminders_send() == 0

    def test_the_renew_page_says_so(self, agent, customer):
        policy = record(agent, customer, line="travel", length=30)
        response = browser(agent.user).post(
            f"/policies/{policy.pk}/renew/",
            {"ends_on": format_jalali(policy.ends_on + days(10)), "premium": "1000000", "payment_plan": "cash"},
        )
        assert response.status_code == 200
        assert limits.renewal("travel") in response.context["form"].non_field_errors()
        assert not Endorsement.objects.exists()


# --- a body policy moves only to a car of the insured or the spouse ----------------


@pytest.mark.rule("R-207")
class TestBodyMovesToACarOfTheInsuredOrSpouse:
    def test_it_moves_to_the_spouses_car(self, agent, customer):
        policy = record(agent, customer, line="body")
        endorsement = services.endorsement_issue(
            user=agent.user,
            policy=policy,
            kind="no_financial_effect",
            changes={"vehicle": {"owner": "spouse", "build_year": this_year() - 2, "plate": "۱۲ب۳۴۵-۶۷"}},
        )
        policy.refresh_from_db()
        assert policy.params["build_year"] == this_year() - 2
        assert policy.params["car_owner"] == "spouse"
        assert policy.customer == customer
        assert endorsement.previous["vehicle"]["build_year"] == this_year() - 5

    def test_a_car_in_someone_elses_name_is_refused_and_nothing_is_written(self, agent, customer):
        policy = record(agent, customer, line="body")
        error = refusal(
            lambda: services.endorsement_issue(
                user=agent.user,
                policy=policy,
                kind="no_financial_effect",
                changes={"vehicle": {"owner": "other", "build_year": this_year() - 2}},
            )
        )
        assert error.code == "car_transfer_refused"
        assert "همسر" in error.message
        assert not Endorsement.objects.exists()

    def test_only_a_body_policy_changes_car(self, agent, customer):
        policy = record(agent, customer, line="fire")
        error = refusal(
            lambda: services.endorsement_preview(
                policy=policy, changes={"vehicle": {"owner": "insured", "build_year": this_year() - 2}}
            )
        )
        assert error.code == "car_transfer_refused"

    def test_the_api_refuses_it_on_changes(self, agent, agent_api, customer):
        policy = record(agent, customer, line="body")
        response = agent_api.post(
            f"/api/v1/policies/{policy.pk}/endorsements/preview/",
            {"changes": {"vehicle": {"owner": "other", "build_year": this_year() - 2}}},
            format="json",
        )
        assert response.status_code == 400
        assert "همسر" in response.data["changes"][0]

    def test_the_page_shows_it_on_the_owner_choice_and_keeps_it(self, agent, customer):
        policy = record(agent, customer, line="body")
        form = {"kind": "no_financial_effect", "vehicle_owner": "other", "vehicle_build_year": str(this_year() - 2)}
        response = browser(agent.user).post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})
        assert response.status_code == 200
        assert "همسر" in response.context["form"].errors["vehicle_owner"][0]
        assert '<option value="other" selected>' in response.content.decode()
        assert not Endorsement.objects.exists()


@pytest.mark.rule("R-208")
class TestBodyIsNotHandedToAnotherPerson:
    def test_an_owner_change_of_a_body_policy_is_refused(self, agent, customer):
        from tests.factories import UserFactory

        buyer = UserFactory()
        policy = record(agent, customer, line="body")
        error = refusal(
            lambda: services.endorsement_issue(
                user=agent.user, policy=policy, kind="no_financial_effect", changes={"owner_mobile": buyer.mobile}
            )
        )
        assert error.code == "owner_transfer_refused"
        assert not Endorsement.objects.exists()
        policy.refresh_from_db()
        assert policy.customer == customer

    def test_a_third_party_policy_still_follows_the_car_to_its_buyer(self, agent, customer):
        from tests.factories import UserFactory

        buyer = UserFactory()
        policy = record(agent, customer, line="third_party")
        link_confirmed(agent, buyer)
        services.endorsement_issue(
            user=agent.user,
            policy=policy,
            kind="no_financial_effect",
            changes={"owner_mobile": buyer.mobile},
            effective_on=policy.starts_on,
        )
        policy.refresh_from_db()
        assert policy.customer == buyer

    def test_the_api_refuses_it_on_changes(self, agent, agent_api, customer):
        from tests.factories import UserFactory

        policy = record(agent, customer, line="body")
        response = agent_api.post(
            f"/api/v1/policies/{policy.pk}/endorsements/",
            {"kind": "no_financial_effect", "changes": {"owner_mobile": UserFactory().mobile}},
            format="json",
        )
        assert response.status_code == 400
        assert "بدنه" in response.data["changes"][0]
        assert not Endorsement.objects.exists()

    def test_the_page_shows_it_on_the_new_owners_mobile(self, agent, customer):
        from tests.factories import UserFactory

        buyer = UserFactory()
        policy = record(agent, customer, line="body")
        form = {"kind": "no_financial_effect", "owner_mobile": buyer.mobile}
        response = browser(agent.user).post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})
        assert response.status_code == 200
        assert "بدنه" in response.context["form"].errors["owner_mobile"][0]
        assert buyer.mobile in response.content.decode()
        assert not Endorsement.objects.exists()


# --- electronics one solar year -----------------------------------------------------------


@pytest.mark.rule("R-091")
class TestElectronicsOneSolarYear:
    def test_a_six_month_electronics_policy_is_refused(self, agent, customer):
        error = refusal(lambda: record(agent, customer, line="electronics", length=180))
        assert error.field == "ends_on"
        assert "یک سال شمسی" in error.message
        assert_nothing_recorded()

    def test_a_years_electronics_policy_is_recorded(self, agent, customer):
        assert record(agent, customer, line="electronics", length=365).pk

    def test_it_is_renewed_for_a_year_not_by_a_short_endorsement(self, agent, customer):
        policy = record(agent, customer, line="electronics", issued_on=today() - days(300))
        error = refusal(
            lambda: services.policy_renew(user=agent.user, policy=policy, ends_on=policy.ends_on + days(90), premium=1)
        )
        assert error.field == "ends_on"
        assert not Endorsement.objects.exists()
