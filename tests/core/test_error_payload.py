"""One shape for a refusal of a nested input: `field="params.build_year"` answers nested."""

from django import forms

from core.exceptions import ApplicationError
from core.forms import add_application_error


def test_a_dotted_field_answers_nested_like_the_api_contract():
    error = ApplicationError("پیام", field="params.build_year")
    assert error.as_payload() == {"params": {"build_year": ["پیام"]}}
    assert error.field_name == "build_year"


def test_a_plain_field_and_no_field_keep_their_shape():
    assert ApplicationError("پیام", field="premium").as_payload() == {"premium": ["پیام"]}
    assert ApplicationError("پیام", code="x").as_payload() == {"detail": "پیام", "code": "x"}


class _Form(forms.Form):
    build_year = forms.CharField(required=False)


def test_a_page_shows_a_nested_refusal_on_its_field_of_the_same_name():
    form = _Form({"build_year": "1380"})
    assert form.is_valid()
    add_application_error(form, ApplicationError("پیام", field="params.build_year"))
    assert form.errors["build_year"] == ["پیام"]
