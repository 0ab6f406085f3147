"""The issue rules of the fire process [001] and the FAQ [004]: capital reviews of fire
policies only, the bank's letter for mortgaged property, the supervision office's
authorisation of special cases, no double insurance, partners' shares on the policy.

Each rule through the service, the API and, where an agent or staff meets it, the page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from core.uploads import private_upload_clean
from policies import issue_rules, selectors, services
from policies.models import CapitalReview, Policy
from tests.agents.images import pdf_bytes
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, link_confirmed, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _customer_confirmed_the_agent(agent, customer):
    """Recording by the customer's mobile needs a relationship (issue 13 point 1)."""
    link_confirmed(agent, customer)


BIG = 50_000_000_000  # over the 10 and 40 billion rial review thresholds [001]
HOME = {"property_type": "residential", "postal_code": "1234567890", "unit": "4"}
CAR = {"vin": "NAS411100G1234567", "build_year": 1402, "car_value": 9_000_000_000, "usage": "personal"}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def letter():
    return private_upload_clean(SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf"))


def api_body(agent, customer, **overrides) -> dict:
    body = {
        "customer_mobile": customer.mobile,
        "line": "fire",
        "insurer": agent.insurer.code,
        "policy_number": "API-1",
        "starts_on": today().isoformat(),
        "ends_on": (today() + days(365)).isoformat(),
        "premium": 10_000_000,
        "sum_insured": 500_000_000,
        "params": dict(HOME),
        "paid_on": today().isoformat(),
    }
    body.update(overrides)
    return body


def issued_by_the_office(agent, policy: Policy) -> Policy:
    """A large fire policy: its initial inspection, the supervision office's authorisation, issue."""
    services.inspection_record(
        user=agent.user, policy=policy, kind="initial", inspected_on=today(), inspector="کارشناس", report="بدون توصیه"
    )
    if policy.authorisation_reasons:
        services.policy_authorise(user=StaffFactory(), policy=policy, reference="1")
    return services.policy_mark_issued(user=agent.user, policy=policy)


def page_form(customer, **overrides) -> dict:
    form = {
        "customer_mobile": customer.mobile,
        "line": "fire",
        "policy_number": "PAGE-1",
        "starts_on": format_jalali(today()),
        "ends_on": format_jalali(today() + days(365)),
        "premium": "10,000,000",
        "sum_insured": "500,000,000",
        "property_type": "residential",
        "postal_code": "1234567890",
        "unit": "4",
        "payment_plan": "cash",
        "paid_on": format_jalali(today()),
    }
    form.update(overrides)
    return form


# --- the capital reviews concern fire policies only ------------------------------------


@pytest.mark.rule("R-220")
def test_a_body_policy_of_50_billion_is_on_no_capital_review_list(agent, customer):
    body = record(agent, customer, line="body", sum_insured=BIG, params=dict(CAR))
    fire = issued_by_the_office(agent, record(agent, customer, sum_insured=BIG))
    assert body.status == Policy.Status.ISSUED
    assert selectors.policy_capital_review_levels(body) == []
    assert selectors.policy_capital_review_levels(fire) == ["monthly", "central"]
    for level in ("monthly", "central"):
        assert list(selectors.capital_review_queryset(level)) == [fire]


@pytest.mark.rule("R-220")
def test_a_body_policy_cannot_be_marked_reviewed(agent, customer):
    body = record(agent, customer, line="body", sum_insured=BIG, params=dict(CAR))
    with pytest.raises(ApplicationError) as error:
        services.capital_review_mark(user=StaffFactory(), policy=body, level="monthly")
    assert error.value.field == "level"
    assert not CapitalReview.objects.exists()


@pytest.mark.rule("R-220")
def test_the_admin_review_list_and_the_api_leave_body_policies_out(agent, customer, agent_api):
    body = record(agent, customer, line="body", sum_insured=BIG, params=dict(CAR), policy_number="BODY-BIG")
    fire = issued_by_the_office(agent, record(agent, customer, sum_insured=BIG, policy_number="FIRE-BIG"))
    page = browser(StaffFactory())
    content = page.get("/admin/policies/monthlyreviewpolicy/").content.decode()
    assert "FIRE-BIG" in content and "BODY-BIG" not in content
    response = page.post(
        "/admin/policies/monthlyreviewpolicy/", {"action": "mark_reviewed", "_selected_action": [body.pk, fire.pk]}
    )
    assert response.status_code == 302
    assert list(CapitalReview.objects.values_list("policy_id", flat=True)) == [fire.pk]
    assert agent_api.get(f"/api/v1/policies/{body.pk}/").json()["capital_review_levels"] == []


# --- R-228..R-231: the review lists by capital ---------------------------------------------------


@pytest.mark.rule("R-228")
def test_up_to_10_billion_rial_the_branch_alone_answers_for_it(agent, customer):
    at_limit = issued_by_the_office(agent, record(agent, customer, sum_insured=10_000_000_000))
    assert selectors.policy_capital_review_levels(at_limit) == []
    assert not selectors.capital_review_queryset("monthly").exists()


@pytest.mark.rule("R-229")
def test_over_10_billion_rial_the_policy_and_its_endorsements_go_to_the_monthly_review(agent, customer):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=10_000_000_001))
    services.endorsement_issue(
        user=agent.user, policy=policy, kind="no_financial_effect", changes={"insured_name": "تهران"}, premium_delta=0
    )
    assert selectors.policy_capital_review_levels(policy) == ["monthly"]
    assert list(selectors.capital_review_queryset("monthly")) == [policy]
    content = browser(StaffFactory()).get("/admin/policies/monthlyreviewpolicy/").content.decode()
    assert policy.number in content
    assert 'class="field-endorsement_count">۱<' in content  # admin digits are Persian (issue 14 point 9)


@pytest.mark.rule("R-229")
def test_a_policy_still_waiting_for_issue_is_not_on_a_review_list_yet(agent, customer):
    waiting = record(agent, customer, sum_insured=BIG)
    assert waiting.status == Policy.Status.PENDING_ISSUE
    assert not selectors.capital_review_queryset("monthly").exists()
    with pytest.raises(ConflictError):
        services.capital_review_mark(user=StaffFactory(), policy=waiting, level="monthly")


@pytest.mark.rule("R-230")
def test_over_40_billion_rial_a_copy_goes_to_central_insurance(agent, customer):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=40_000_000_001))
    below = issued_by_the_office(agent, record(agent, customer, sum_insured=40_000_000_000))
    assert selectors.policy_capital_review_levels(policy) == ["monthly", "central"]
    assert list(selectors.capital_review_queryset("central")) == [policy]
    assert "central" not in selectors.policy_capital_review_levels(below)


@pytest.mark.rule("R-231")
def test_over_63_billion_rial_the_review_is_daily(agent, customer):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=63_000_000_001))
    below = issued_by_the_office(agent, record(agent, customer, sum_insured=63_000_000_000))
    assert selectors.policy_capital_review_levels(policy) == ["monthly", "central", "daily"]
    assert list(selectors.capital_review_queryset("daily")) == [policy]
    assert "daily" not in selectors.policy_capital_review_levels(below)
    page = browser(StaffFactory())
    response = page.post(
        "/admin/policies/dailyreviewpolicy/", {"action": "mark_reviewed", "_selected_action": [policy.pk]}
    )
    assert response.status_code == 302
    assert policy.capital_reviews.get().level == "daily"
    with pytest.raises(ConflictError):  # approved and filed once per list
        services.capital_review_mark(user=StaffFactory(), policy=policy, level="daily")


# --- mortgaged property needs the bank's letter before issue ----------------------------


@pytest.mark.rule("R-221")
def test_a_mortgaged_policy_waits_for_the_bank_letter(agent, customer):
    policy = record(agent, customer, params=dict(HOME), mortgaged=True)
    assert policy.status == Policy.Status.PENDING_ISSUE
    assert any("نامه بانک" in reason for reason in selectors.issue_blockers(policy))
    with pytest.raises(ConflictError) as error:
        services.policy_mark_issued(user=agent.user, policy=policy)
    assert "نامه بانک" in error.value.message
    policy.refresh_from_db()
    assert policy.status == Policy.Status.PENDING_ISSUE and policy.issued_at is None

    services.policy_bank_letter_attach(user=agent.user, policy=policy, document=letter())
    services.policy_mark_issued(user=agent.user, policy=policy)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.ISSUED
    assert policy.bank_letter.name.startswith("policies/bank_letters/")


@pytest.mark.rule("R-221")
def test_a_mortgaged_policy_recorded_with_the_letter_is_issued_at_once(agent, customer):
    policy = record(agent, customer, params=dict(HOME), mortgaged=True, bank_letter=letter())
    assert policy.status == Policy.Status.ISSUED


@pytest.mark.rule("R-221")
def test_the_bank_letter_through_the_api_is_private_to_the_policy(agent, customer, agent_api):
    response = agent_api.post("/api/v1/policies/", api_body(agent, customer, mortgaged=True), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending_issue" and data["mortgaged"] is True
    assert any("نامه بانک" in reason for reason in data["issue_blockers"])
    assert agent_api.post(f"/api/v1/policies/{data['id']}/issue/").status_code == 409

    upload = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    response = agent_api.post(f"/api/v1/policies/{data['id']}/bank-letter/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["bank_letter_url"]
    assert agent_api.post(f"/api/v1/policies/{data['id']}/issue/").json()["status"] == "issued"
    # a stranger cannot see the letter; the customer can
    assert client_for(UserFactory()).get(f"/api/v1/policies/{data['id']}/bank-letter/").status_code == 404
    assert client_for(customer).get(f"/api/v1/policies/{data['id']}/bank-letter/").status_code == 200


@pytest.mark.rule("R-221")
def test_the_policy_page_says_the_letter_is_missing_and_takes_it(agent, customer):
    page = browser(agent.user)
    response = page.post("/policies/new/", page_form(customer, mortgaged="on"))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get()
    content = page.get(f"/policies/{policy.pk}/").content.decode()
    assert "نامه بانک پیوست نشده است" in content
    upload = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    assert page.post(f"/policies/{policy.pk}/bank-letter/upload/", {"file": upload}).status_code == 302
    policy.refresh_from_db()
    assert policy.bank_letter
    assert page.get(f"/policies/{policy.pk}/bank-letter/").status_code == 200


# --- special cases wait for the supervision office's authorisation -------------


@pytest.mark.rule("R-222")
def test_a_discount_request_waits_for_the_supervision_office(agent, customer):
    policy = record(agent, customer, params=dict(HOME), special_cases=["discount_request"])
    assert policy.status == Policy.Status.PENDING_ISSUE
    assert policy.authorisation_reasons == ["discount_request"]
    with pytest.raises(ConflictError) as error:
        services.policy_mark_issued(user=agent.user, policy=policy)
    assert "اداره نظارت" in error.value.message

    services.policy_authorise(user=StaffFactory(), policy=policy, reference="۱۲۳/ن")
    services.policy_mark_issued(user=agent.user, policy=policy)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.ISSUED
    assert policy.authorisation_reference == "۱۲۳/ن"


@pytest.mark.rule("R-222")
def test_high_risk_is_a_special_case_too(agent, customer):
    policy = record(agent, customer, params=dict(HOME), special_cases=["high_risk"])
    assert policy.status == Policy.Status.PENDING_ISSUE
    assert policy.authorisation_reasons == ["high_risk"]


@pytest.mark.rule("R-222")
def test_only_staff_record_the_authorisation(agent, customer):
    policy = record(agent, customer, params=dict(HOME), special_cases=["discount_request"])
    with pytest.raises(ApplicationError) as error:
        services.policy_authorise(user=agent.user, policy=policy, reference="1")
    assert error.value.code == "staff_only"
    policy.refresh_from_db()
    assert policy.authorised_at is None


@pytest.mark.rule("R-222")
def test_the_api_shows_why_it_waits_and_staff_authorise_it(agent, customer, agent_api):
    response = agent_api.post(
        "/api/v1/policies/", api_body(agent, customer, special_cases=["discount_request"]), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["authorisation"]["reasons"] == ["discount_request"]
    assert data["authorisation"]["authorised"] is False
    assert any("اداره نظارت" in reason for reason in data["issue_blockers"])
    url = f"/api/v1/policies/{data['id']}/authorisation/"
    assert agent_api.post(url, {"reference": "1"}, format="json").status_code == 403
    staff_api = client_for(StaffFactory())
    assert staff_api.post(url, {}, format="json").status_code == 400
    response = staff_api.post(url, {"reference": "45/1405"}, format="json")
    assert response.status_code == 200
    assert response.json()["authorisation"]["authorised"] is True
    assert agent_api.post(f"/api/v1/policies/{data['id']}/issue/").json()["status"] == "issued"


@pytest.mark.rule("R-222")
def test_staff_find_the_special_cases_waiting_in_the_admin(agent, customer):
    waiting = record(agent, customer, params=dict(HOME), special_cases=["discount_request"], policy_number="WAIT-1")
    record(agent, customer, params={**HOME, "unit": "9"}, policy_number="PLAIN-1")
    page = browser(StaffFactory())
    content = page.get("/admin/policies/awaitingauthorisationpolicy/").content.decode()
    assert "WAIT-۱" in content and "PLAIN-۱" not in content  # admin digits are Persian (issue 14 point 9)
    assert f"/policies/{waiting.pk}/authorise/" in content
    services.policy_authorise(user=StaffFactory(), policy=waiting, reference="7")
    assert "WAIT-۱" not in page.get("/admin/policies/awaitingauthorisationpolicy/").content.decode()


@pytest.mark.rule("R-222")
def test_an_unknown_special_case_is_refused_with_its_field(agent, customer, agent_api):
    response = agent_api.post("/api/v1/policies/", api_body(agent, customer, special_cases=["vip"]), format="json")
    assert response.status_code == 400
    assert "special_cases" in response.json()
    assert not Policy.objects.exists()


@pytest.mark.rule("R-222")
def test_the_agent_sees_why_it_waits_and_staff_authorise_on_the_page(agent, customer):
    page = browser(agent.user)
    response = page.post("/policies/new/", page_form(customer, special_cases=["discount_request"]))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get()
    content = page.get(f"/policies/{policy.pk}/").content.decode()
    assert "درخواست تخفیف برای مشتری" in content and "در انتظار مجوز" in content
    assert page.get(f"/policies/{policy.pk}/authorise/").status_code == 404  # not the agent's to give
    staff = browser(StaffFactory())
    response = staff.post(f"/policies/{policy.pk}/authorise/", {"reference": ""})
    assert response.status_code == 200 and response.context["form"].errors["reference"]
    assert staff.post(f"/policies/{policy.pk}/authorise/", {"reference": "45/1405"}).status_code == 302
    policy.refresh_from_db()
    assert policy.authorised_at is not None
    assert "مجوز ثبت شد" in page.get(f"/policies/{policy.pk}/").content.decode()


@pytest.mark.rule("R-223")
def test_a_fire_capital_over_10_billion_rial_needs_the_authorisation(agent, customer):
    over = record(agent, customer, sum_insured=10_000_000_001, params=dict(HOME))
    at_limit = record(agent, customer, sum_insured=10_000_000_000, params={**HOME, "unit": "5"})
    assert over.authorisation_reasons == ["high_capital"]
    assert at_limit.authorisation_reasons == []
    assert any("بالا بودن حجم سرمایه" in reason for reason in selectors.issue_blockers(over))


@pytest.mark.rule("R-223")
def test_a_body_policy_of_high_capital_is_not_a_fire_special_case(agent, customer):
    body = record(agent, customer, line="body", sum_insured=BIG, params=dict(CAR))
    assert body.authorisation_reasons == []


# --- no double insurance of the same property for an overlapping period -----------------


@pytest.mark.rule("R-224")
def test_the_same_home_for_an_overlapping_period_is_refused(agent, customer):
    first = record(agent, customer, params=dict(HOME))
    with pytest.raises(ApplicationError) as error:
        record(agent, UserFactory(), params={**HOME, "postal_code": "۱۲۳۴۵-۶۷۸۹۰"}, starts_on=today() + days(100))
    assert error.value.field == "params.postal_code"
    assert error.value.code == "double_insurance"
    assert "بیمه مضاعف" in error.value.message and first.number in error.value.message
    assert Policy.objects.count() == 1


@pytest.mark.rule("R-224")
def test_another_unit_a_later_period_or_an_annulled_policy_is_not_double_insurance(agent, customer):
    first = record(agent, customer, params=dict(HOME), starts_on=today() + days(10))
    record(agent, customer, params={**HOME, "unit": "5"})
    # the next year starts at 24:00 of the day the first ends: no common day [001]
    record(agent, customer, params=dict(HOME), starts_on=first.ends_on)
    services.policy_cancel(user=agent.user, policy=first, by="insured", on=today(), kind="annulment")
    record(agent, customer, params=dict(HOME), starts_on=today() + days(10))
    assert Policy.objects.count() == 4


@pytest.mark.rule("R-224")
def test_the_same_car_twice_is_refused_by_its_chassis_number(agent, customer):
    record(agent, customer, line="body", sum_insured=9_000_000_000, params=dict(CAR))
    with pytest.raises(ApplicationError) as error:
        record(agent, customer, line="body", sum_insured=9_000_000_000, params={**CAR, "vin": "nas411100g1234567"})
    assert error.value.field == "params.vin"


@pytest.mark.rule("R-224")
def test_the_property_identity_per_line():
    assert issue_rules.property_key("fire", {"postal_code": "۱۲۳۴۵-۶۷۸۹۰", "unit": " 4 "}) == "fire:1234567890:4"
    assert issue_rules.property_key("body", {"vin": "nas-411", "plate": "12ب345"}) == "body:vin:NAS411"
    assert issue_rules.property_key("body", {"plate": "۱۲ ب ۳۴۵ - ۶۶"}) == "body:plate:12ب34566"
    assert issue_rules.property_key("electronics", {"serial": "imei 3566"}) == "electronics:IMEI3566"
    # an early third-party renewal may overlap [003]; travel insures a person
    assert issue_rules.property_key("third_party", {"vin": "NAS411", "plate": "12ب345"}) == ""
    assert issue_rules.property_key("travel", {}) == ""


@pytest.mark.rule("R-224")
def test_a_postal_code_that_is_not_10_digits_is_refused_on_its_field(agent, customer):
    with pytest.raises(ApplicationError) as error:
        record(agent, customer, params={**HOME, "postal_code": "12345"})
    assert error.value.field == "params.postal_code"
    assert not Policy.objects.exists()


@pytest.mark.rule("R-224")
def test_double_insurance_through_the_api_is_a_400_on_the_field(agent, customer, agent_api):
    record(agent, customer, params=dict(HOME))
    response = agent_api.post("/api/v1/policies/", api_body(agent, customer), format="json")
    assert response.status_code == 400
    assert "بیمه مضاعف" in response.json()["params"]["postal_code"][0]
    assert Policy.objects.count() == 1


@pytest.mark.rule("R-224")
def test_double_insurance_on_the_page_is_shown_on_the_field_with_the_input_kept(agent, customer):
    record(agent, customer, params=dict(HOME))
    response = browser(agent.user).post("/policies/new/", page_form(customer))
    assert response.status_code == 200
    form = response.context["form"]
    assert "بیمه مضاعف" in form.errors["postal_code"][0]
    assert 'value="1234567890"' in response.content.decode()
    assert Policy.objects.count() == 1


# --- R-225: partners' shares are stated on the policy ------------------------------------------


@pytest.mark.rule("R-225")
def test_partners_shares_are_recorded_and_sum_to_100(agent, customer):
    partners = [{"name": "مریم احمدی", "share": "۳۳٫۳۳"}, {"name": "علی احمدی", "share": "66.67"}]
    policy = record(agent, customer, params=dict(HOME), partners=partners)
    assert [(p["name"], p["share"]) for p in policy.partners] == [("مریم احمدی", "33.33"), ("علی احمدی", "66.67")]


@pytest.mark.rule("R-225")
def test_shares_that_do_not_sum_to_100_are_refused(agent, customer):
    with pytest.raises(ApplicationError) as error:
        record(agent, customer, params=dict(HOME), partners=[{"name": "الف", "share": 50}, {"name": "ب", "share": 40}])
    assert error.value.field == "partners"
    assert "۱۰۰" in error.value.message and "۹۰" in error.value.message
    assert not Policy.objects.exists()


@pytest.mark.rule("R-225")
def test_partners_through_the_api(agent, customer, agent_api):
    bad = api_body(agent, customer, partners=[{"name": "الف", "share": "60"}, {"name": "ب", "share": "60"}])
    response = agent_api.post("/api/v1/policies/", bad, format="json")
    assert response.status_code == 400 and "partners" in response.json()
    good = api_body(agent, customer, partners=[{"name": "الف", "share": "60"}, {"name": "ب", "share": "40"}])
    response = agent_api.post("/api/v1/policies/", good, format="json")
    assert response.status_code == 201
    assert [p["share"] for p in response.json()["partners"]] == ["60", "40"]


@pytest.mark.rule("R-225")
def test_partners_on_the_page_are_shown_on_the_policy_and_a_bad_sum_keeps_the_input(agent, customer):
    page = browser(agent.user)
    response = page.post("/policies/new/", page_form(customer, partners="مریم: ۵۰\nعلی: ۴۰"))
    assert response.status_code == 200
    assert response.context["form"].errors["partners"]
    assert "مریم: ۵۰" in response.content.decode()
    assert not Policy.objects.exists()
    response = page.post("/policies/new/", page_form(customer, partners="مریم: ۵۰\nعلی: ۵۰"))
    assert response.status_code == 302
    policy = Policy.objects.get()
    content = browser(customer).get(f"/policies/{policy.pk}/").content.decode()
    assert "شرکا و سهم هر یک" in content and "مریم" in content and "۵۰٪" in content


# --- defects found in the review are corrected by an endorsement before approval --------


@pytest.mark.rule("R-232")
def test_a_review_with_defects_is_approved_only_after_a_correcting_endorsement(agent, customer):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=15_000_000_000))
    staff = StaffFactory()
    review = services.capital_review_mark(user=staff, policy=policy, level="monthly", defects="نرخ زلزله اشتباه است")
    assert review.outcome == CapitalReview.Outcome.DEFECTS and review.approved_at is None
    with pytest.raises(ConflictError) as error:
        services.capital_review_mark(user=staff, policy=policy, level="monthly")
    assert error.value.code == "defects_open"
    review.refresh_from_db()
    assert review.outcome == CapitalReview.Outcome.DEFECTS

    correction = services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind="no_financial_effect",
        changes={"conditions": "نرخ زلزله اصلاح شد"},
        premium_delta=0,
    )
    review = services.capital_review_mark(user=staff, policy=policy, level="monthly")
    assert review.outcome == CapitalReview.Outcome.APPROVED
    assert review.corrected_by == correction and review.approved_at is not None


@pytest.mark.rule("R-232")
def test_only_staff_review_and_the_agent_sees_the_defects_in_the_api(agent, customer, agent_api):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=15_000_000_000))
    url = f"/api/v1/policies/{policy.pk}/capital-reviews/"
    assert agent_api.post(url, {"level": "monthly"}, format="json").status_code == 403
    staff_api = client_for(StaffFactory())
    assert staff_api.post(url, {"level": "daily"}, format="json").status_code == 400  # not on that list
    response = staff_api.post(url, {"level": "monthly", "defects": "سازه درج نشده"}, format="json")
    assert response.status_code == 201
    reviews = agent_api.get(f"/api/v1/policies/{policy.pk}/").json()["capital_reviews"]
    assert reviews[0]["outcome"] == "defects" and reviews[0]["defects"] == "سازه درج نشده"
    assert staff_api.post(url, {"level": "monthly"}, format="json").status_code == 409


@pytest.mark.rule("R-232")
def test_staff_record_defects_on_the_page_and_the_agent_reads_them_on_the_policy(agent, customer):
    policy = issued_by_the_office(agent, record(agent, customer, sum_insured=15_000_000_000))
    assert browser(agent.user).get(f"/policies/{policy.pk}/capital-review/").status_code == 404
    staff = browser(StaffFactory())
    response = staff.post(f"/policies/{policy.pk}/capital-review/", {"level": "monthly", "defects": "فرانشیز درج نشده"})
    assert response.status_code == 302
    content = browser(agent.user).get(f"/policies/{policy.pk}/").content.decode()
    assert "فرانشیز درج نشده" in content and "با صدور الحاقی اصلاح کنید" in content


@pytest.mark.rule("R-224")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_recording_the_same_home_at_once_write_one_policy():
    from tests.concurrency import run_at_once
    from tests.policies.helpers import make_agent

    agents = [make_agent() for _ in range(4)]
    owner = UserFactory()
    calls = [
        lambda agent=agent: record(agent, owner, params=dict(HOME), policy_number=f"RACE-{agent.pk}")
        for agent in agents
    ]
    outcomes = run_at_once(calls)
    refused = [outcome for outcome in outcomes if isinstance(outcome, ApplicationError)]
    assert len(refused) == 3, outcomes and all(error.code == "double_insurance" for error in refused)
    assert Policy.objects.count() == 1
