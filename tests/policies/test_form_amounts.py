"""The agent's policy forms: amounts are typed in rial (copied from the insurer's policy),
echoed in toman, summarised before recording, and never silently misread."""

import re

import pytest
from django.test import Client

from claims.forms import TomanField
from core.jalali import format_jalali
from policies.forms import RialField
from policies.models import Policy
from tests.policies.helpers import days, link_confirmed, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _customer_confirmed_the_agent(agent, customer):
    """Recording by the customer's mobile needs a relationship (issue 13 point 1)."""
    link_confirmed(agent, customer)


def fa_toman(rial: int) -> str:
    return f"{rial // 10:,}".replace(",", "٬").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) + " تومان"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def policy_form(customer, **overrides):
    return {
        "customer_mobile": customer.mobile,
        "line": "fire",
        "policy_number": "F-1",
        "starts_on": format_jalali(today()),
        "ends_on": format_jalali(today() + days(365)),
        "premium": "10,000,000",
        "sum_insured": "500,000,000",
        "property_type": "residential",
        "payment_plan": "cash",
        **overrides,
    }


def test_each_rial_input_has_a_live_toman_echo_it_is_described_by(agent):
    html = browser(agent.user).get("/policies/new/").content.decode()

    for name in ("premium", "sum_insured", "actual_value"):
        tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        assert "data-rial" in tag
        assert f'id="id_{name}_toman" aria-live="polite"' in html
    assert 'src="/static/policies/policy_form.js"' in html


def test_every_aria_describedby_points_at_an_element_on_the_page(agent):
    html = browser(agent.user).get("/policies/new/").content.decode()

    described = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    assert described
    for ref in described:
        assert f'id="{ref}"' in html, ref


def test_recording_form_asks_for_confirmation_of_the_figures(agent):
    html = browser(agent.user).get("/policies/new/").content.decode()

    form = re.search(r"<form [^>]*data-confirm=\"policy-confirm\"[^>]*>", html).group(0)
    assert "premium" in form and "sum_insured" in form
    assert 'id="policy-confirm"' in html and "data-confirm-submit" in html


def test_endorsement_and_renewal_pages_echo_toman_too(agent, customer):
    policy = record(agent, customer)
    page = browser(agent.user)

    for url in (f"/policies/{policy.pk}/endorsements/new/", f"/policies/{policy.pk}/renew/"):
        html = page.get(url).content.decode()
        assert "data-rial" in html and "_toman" in html and "policy_form.js" in html, url


def test_customer_toman_inputs_get_no_rial_echo():
    assert "data-rial" in RialField().widget_attrs(RialField.widget)
    assert "data-rial" not in TomanField().widget_attrs(TomanField.widget)


def test_an_insured_item_value_in_words_is_refused_not_recorded_as_zero(agent, customer):
    # given an agent who writes "500 million" the way it is said
    items = "ساختمان: ۵۰۰ میلیون\nاثاثیه: ۱۰۰٬۰۰۰٬۰۰۰"

    # when the policy is sent
    response = browser(agent.user).post("/policies/new/", policy_form(customer, insured_items=items))

    # then nothing is recorded, the reason names the item and the input is kept
    assert response.status_code == 200
    assert not Policy.objects.exists()
    errors = response.context["form"].errors["insured_items"]
    assert "ساختمان" in errors[0]
    assert "ساختمان: ۵۰۰ میلیون" in response.content.decode()


def test_insured_items_with_separators_are_read(agent, customer):
    items = "ساختمان: ۵۰۰٬۰۰۰٬۰۰۰\nاثاثیه"

    response = browser(agent.user).post("/policies/new/", policy_form(customer, insured_items=items))

    assert response.status_code == 302
    assert Policy.objects.get().insured_items == [
        {"title": "ساختمان", "value": 500_000_000},
        {"title": "اثاثیه", "value": 0},
    ]


def test_instalment_choices_read_in_persian_digits_and_toman(agent, customer):
    policy = record(agent, customer, payment_plan="installments", installments_count=3, paid=False)

    html = browser(agent.user).get(f"/policies/{policy.pk}/payments/").content.decode()

    labels = re.findall(r"<option value=\"\d\">([^<]*)</option>", html)
    down, first = policy.installments.order_by("number")[:2]
    assert labels[0] == f"پیش‌پرداخت — {fa_toman(down.amount)}"
    assert labels[1] == f"قسط ۱ — {fa_toman(first.amount)}"


def test_a_too_small_amount_is_refused_in_persian_digits(agent, customer):
    response = browser(agent.user).post("/policies/new/", policy_form(customer, premium="0"))

    assert response.context["form"].errors["premium"] == ["مبلغ نمی‌تواند کمتر از ۱ باشد."]
