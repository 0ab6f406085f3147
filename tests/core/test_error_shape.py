"""One error shape for the API (issue 15 point 1).

API.md's keys stay exactly as they are (400 `{"field": ["…"]}`, nested for `params`;
`{"detail": …}` for the rest; 429 with Retry-After); every answer adds `errors`, each message
with its dotted field path and its stable code, and `code` beside a `detail`.
"""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers

from core.error_shape import error_list
from core.exceptions import ApplicationError, ConflictError, NotFoundError, api_exception_handler
from tests.agents.conftest import client_for
from tests.agents.factories import AgentFactory
from tests.factories import UserFactory

OTP = "/api/v1/auth/otp/"
QUOTES = "/api/v1/pricing/quotes/"


def _without_codes(answer: dict) -> dict:
    """The answer as API.md fixes it: the two keys issue 15 added taken away."""
    return {key: value for key, value in answer.items() if key not in ("errors", "code")}


# --- through the endpoints -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_serializer_field_error_carries_its_code(api_client):
    """issue 15 point 1: a bad mobile answers `{"mobile": ["…"]}` as before, and its code."""
    response = api_client.post(OTP, {"mobile": "12345"}, format="json")

    assert response.status_code == 400
    answer = response.json()
    assert list(answer["mobile"]) == [answer["errors"][0]["message"]]
    assert answer["errors"] == [{"field": "mobile", "code": "invalid_mobile", "message": answer["mobile"][0]}]
    assert "code" not in answer  # a field error: no `detail`, so no `code` beside it


@pytest.mark.django_db
def test_a_missing_field_carries_drfs_own_code(api_client):
    """issue 15 point 1: DRF's codes (`required`) come through unchanged."""
    answer = api_client.post(OTP, {}, format="json").json()

    assert answer["errors"] == [{"field": "mobile", "code": "required", "message": answer["mobile"][0]}]


@pytest.mark.django_db
def test_a_params_refusal_stays_nested_and_names_its_dotted_path(api_client):
    """issue 15 point 1: the quote's `params.build_year` refusal keeps API.md's nesting."""
    response = api_client.post(
        QUOTES, {"line": "body", "params": {"car_value": 5_000_000_000, "build_year": 1300}}, format="json"
    )

    assert response.status_code == 400
    answer = response.json()
    assert list(_without_codes(answer)) == ["params"]
    assert list(answer["params"]) == ["build_year"]
    [error] = answer["errors"]
    assert error["field"] == "params.build_year"
    assert error["message"] == answer["params"]["build_year"][0]
    assert error["code"] == "invalid_params"


@pytest.mark.django_db
def test_a_conflict_keeps_its_detail_and_code():
    """issue 15 point 1: a 409 answers `{"detail", "code"}` and lists the detail with no field."""
    agent = AgentFactory()
    body = {
        "insurer": "iran",
        "agency_code": "999",
        "agency_name": "نمایندگی امید",
        "province": "تهران",
        "city": "تهران",
        "postal_address": "خیابان انقلاب، کوچه بهار، پلاک ۳",
        "postal_code": "1234567890",
        "office_phone": "02188776655",
    }

    response = client_for(agent.user).post("/api/v1/agent/profile/", body, format="json")

    assert response.status_code == 409
    answer = response.json()
    assert isinstance(answer["detail"], str) and answer["code"]
    assert answer["errors"] == [{"field": None, "code": answer["code"], "message": answer["detail"]}]


@pytest.mark.django_db
def test_a_chokepoints_404_keeps_its_detail_and_adds_the_code():
    """issue 15 point 1: another customer's request is `{"detail": "…"}` (Persian) with `not_found`."""
    response = client_for(UserFactory()).get("/api/v1/requests/987654/")

    assert response.status_code == 404
    answer = response.json()
    assert answer["detail"] == "درخواست پیدا نشد."
    assert answer["code"] == "not_found"
    assert answer["errors"] == [{"field": None, "code": "not_found", "message": answer["detail"]}]


@pytest.mark.django_db
def test_an_unauthenticated_call_keeps_its_detail_and_adds_drfs_code(api_client):
    """issue 15 point 1: 401/403 `{"detail": …}` as API.md says, with DRF's code beside it."""
    response = api_client.get("/api/v1/me/")

    assert response.status_code in (401, 403)
    answer = response.json()
    assert _without_codes(answer) == {"detail": answer["detail"]}
    assert answer["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_rate_limited_answer_keeps_retry_after(api_client, django_capture_on_commit_callbacks):
    """issue 15 point 1: 429 keeps its header and body keys; the code comes along."""
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(OTP, {"mobile": "09121234567"}, format="json")
        again = api_client.post(OTP, {"mobile": "09121234567"}, format="json")

    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0
    answer = again.json()
    assert {"detail", "code", "errors"} <= set(answer)
    assert answer["errors"][0]["field"] is None and answer["errors"][0]["code"] == answer["code"]


# --- the handler itself ---------------------------------------------------------------------


def _answer(exc):
    return api_exception_handler(exc, {}).data


class _Traveller(serializers.Serializer):
    birth_date = serializers.DateField()


class _Trip(serializers.Serializer):
    travellers = _Traveller(many=True)
    days = serializers.IntegerField(min_value=1)


def test_items_of_a_list_input_are_numbered_in_the_path():
    """issue 15 point 1: `{"travellers": [{}, {"birth_date": […]}]}` → `travellers.1.birth_date`."""
    trip = _Trip(data={"travellers": [{"birth_date": "2000-01-01"}, {"birth_date": "x"}], "days": 0})
    assert not trip.is_valid()

    answer = _answer(serializers.ValidationError(trip.errors))

    assert answer["travellers"] == trip.errors["travellers"]  # as DRF gave it
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [
        ("travellers.1.birth_date", "invalid"),
        ("days", "min_value"),
    ]


def test_a_list_shaped_error_body_is_numbered_too():
    """issue 15 point 1: errors for the items of a list given as a list, empty items skipped."""
    detail = {"travellers": [{}, {"birth_date": ["تاریخ نادرست"]}], "covers": ["یکی", "دو"]}

    assert [(error["field"], error["message"]) for error in error_list(detail, default_code="invalid")] == [
        ("travellers.1.birth_date", "تاریخ نادرست"),
        ("covers", "یکی"),
        ("covers", "دو"),
    ]


def test_non_field_errors_name_no_field_or_their_parent():
    """issue 15 point 1: `non_field_errors` is about the whole input (or the nested one it sits in)."""
    detail = {"non_field_errors": ["کل"], "params": {"non_field_errors": ["پارامترها"]}}

    assert [error["field"] for error in error_list(detail, default_code="invalid")] == [None, "params"]


def test_a_django_validation_error_keeps_its_codes():
    """issue 15 point 1: a model's clean() or a validator answers with its own codes."""
    exc = DjangoValidationError(
        {"premium": DjangoValidationError("کم است", code="min_value"), "__all__": DjangoValidationError("کل")}
    )

    answer = _answer(exc)

    assert answer["premium"] == ["کم است"]
    assert [(error["field"], error["code"]) for error in answer["errors"]] == [
        ("premium", "min_value"),
        (None, "invalid"),
    ]


def test_an_application_error_on_a_nested_field_uses_its_code():
    """issue 15 point 1: `field="params.build_year"` answers nested, its code in `errors`."""
    answer = _answer(ApplicationError("قدیمی است", field="params.build_year", code="too_old"))

    assert answer == {
        "params": {"build_year": ["قدیمی است"]},
        "errors": [{"field": "params.build_year", "code": "too_old", "message": "قدیمی است"}],
    }


def test_extra_facts_of_a_conflict_are_not_listed_as_errors():
    """issue 15 point 1: a conflict's extra keys stay beside the detail, not in `errors`."""
    answer = _answer(ConflictError("قبلاً انجام شده", code="already_done", extra={"policy": 7}))

    assert answer["policy"] == 7
    assert answer["errors"] == [{"field": None, "code": "already_done", "message": "قبلاً انجام شده"}]


def test_djangos_404_and_a_chokepoints_404_answer_the_same_shape():
    """issue 15 point 1: Http404 (a URL, a page past the end) and NotFoundError share one shape."""
    from_django = _answer(Http404())
    from_chokepoint = _answer(NotFoundError("پیدا نشد."))

    assert set(from_django) == set(from_chokepoint) == {"detail", "code", "errors"}
    assert from_django["code"] == from_chokepoint["code"] == "not_found"


def test_not_found_is_django_404_for_pages():
    """issue 15 point 1: a NotFoundError escaping a page or the admin is Django's 404 page."""
    assert isinstance(NotFoundError("پیدا نشد."), Http404)


@pytest.mark.django_db
def test_the_schema_declares_the_errors_list_on_every_refusal():
    """issue 15 point 1: the OpenAPI `Error` has the typed `errors`, and 400s point at it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    errors = schema["components"]["schemas"]["Error"]["properties"]["errors"]
    assert errors["items"]["required"] == ["field", "code", "message"]
    otp = schema["paths"][OTP]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/Error"} in otp["anyOf"]
    request_bodies = [
        component.get("properties", {})
        for name, component in schema["components"]["schemas"].items()
        if name != "Error"
    ]
    assert not [props for props in request_bodies if "errors" in props], "an input named `errors` would collide"


@pytest.mark.django_db
def test_a_middlewares_own_refusal_answers_the_same_shape(client):
    """A refusal made before DRF runs (a NUL in the query, core.middleware) has detail, code and errors too."""
    response = client.get("/api/v1/pricing/lines/", {"x\x00": "1"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid_character"
    assert answer["errors"] == [{"field": None, "code": "invalid_character", "message": answer["detail"]}]
