"""Bad input never answers 500 (issue 13 point 4): dates in plausible windows, numbers the
database holds, Persian digits, bodies of a bounded size, page numbers of any shape.

The bounds live in core/validators.py and are applied by the input fields (core/fields.py, the
serializers and forms); the body limit by core.middleware.BodySizeLimitMiddleware and
core.parsers.JSONParser.
"""

import datetime as dt
import io
import json
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers as drf_serializers
from rest_framework.test import APIClient

from accounts.forms import ProfileForm
from agents.forms import DocumentsForm
from claims.forms import ClaimFileForm, TomanField
from claims.models import Claim
from core.fields import FlexibleDateField, JalaliDateFormField
from core.jalali import format_jalali
from core.parsers import BodyTooLarge, JSONParser
from core.validators import (
    ADULT_AGE_YEARS,
    BIRTH_DATES,
    EARLIEST_DATE,
    LICENCE_MAX_YEARS,
    MAX_AMOUNT_RIAL,
    MAX_BIGINT,
    MAX_INT,
    MAX_SMALLINT,
    MIN_BIGINT,
    PLAUSIBLE_DATES,
    years_after,
)
from policies.forms import RialField
from tests.agents.factories import AgentFactory
from tests.agents.test_onboarding_api import licence_upload
from tests.factories import UserFactory
from tests.policies.helpers import client_for, days, make_agent, record

pytestmark = pytest.mark.django_db

PERSIAN = range(0x0600, 0x0700)


def persian(text: str) -> bool:
    return any(ord(char) in PERSIAN for char in str(text))


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def policy(customer):
    return record(make_agent(), customer, issued_on=today() - days(60))


# --- dates ------------------------------------------------------------------------------------


def test_every_date_field_keeps_to_1900_through_ten_years_ahead():
    """issue 13 point 4: the default window of the API's and the forms' date fields."""
    latest = years_after(today(), 10)
    api_field, form_field = FlexibleDateField(), JalaliDateFormField()
    for accepted in (EARLIEST_DATE, today(), latest, format_jalali(latest)):
        assert api_field.run_validation(accepted if isinstance(accepted, str) else accepted.isoformat())
        assert form_field.clean(accepted if isinstance(accepted, str) else accepted.isoformat())
    for refused in (EARLIEST_DATE - days(1), latest + days(1), dt.date(2121, 1, 1), dt.date(1, 1, 1)):
        with pytest.raises(drf_serializers.ValidationError) as api_error:
            api_field.run_validation(refused.isoformat())
        assert persian(api_error.value.detail[0])
        with pytest.raises(ValidationError) as form_error:
            form_field.clean(refused.isoformat())
        assert persian(form_error.value.messages[0])


def _birth_dates():
    adult = years_after(today(), -ADULT_AGE_YEARS)
    return {
        "tomorrow": (today() + days(1)).isoformat(),
        "ten_years_old": years_after(today(), -10).isoformat(),
        "a_day_short_of_adult": (adult + days(1)).isoformat(),
        "before_1900": "1899-12-31",
        "jalali_in_the_future": format_jalali(today() + days(30)),
    }


@pytest.mark.parametrize("case", list(_birth_dates()))
def test_the_api_refuses_a_birth_date_in_the_future_or_under_the_legal_age(customer, case):
    """issue 13 point 4: an account holder is at least 18 and born after 1900 (PATCH /api/v1/me/)."""
    response = client_for(customer).patch("/api/v1/me/", {"birth_date": _birth_dates()[case]}, format="json")
    assert response.status_code == 400, response.content
    assert persian(response.json()["birth_date"][0])
    customer.refresh_from_db()
    assert customer.birth_date is None


def test_an_adult_birth_date_is_accepted_in_either_calendar(customer):
    """issue 13 point 4: the day one turns 18 is the latest birth date accepted."""
    adult = years_after(today(), -ADULT_AGE_YEARS)
    assert BIRTH_DATES.check(adult) == adult
    response = client_for(customer).patch("/api/v1/me/", {"birth_date": format_jalali(adult)}, format="json")
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.birth_date == adult


@pytest.mark.parametrize("case", list(_birth_dates()))
def test_the_profile_form_refuses_a_birth_date_in_the_future_or_under_the_legal_age(customer, case):
    """issue 13 point 4: the same window on the profile page's form."""
    form = ProfileForm({"birth_date": _birth_dates()[case]}, user=customer)
    assert not form.is_valid()
    assert persian(form.errors["birth_date"][0])


@pytest.mark.parametrize("expiry", ["2121-01-01", "1500/01/01", "۱۵۰۰/۰۱/۰۱"])
def test_a_licence_expiring_in_2121_is_refused_by_the_api(expiry):
    """issue 13 point 4: a licence expires at most LICENCE_MAX_YEARS ahead; nothing is stored."""
    agent = AgentFactory(terms_accepted=True)
    response = client_for(agent.user).post(
        "/api/v1/agent/licence/",
        {"licence_image": licence_upload(), "licence_number": "L100", "licence_expires_on": expiry},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert persian(response.json()["licence_expires_on"][0])
    agent.refresh_from_db()
    assert not agent.licence_file


def test_a_licence_expiring_in_2121_is_refused_by_the_onboarding_form():
    """issue 13 point 4: the browser's documents form keeps to the same bound."""
    too_late = years_after(today(), LICENCE_MAX_YEARS) + days(1)
    for expiry, valid in ((too_late, False), (too_late - days(1), True)):
        form = DocumentsForm({"licence_number": "L100", "licence_expires_on": expiry.isoformat()})
        assert ("licence_expires_on" not in form.errors) is valid, form.errors


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2121-01-01", "9999-12-31"])
def test_a_claim_or_a_cancellation_dated_out_of_the_window_is_a_persian_400(customer, policy, day):
    """issue 13 point 4: dates far outside any policy are refused by the field itself, with the
    window's message (before, each service judged them, or not at all)."""
    with pytest.raises(ValidationError) as expected:
        PLAUSIBLE_DATES.check(dt.date.fromisoformat(day))
    claim = {"policy": policy.pk, "occurred_on": day, "description": "آتش‌سوزی", "estimated_loss": 1_000_000}
    response = client_for(customer).post("/api/v1/claims/", claim, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["occurred_on"] == expected.value.messages
    agent_client = client_for(policy.agent.user)
    response = agent_client.post(f"/api/v1/policies/{policy.pk}/cancel/preview/", {"by": "insured", "on": day})
    assert response.status_code == 400, response.content
    assert response.json()["on"] == expected.value.messages


# --- integers ---------------------------------------------------------------------------------


def _request_schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _integer_inputs(schema):
    """(component, property path, schema) of every integer a request body takes."""
    components = schema["components"]["schemas"]
    used = set()

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in used:
                    used.add(name)
                    refs(components[name])
            for value in node.values():
                refs(value)
        elif isinstance(node, list):
            for value in node:
                refs(value)

    for operations in schema["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                refs(operation["requestBody"])
    found = []

    def integers(node, path):
        if isinstance(node, dict):
            if node.get("type") == "integer":
                found.append((path, node))
            for key, value in node.items():
                integers(value, f"{path}.{key}")
        elif isinstance(node, list):
            for value in node:
                integers(value, path)

    for name in sorted(used):
        integers(components[name], name)
    return found


def test_every_integer_a_request_takes_is_bounded_in_the_schema():
    """issue 13 point 4: every integer input declares a minimum and a maximum a bigint holds, so the
    serializer refuses the rest with a 400 (a form-encoded body is not bounded by the JSON parser)
    and schemathesis generates the bounds."""
    inputs = _integer_inputs(_request_schema())
    assert len(inputs) > 40, len(inputs)
    unbounded = [path for path, node in inputs if "minimum" not in node or "maximum" not in node]
    assert not unbounded, unbounded
    out_of_range = [path for path, node in inputs if node["minimum"] < MIN_BIGINT or node["maximum"] > MAX_BIGINT]
    assert not out_of_range, out_of_range


# Inputs stored in, or looked up against, a column narrower than a bigint: the field's maximum is
# at most the column's. Money is bounded by MAX_AMOUNT_RIAL everywhere (a bigint with room to add).
NARROW_INPUTS = {
    "PaymentInputRequest.properties.number": MAX_SMALLINT,  # Installment.number, smallint
    "InspectionInputRequest.properties.endorsement": MAX_SMALLINT,  # Endorsement.number, smallint
    "TermsAcceptInputRequest.properties.version": MAX_INT,  # TermsVersion.version, integer
    "StockDeclarationInputRequest.properties.year": MAX_SMALLINT,  # StockDeclaration.year, smallint
    "StockDeclarationInputRequest.properties.month": MAX_SMALLINT,
    "RatingInputRequest.properties.score": MAX_SMALLINT,  # Rating.score, smallint
    "EstimateInputRequest.properties.previous_claims": MAX_INT,
    "EstimateInputRequest.properties.months_in_use": MAX_SMALLINT,
}
MONEY_NAMES = {"premium", "sum_insured", "amount", "loss", "estimated_loss", "assessed_loss", "sale_price", "value"}


def test_inputs_of_narrow_columns_and_money_keep_to_what_the_column_holds():
    """issue 13 point 4: a 2^40 into a smallint or integer column is a 400, never a 500 on PostgreSQL."""
    inputs = dict(_integer_inputs(_request_schema()))
    for path, column_max in NARROW_INPUTS.items():
        assert path in inputs, (path, sorted(inputs))
        assert inputs[path]["maximum"] <= column_max, (path, inputs[path])
    money = {path: node for path, node in inputs.items() if path.rsplit(".", 1)[-1] in MONEY_NAMES}
    assert len(money) >= 8, sorted(money)
    assert all(node["maximum"] <= MAX_AMOUNT_RIAL for node in money.values()), money


@pytest.mark.parametrize("loss", [str(10**20), str(2**63), str(MAX_AMOUNT_RIAL + 1), "-1"])
def test_a_form_encoded_claim_with_an_amount_no_column_holds_is_a_400(customer, policy, loss):
    """issue 13 point 4: the JSON parser bounds JSON bodies; a form-encoded body reaches the
    serializer as text, which bounds it (before: 10^20 answered 500, the row's insert overflowed)."""
    body = {"policy": policy.pk, "occurred_on": (today() - days(2)).isoformat(), "description": "آتش"}
    client = client_for(customer)
    client.raise_request_exception = False
    response = client.post("/api/v1/claims/", {**body, "estimated_loss": loss})
    assert response.status_code == 400, response.content
    assert persian(response.json()["estimated_loss"][0])
    assert not Claim.objects.filter(customer=customer, description="آتش").exists()


def test_the_claim_page_refuses_an_amount_no_column_holds(customer, policy):
    """issue 13 point 4: the browser's claim form (toman) refuses what the rial column cannot hold."""
    client = Client()
    client.force_login(customer)
    client.raise_request_exception = False
    data = {
        "policy": policy.pk,
        "cause": "fire",
        "occurred_on": format_jalali(today() - days(2)),
        "estimated_loss": "9" * 19,
        "description": "آتش",
    }
    response = client.post("/claims/new/", data)
    assert response.status_code == 200, response.status_code
    assert "estimated_loss" in response.context["form"].errors
    assert not Claim.objects.filter(customer=customer, description="آتش").exists()


def test_money_form_fields_keep_to_the_bound_either_way():
    """issue 13 point 4: RialField (and TomanField, typed in toman) bound the amount both ways."""
    rial = RialField(allow_negative=True)
    assert rial.clean(f"{MAX_AMOUNT_RIAL:,}") == MAX_AMOUNT_RIAL
    assert rial.clean(str(-MAX_AMOUNT_RIAL)) == -MAX_AMOUNT_RIAL
    for too_large in (str(MAX_AMOUNT_RIAL + 1), str(-MAX_AMOUNT_RIAL - 1), "9" * 40):
        with pytest.raises(ValidationError) as error:
            rial.clean(too_large)
        assert persian(error.value.messages[0])
    toman = TomanField()
    assert toman.clean(str(MAX_AMOUNT_RIAL // 10)) == MAX_AMOUNT_RIAL
    with pytest.raises(ValidationError):
        toman.clean(str(MAX_AMOUNT_RIAL // 10 + 1))


# --- Persian and Arabic-Indic digits ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["۱۲۳۴۵۰۰۰", "١٢٣٤٥٠٠٠"])
@pytest.mark.parametrize("encoding", ["json", "form"])
def test_persian_digits_in_an_integer_field_are_read_as_the_number(customer, policy, typed, encoding):
    """issue 13 point 4: «۱۲۳۴۵۰۰۰» sent to an integer field is the number, by JSON or by form."""
    body = {
        "policy": policy.pk,
        "occurred_on": (today() - days(2)).isoformat(),
        "description": "آتش",
        "estimated_loss": typed,
    }
    if encoding == "json":
        response = client_for(customer).post("/api/v1/claims/", body, format="json")
    else:
        response = client_for(customer).post("/api/v1/claims/", body)
    assert response.status_code == 201, response.content
    assert Claim.objects.get(pk=response.json()["id"]).estimated_loss == 12_345_000


def test_persian_digits_in_a_form_amount_are_read_as_the_number():
    """issue 13 point 4: the same in the browser's forms (toman, with separators)."""
    form = ClaimFileForm({"estimated_loss": "۱٬۲۳۴٬۵۰۰"})
    form.is_valid()
    assert form.cleaned_data["estimated_loss"] == 12_345_000


# --- body size --------------------------------------------------------------------------------


def _persian_413(response, *, json_body: bool):
    assert response.status_code == 413, (response.status_code, response.content[:200])
    text = response.json()["detail"] if json_body else response.content.decode()
    assert persian(text), text


def test_a_json_body_over_the_limit_is_a_persian_413(customer):
    """issue 13 point 4: the API reads at most DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB) of JSON."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    padding = "ا" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"line": "third_party", "params": {}, "note": padding}, ensure_ascii=False).encode()
    client = APIClient()
    client.raise_request_exception = False
    _persian_413(client.post("/api/v1/pricing/quotes/", body, content_type="application/json"), json_body=True)
    client = client_for(customer)
    client.raise_request_exception = False
    _persian_413(client.post("/api/v1/claims/", body, content_type="application/json"), json_body=True)


def test_a_json_body_without_a_length_is_read_only_up_to_the_limit():
    """issue 13 point 4: a stream longer than the limit is refused after limit + 1 bytes."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    stream = io.BytesIO(b'"' + b"a" * (limit * 4) + b'"')
    with pytest.raises(BodyTooLarge) as error:
        JSONParser().parse(stream, "application/json", {})
    assert error.value.status_code == 413
    assert stream.tell() == limit + 1
    assert JSONParser().parse(io.BytesIO(b'{"a": 1}'), "application/json", {}) == {"a": 1}


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_form_body_over_the_limit_is_a_persian_413_in_the_api_and_the_pages(customer, encoding):
    """issue 13 point 4: before, Django answered its English "Bad Request (400)" page (a multipart
    body is judged by its fields, files aside)."""
    big = "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    def post(client, url, data):
        if encoding == "urlencoded":
            return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        return client.post(url, data)

    client = client_for(customer)
    client.raise_request_exception = False
    _persian_413(post(client, "/api/v1/claims/", {"description": big}), json_body=True)
    page = Client()
    page.force_login(customer)
    page.raise_request_exception = False
    _persian_413(post(page, "/accounts/profile/", {"city": big}), json_body=False)


# --- query parameters and ids in the path -----------------------------------------------------

LIST_ENDPOINTS = ["/api/v1/policies/", "/api/v1/claims/", "/api/v1/requests/", "/api/v1/me/tickets/"]
BAD_PAGES = ["-1", "0", "abc", "1.5", "99999999999999999999", "9" * 5000, "۲", "1e3"]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_page_numbers_of_any_shape_never_answer_500(customer, policy, url):
    """issue 13 point 4: page and page_size of any shape answer 200 or 404, never 500."""
    client = client_for(customer)
    client.raise_request_exception = False
    for bad in BAD_PAGES:
        for query in ({"page": bad}, {"page_size": bad}):
            response = client.get(url, query)
            assert response.status_code in (200, 404), (url, query, response.status_code)
            if response.status_code == 404:
                assert persian(response.json()["detail"]), response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/policies/99999999999999999999/",
        f"/api/v1/policies/{2**63}/",
        "/api/v1/claims/99999999999999999999/",
        "/policies/99999999999999999999/",
        "/claims/99999999999999999999/",
    ],
)
def test_an_id_no_column_holds_is_a_404(customer, url):
    """issue 13 point 4: an id in the path too large for a bigint names nothing."""
    client = client_for(customer) if url.startswith("/api/") else Client()
    if not url.startswith("/api/"):
        client.force_login(customer)
    client.raise_request_exception = False
    assert client.get(url).status_code == 404
