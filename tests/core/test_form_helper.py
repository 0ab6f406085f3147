"""The one form helper (`core.forms.submit`) and the 404/403 pages of a chokepoint's error
(issue 15 point 3). The views below run through the real middleware: the module is the urlconf."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from core.exceptions import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from core.forms import submit

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

DONE_URL = "/done/"


class PlateForm(forms.Form):
    plate = forms.CharField()
    note = forms.CharField(required=False)


class PrefixedForm(forms.Form):
    """Inputs named otherwise than the service names them: the form says where they live."""

    p_build_year = forms.CharField()

    def service_error_field(self, path, code):
        parent, _dot, name = path.rpartition(".")
        return "p_" + name if parent == "params" else None


class ParamsRefused(ApplicationError):
    def __init__(self, errors):
        super().__init__("first", field="params")
        self.errors = errors


# What the service does, set by each test.
outcome = {}


def _service():
    if "raise" in outcome:
        raise outcome["raise"]
    return outcome.get("result", "ok")


_FORM_PAGE = engines["django"].from_string("{{ form.as_p }}")


def form_page(request):
    form = PlateForm(request.POST or None)
    if done := submit(request, _service, form=form, success_url=DONE_URL, success_message="ذخیره شد."):
        return done
    return render_form(request, form)


def prefixed_page(request):
    form = PrefixedForm(request.POST or None)
    if done := submit(request, _service, form=form, success_url=DONE_URL):
        return done
    return render_form(request, form)


def elsewhere_page(request):
    form = PlateForm(request.POST or None)
    if done := submit(request, _service, form=form, success_url=DONE_URL, refused_url="/back/"):
        return done
    return render_form(request, form)


def action(request):
    return submit(request, _service, success_url=lambda result: f"/done/{result}/", refused_url="/back/")


def lookup(request):
    raise outcome["raise"]


def render_form(request, form):
    return HttpResponse(_FORM_PAGE.render({"form": form}, request))


urlpatterns = [
    path("form/", form_page),
    path("prefixed/", prefixed_page),
    path("elsewhere/", elsewhere_page),
    path("action/", action),
    path("lookup/", lookup),
    # The site's own pages too: its middleware reverses the admin's URLs.
    path("", include("bimemall.urls")),
]


@pytest.fixture(autouse=True)
def _reset_outcome():
    outcome.clear()
    yield
    outcome.clear()


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_field_error_lands_on_its_field_and_what_was_typed_stays(client):
    # given a service refusing the plate (named by a nested path, as the API names it)
    outcome["raise"] = ApplicationError("پلاک نامعتبر است.", field="vehicle.plate")

    # when the page posts
    response = client.post("/form/", {"plate": "12ب345", "note": "یادداشت"})

    # then the bound form is shown again with the error beside the plate
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {"plate": ["پلاک نامعتبر است."]}
    assert form.refusal is outcome["raise"]
    html = response.content.decode()
    assert 'value="12ب345"' in html and 'value="یادداشت"' in html


def test_a_refusal_naming_no_input_stays_above_the_form(client):
    outcome["raise"] = ConflictError("این کار پیش‌تر انجام شده است.")

    response = client.post("/form/", {"plate": "12ب345"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["این کار پیش‌تر انجام شده است."]


def test_a_form_names_where_the_services_inputs_live(client):
    outcome["raise"] = ApplicationError("سال ساخت نامعتبر است.", field="params.build_year")

    response = client.post("/prefixed/", {"p_build_year": "1300"})

    assert response.context["form"].errors == {"p_build_year": ["سال ساخت نامعتبر است."]}


def test_several_inputs_refused_at_once_each_land_on_their_field(client):
    outcome["raise"] = ParamsRefused({"build_year": ["کهنه است."], "unknown": ["نامعتبر."]})

    response = client.post("/prefixed/", {"p_build_year": "1300"})

    assert response.context["form"].errors == {"p_build_year": ["کهنه است."], "__all__": ["نامعتبر."]}


def test_an_invalid_form_does_not_call_the_service(client):
    outcome["raise"] = AssertionError("the service ran for an invalid form")

    response = client.post("/form/", {"plate": ""})

    assert response.status_code == 200 and "plate" in response.context["form"].errors


def test_success_redirects_with_the_message(client):
    response = client.post("/form/", {"plate": "12ب345"})

    assert response.status_code == 302 and response["Location"] == DONE_URL
    assert _messages(response) == ["ذخیره شد."]


def test_without_a_form_a_refusal_is_said_in_messages_and_the_page_goes_back(client):
    outcome["raise"] = ConflictError("درخواست پیش‌تر لغو شده است.")

    response = client.post("/action/")

    assert response.status_code == 302 and response["Location"] == "/back/"
    assert _messages(response) == ["درخواست پیش‌تر لغو شده است."]


def test_without_a_form_success_goes_where_the_result_says(client):
    outcome["result"] = 7

    response = client.post("/action/")

    assert response.status_code == 302 and response["Location"] == "/done/7/"


def test_a_refusal_the_form_has_no_input_for_can_go_to_messages_elsewhere(client):
    outcome["raise"] = ConflictError("مهلت پاسخ گذشته است.")

    response = client.post("/elsewhere/", {"plate": "12ب345"})

    assert response.status_code == 302 and response["Location"] == "/back/"
    assert _messages(response) == ["مهلت پاسخ گذشته است."]


def test_a_not_found_inside_the_service_is_the_404_page_not_a_message(client):
    outcome["raise"] = NotFoundError("پیدا نشد.")

    response = client.post("/action/")

    assert response.status_code == 404
    assert _messages(response) == []


def test_not_found_from_a_view_is_the_404_page(client):
    outcome["raise"] = NotFoundError("بیمه‌نامه پیدا نشد.")

    response = client.get("/lookup/")

    assert response.status_code == 404


def test_forbidden_from_a_view_is_the_403_page(client):
    outcome["raise"] = ForbiddenError("اجازه این کار را ندارید.")

    response = client.get("/lookup/")

    assert response.status_code == 403
