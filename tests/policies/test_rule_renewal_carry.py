"""A renewal carries the policy as it stands [001] «تغییرات … اعمال شده از طریق الحاقی در سال
قبل … اعمال می‌شود»: the partners' shares (R-225) and the mortgage (R-221), whose bank letter
the new policy waits for like any new issue; and a body policy recorded before the build
year was required gives it at renewal, held to the 20-year rule (R-201)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.exceptions import ApplicationError
from core.jalali import format_jalali, solar_year
from core.uploads import private_upload_clean
from policies import selectors, services
from policies.models import Policy
from tests.agents.images import pdf_bytes
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db

HOME = {"property_type": "residential", "postal_code": "1234567890", "unit": "4"}
PARTNERS = [{"name": "مریم احمدی", "share": "۳۳٫۳۳"}, {"name": "علی احمدی", "share": "66.67"}]


def letter():
    return private_upload_clean(SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf"))


def renew(agent, policy, **kwargs):
    return services.policy_renew(
        user=agent.user,
        policy=policy,
        ends_on=policy.ends_on + days(365),
        premium=12_000_000,
        policy_number="RENEWED-1",
        **kwargs,
    )


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_form(policy, **extra) -> dict:
    return {
        "ends_on": format_jalali(policy.ends_on + days(365)),
        "premium": "12,000,000",
        "policy_number": "RENEWED-1",
        "payment_plan": "cash",
        **extra,
    }


def without_build_year(policy) -> Policy:
    # A body policy recorded before the build year was required.
    Policy.objects.filter(pk=policy.pk).update(params={"vin": "NAS411100G1234567"})
    policy.refresh_from_db()
    return policy


# --- R-225: the partners' shares carry over -----------------------------------------------------


@pytest.mark.rule("R-225")
def test_the_partners_and_their_shares_carry_over_to_the_renewal(agent, customer):
    policy = record(agent, customer, params=dict(HOME), partners=PARTNERS)
    renewal = renew(agent, policy)
    assert renewal.partners == policy.partners
    assert [row["share"] for row in renewal.partners] == ["33.33", "66.67"]


@pytest.mark.rule("R-225")
def test_new_shares_given_at_renewal_replace_them_and_are_checked(agent, customer):
    policy = record(agent, customer, params=dict(HOME), partners=PARTNERS)
    with pytest.raises(ApplicationError) as refused:
        renew(agent, policy, partners=[{"name": "مریم", "share": "50"}, {"name": "علی", "share": "40"}])
    assert refused.value.field == "partners"
    assert Policy.objects.count() == 1
    renewal = renew(agent, policy, partners=[{"name": "مریم", "share": "50"}, {"name": "علی", "share": "50"}])
    assert [row["share"] for row in renewal.partners] == ["50", "50"]


@pytest.mark.rule("R-225")
def test_the_renew_api_carries_the_partners(agent, agent_api, customer):
    policy = record(agent, customer, params=dict(HOME), partners=PARTNERS)
    body = {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 12_000_000, "policy_number": "R-9"}
    response = agent_api.post(f"/api/v1/policies/{policy.pk}/renew/", body, format="json")
    assert response.status_code == 201
    assert response.json()["policy"]["partners"] == policy.partners


# --- a mortgaged renewal keeps the mortgage and waits for the bank's letter --------------


@pytest.mark.rule("R-221")
def test_a_mortgaged_renewal_stays_mortgaged_and_waits_for_a_new_bank_letter(agent, customer):
    policy = record(agent, customer, params=dict(HOME), mortgaged=True, bank_letter=letter())
    assert policy.status == Policy.Status.ISSUED
    renewal = renew(agent, policy)
    assert renewal.mortgaged
    assert renewal.status == Policy.Status.PENDING_ISSUE
    assert not renewal.bank_letter
    assert any("بانک" in blocker for blocker in selectors.issue_blockers(renewal))
    services.policy_bank_letter_attach(user=agent.user, policy=renewal, document=letter())
    renewal.refresh_from_db()
    assert renewal.bank_letter


@pytest.mark.rule("R-221")
def test_a_mortgaged_renewal_with_the_banks_letter_is_issued_and_a_released_one_needs_none(agent, customer):
    policy = record(agent, customer, params=dict(HOME), mortgaged=True, bank_letter=letter())
    renewal = renew(agent, policy, bank_letter=letter())
    assert renewal.mortgaged and renewal.status == Policy.Status.ISSUED and renewal.bank_letter
    other = record(agent, customer, params={**HOME, "unit": "7"}, mortgaged=True, bank_letter=letter())
    released = services.policy_renew(
        user=agent.user,
        policy=other,
        ends_on=other.ends_on + days(365),
        premium=1,
        policy_number="R-2",
        mortgaged=False,
    )
    assert not released.mortgaged and released.status == Policy.Status.ISSUED


@pytest.mark.rule("R-221")
def test_the_renew_page_keeps_the_mortgage_checked_and_takes_the_letter(agent, customer):
    policy = record(agent, customer, params=dict(HOME), mortgaged=True, bank_letter=letter())
    page = browser(agent.user)
    assert page.get(f"/policies/{policy.pk}/renew/").context["form"]["mortgaged"].value() is True
    upload = SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf")
    response = page.post(f"/policies/{policy.pk}/renew/", page_form(policy, mortgaged="on", bank_letter=upload))
    assert response.status_code == 302
    renewal = Policy.objects.get(renewal_of=policy)
    assert renewal.mortgaged and renewal.bank_letter and renewal.status == Policy.Status.ISSUED


# --- a body policy without a build year gives it at renewal ------------------------------


@pytest.mark.rule("R-201")
def test_a_body_policy_without_a_build_year_cannot_be_renewed_until_it_is_given(agent, customer):
    policy = without_build_year(record(agent, customer, line="body"))
    with pytest.raises(ApplicationError) as refused:
        renew(agent, policy)
    assert refused.value.field == "params.build_year"
    assert Policy.objects.count() == 1
    renewal = renew(agent, policy, params={"build_year": "۱۴۰۰"})
    assert renewal.params["build_year"] == 1400 and renewal.params["vin"] == "NAS411100G1234567"


@pytest.mark.rule("R-201")
def test_the_build_year_given_at_renewal_is_held_to_the_20_year_rule_and_to_the_old_policy(agent, customer):
    policy = without_build_year(record(agent, customer, line="body"))
    with pytest.raises(ApplicationError) as too_old:
        renew(agent, policy, params={"build_year": solar_year(today()) - 30})
    assert too_old.value.field == "params.build_year" and "۲۰ سال" in too_old.value.message
    recorded = record(agent, customer, line="body", params={"plate": "۱۲ب۳۴۵-۶۷"})
    with pytest.raises(ApplicationError) as changed:
        renew(agent, recorded, params={"build_year": recorded.params["build_year"] - 1})
    assert changed.value.field == "params.build_year"
    with pytest.raises(ApplicationError) as unknown:
        renew(agent, recorded, params={"car_value": 1})
    assert unknown.value.field == "params.car_value"
    assert Policy.objects.count() == 2


@pytest.mark.rule("R-201")
def test_the_renew_api_takes_the_build_year_in_params_and_refuses_it_nested(agent, agent_api, customer):
    policy = without_build_year(record(agent, customer, line="body"))
    url = f"/api/v1/policies/{policy.pk}/renew/"
    body = {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 12_000_000, "policy_number": "R-9"}
    refused = agent_api.post(url, body, format="json")
    assert refused.status_code == 400
    assert "سال ساخت" in refused.json()["params"]["build_year"][0]
    too_old = agent_api.post(url, {**body, "params": {"build_year": solar_year(today()) - 30}}, format="json")
    assert "۲۰ سال" in too_old.json()["params"]["build_year"][0]
    assert Policy.objects.count() == 1
    renewed = agent_api.post(url, {**body, "params": {"build_year": 1400}}, format="json")
    assert renewed.status_code == 201
    assert renewed.json()["policy"]["params"]["build_year"] == 1400


@pytest.mark.rule("R-201")
def test_the_renew_page_asks_the_build_year_shows_the_refusal_on_it_and_keeps_it(agent, customer):
    policy = without_build_year(record(agent, customer, line="body"))
    page = browser(agent.user)
    old = str(solar_year(today()) - 30)
    response = page.post(f"/policies/{policy.pk}/renew/", page_form(policy, build_year=old))
    assert response.status_code == 200
    assert "۲۰ سال" in response.context["form"].errors["build_year"][0]
    assert f'value="{old}"' in response.content.decode()
    assert Policy.objects.count() == 1
    response = page.post(f"/policies/{policy.pk}/renew/", page_form(policy, build_year="1400"))
    assert response.status_code == 302
    assert Policy.objects.get(renewal_of=policy).params["build_year"] == 1400


@pytest.mark.rule("R-201")
def test_the_renew_page_does_not_ask_a_build_year_the_policy_has(agent, customer):
    policy = record(agent, customer, line="body")
    assert "build_year" not in browser(agent.user).get(f"/policies/{policy.pk}/renew/").context["form"].fields
