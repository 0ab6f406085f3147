"""The profile page as a customer on a phone reads it: Persian prompts, errors tied to their fields."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_province_list_starts_with_a_persian_prompt(client, user):
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert "انتخاب کنید</option>" in html and "---------" not in html


def test_the_birth_date_hint_is_not_a_date_that_could_pass_for_the_customers_own(client, user):
    """The shared hint ۱۴۰۴/۰۸/۳۰ looked like a wrongly prefilled birth date."""
    user.birth_date = None
    user.save(update_fields=["birth_date"])
    client.force_login(user)
    tag = re.search(r'<input[^>]*name="birth_date"[^>]*>', client.get("/accounts/profile/").content.decode())
    assert tag and 'placeholder="مثلاً ' in tag.group(0)


def test_an_error_is_announced_with_its_field(client, user):
    """aria-invalid alone says 'invalid'; aria-describedby lets a screen reader say why."""
    client.force_login(user)
    html = client.post("/accounts/profile/", {"postal_code": "123"}).content.decode()
    tag = re.search(r'<input[^>]*name="postal_code"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
    assert "id_postal_code_error" in described
    for target in described:  # every id it points at exists on the page
        assert f'id="{target}"' in html
    assert re.search(r'id="id_postal_code_error">\s*<div>کد پستی باید ۱۰ رقم باشد.</div>', html)


def test_a_help_text_the_field_points_at_exists(client, user):
    """Django adds aria-describedby='<id>_helptext' for a help text; the page must carry that id."""
    client.force_login(user)
    html = client.get("/claims/estimate/").content.decode()  # amounts carry the help text 'به تومان'
    targets = re.findall(r'aria-describedby="([^"]+)"', html)
    assert targets
    for target in targets:
        for one in target.split():
            assert f'id="{one}"' in html, one
