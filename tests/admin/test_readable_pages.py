"""The admin's change pages read as Persian to staff (issue 14 point 9): Jalali dates and
Persian digits, amounts with separators and ریال, labels instead of stored codes, and JSON
(assessment inputs, breakdowns, parameters, quotes, instalments) as tables."""

import re

import pytest

from claims import rules
from tests.admin.conftest import visible_text

LATIN_DIGIT = re.compile(r"[0-9]")

CHANGE_PAGES = {
    "claim": "/admin/claims/claim/{claim.pk}/change/",
    "body policy": "/admin/policies/policy/{body_policy.pk}/change/",
    "fire policy with instalments": "/admin/policies/policy/{fire_policy.pk}/change/",
    "request with quote and offer": "/admin/insurance_requests/insurancerequest/{request.pk}/change/",
    "invoice": "/admin/agents/invoice/{invoice.pk}/change/",
    "agent": "/admin/agents/agent/{agent.pk}/change/",
    "tariff": "/admin/pricing/tariff/{tariff.pk}/change/",
}
LIST_PAGES = {
    "claims": "/admin/claims/claim/",
    "policies": "/admin/policies/policy/",
    "requests": "/admin/insurance_requests/insurancerequest/",
    "invoices": "/admin/agents/invoice/",
}


def page_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.mark.parametrize("url", CHANGE_PAGES.values(), ids=CHANGE_PAGES.keys())
def test_change_pages_show_no_latin_digit_and_no_raw_json(scene, staff_client, url):
    """issue 14 point 9: detail pages as readable as the lists (ids stay in the URLs only)."""
    text = page_text(staff_client, url.format(**scene))

    assert not LATIN_DIGIT.findall(text), re.findall(r"\S*[0-9]\S*", text)
    assert "{" not in text and "[" not in text


@pytest.mark.parametrize("url", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_lists_show_no_latin_digit(scene, staff_client, url):
    """issue 14 point 9: counts, amounts, numbers and dates of the lists in Persian digits."""
    text = page_text(staff_client, url)

    assert not LATIN_DIGIT.findall(text), re.findall(r"\S*[0-9]\S*", text)


def test_claim_page_names_the_cause_and_documents_and_tabulates_the_assessment(scene, staff_client):
    """issue 14 point 9: the cause and document kinds by their labels, assessment inputs and the
    payout breakdown as label → amount rows in rial."""
    claim = scene["claim"]
    text = page_text(staff_client, f"/admin/claims/claim/{claim.pk}/change/")

    assert str(rules.cause_for("body", "glass").label) in text
    for code, label in rules.document_kinds("body").items():
        if claim.documents.filter(kind=code).exists():
            assert label in text
            assert re.search(rf"(?<![\w/]){code}(?![\w/])", text) is None, code
    assert "استهلاک ۱٬۵۰۰٬۰۰۰ ریال" in text  # an assessment input, labelled, with separators and unit
    assert "مبلغ خسارت برآوردشده ۳۰٬۰۰۰٬۰۰۰ ریال" in text  # the breakdown's first row
    assert "مبلغ قابل پرداخت (ریال): ۲۵٬۲۰۰٬۰۰۰ ریال" in text


def test_policy_page_names_covers_and_parameters(scene, staff_client):
    """issue 14 point 9: extra covers by their names, the car's parameters by their labels."""
    text = page_text(staff_client, f"/admin/policies/policy/{scene['body_policy'].pk}/change/")

    assert "glass" not in text and "parts_theft" not in text
    assert "پوشش‌های اضافی: شکست شیشه، سرقت درجا" in text
    assert "سرمایه بیمه‌شده (ریال): ۹٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in text
    assert "build_year" not in text


def test_fire_policy_page_lists_the_instalments_in_jalali_and_rial(scene, staff_client):
    """issue 14 point 9: instalment rows with Jalali due dates and amounts with the unit."""
    text = page_text(staff_client, f"/admin/policies/policy/{scene['fire_policy'].pk}/change/")

    assert re.search(r"۱۴\d\d/\d\d/\d\d ۳٬۶۰۰٬۰۰۰ ریال".replace(r"\d", "[۰-۹]"), text)


def test_request_page_shows_parameters_quote_and_offer_readably(scene, staff_client):
    """issue 14 point 9: request parameters by label, the stored quote as a table, and the offer's
    premium, instalments and covers."""
    text = page_text(staff_client, f"/admin/insurance_requests/insurancerequest/{scene['request'].pk}/change/")

    assert "car_4cyl" not in text and "personal" not in text and "vehicle_group" not in text
    assert "گروه خودرو" in text
    assert "۶۱٬۲۵۰٬۰۰۰ ریال" in text and "حق‌بیمه پایه ۵۸٬۰۰۰٬۰۰۰ ریال" in text
    assert "۳۰٬۰۰۰٬۰۰۰ ریال" in text and "شکست شیشه" in text
    assert "۱ ساعت و ۱ دقیقه" in text


def test_invoice_page_names_the_gateway_and_shows_the_amount_in_rial(scene, staff_client):
    """issue 14 point 9: the invoice amount with separators and unit; the gateway by its name."""
    text = page_text(staff_client, f"/admin/agents/invoice/{scene['invoice'].pk}/change/")

    assert "۲۵٬۰۰۰٬۰۰۰ ریال" in text
    assert "زرین‌پال" in text and "zarinpal" not in text
