"""Every model and field of the project's apps has a Persian name, and the admin's own
JavaScript strings read in Persian (issue 14 point 9)."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings


def project_models():
    base = Path(settings.BASE_DIR).resolve()

    def ours(model) -> bool:
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        # The virtualenv lives inside the project on a fresh clone (make install): its
        # packages (Django's contenttypes, django-celery-beat) are not ours to rename.
        return path.is_relative_to(base) and "site-packages" not in path.parts

    return [model for model in apps.get_models() if ours(model)]


def test_the_project_has_models_to_check():
    assert len(project_models()) > 30


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_model_and_field_names_are_persian(model):
    """issue 14 point 9: no English name left for the admin to show (the automatic id aside,
    which the admin pages leave out)."""
    english = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not (field.primary_key and field.auto_created) and str(field.verbose_name).isascii()
    ]
    assert not str(model._meta.verbose_name).isascii()
    assert not str(model._meta.verbose_name_plural).isascii()
    assert english == []


def admin_js_catalogue(client, django_user_model) -> dict:
    """The catalogue the admin's JavaScript reads (its /admin/jsi18n/ view), as a dict."""
    staff = django_user_model.objects.create_user(mobile="09120000001", password="x", is_staff=True)  # noqa: S106
    client.force_login(staff)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.DOTALL)
    return json.loads(found.group(1))


def is_persian(text) -> bool:
    return re.search(r"[\u0600-\u06FF]", text) is not None


@pytest.mark.parametrize(
    "english",
    [
        "Now",
        "Today",
        "Choose all",
        "Show",
        "Hide",
        "Sunday",
        "Sun",
        "Choose all %s",
        "Remove all %s",
        "(click to clear)",
        "Type into this box to filter down the list of selected %s.",
        "%(sel)s of %(cnt)s selected",
        "%s selected option not visible",
    ],
)
def test_admin_javascript_catalogue_is_persian(client, django_user_model, english):
    """issue 14 point 9: the strings the admin's JavaScript shows (calendar, clock, the action
    bar's selected count, the two-list selector, show/hide) come back in Persian."""
    catalogue = admin_js_catalogue(client, django_user_model)

    keys = [key for key in catalogue if key == english or key.endswith("\x04" + english)]
    assert keys, english
    translations = catalogue[keys[0]]
    for text in translations if isinstance(translations, list) else [translations]:
        assert is_persian(text), (english, text)
