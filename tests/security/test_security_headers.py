"""Every GET route answers with the security headers, for every kind of caller.

The routes come from the URLconf itself (a new page is checked without touching this
file); ids are filled with rows of the `world` fixture, admin object ids with a row of the
admin's own model. Routes whose ids cannot be built are listed and must stay few.
"""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.conftest import browser_for

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")

# Side effects on GET, or a whole session ended: never walked as a signed-in caller.
SIGN_OUT = re.compile(r"logout|sign-out")
MISSING_ID = "999999"
CONVERTER = re.compile(r"<(?:(?P<kind>[a-z]+):)?(?P<name>\w+)>")


def _walk(patterns, prefix="", admin=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), admin)
        else:
            yield prefix + str(entry.pattern), entry


# The admin's page of one past version of a tariff row (issue 15 point 9), a regex route.
HISTORY_ENTRY = re.compile(r"admin/(?P<app>\w+)/(?P<model>\w+)/\^\(\[\^/\]\+\)/history/\(\[\^/\]\+\)/\$")


def _fill(route, pattern: URLPattern, values):
    """The concrete path for `route`, or None when an id cannot be built."""
    if "(?P<url>" in route:  # the admin's catch-all
        return None
    route = route.replace("^(?P<app_label>auth|", "^(?P<app_label>")  # the admin's app index: name one app that exists
    app_index = re.search(r"\^\(\?P<app_label>(\w+)\|?[^)]*\)/\$", route)
    if app_index:
        route = route[: app_index.start()] + app_index.group(1) + "/"
    history = HISTORY_ENTRY.fullmatch(route)
    if history:  # django-simple-history's page of one past version: name a row and its first entry
        row = apps.get_model(history["app"], history["model"])._default_manager.order_by("pk").first()
        entry = row.history.order_by("history_id").first() if row is not None else None
        return f"/admin/{history['app']}/{history['model']}/" + (
            f"{row.pk}/history/{entry.history_id}/" if entry is not None else f"{MISSING_ID}/history/{MISSING_ID}/"
        )
    if "^" in route or "(?P" in route:
        return None
    model_admin = getattr(pattern.callback, "model_admin", None)

    def value(match):
        name = match.group("name")
        if name == "object_id" and model_admin is not None:
            row = model_admin.model._default_manager.order_by("pk").first()
            return str(row.pk) if row is not None else MISSING_ID
        if name in values:
            return str(values[name])
        # An id with no row: the route still answers (404, or the admin's redirect), and
        # that answer must carry the headers too.
        return MISSING_ID if match.group("kind") in ("int", "path") else "x"

    return "/" + CONVERTER.sub(value, route)


def _concrete_paths(values):
    paths, unfilled = [], []
    for route, pattern in _walk(get_resolver().url_patterns):
        path = _fill(route, pattern, values)
        (paths if path else unfilled).append(path or route)
    return sorted(set(paths)), unfilled


def _assert_headers(response, path, role):
    missing = [name for name in HEADERS if not response.has_header(name)]
    framing = response.get("X-Frame-Options") or (
        "frame-ancestors" in response.get("Content-Security-Policy", "") and "frame-ancestors"
    )
    if not framing:
        missing.append("X-Frame-Options/frame-ancestors")
    assert not missing, f"{role} GET {path} ({response.status_code}) lacks {missing}"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    # The site's policy, or a stricter one (private files: default-src 'none', sandbox).
    assert re.search(r"default-src '(self|none)'", policy), (path, policy)
    assert "frame-ancestors 'none'" in policy or response.get("X-Frame-Options") == "DENY", (path, policy)


@pytest.mark.django_db
def test_every_get_route_sends_the_security_headers_for_every_role(world):
    values = {
        "request_id": world["request_id"],
        "response_id": world["response_id"],
        "agent_id": world["agent"].pk,
        "ticket_id": world["ticket_id"],
        "policy_id": world["policy_id"],
        "claim_id": world["claim_id"],
        "line": "third_party",
        "id": world["staff"].pk,  # the admin's password page of a user
    }
    paths, unfilled = _concrete_paths(values)
    # What stays unwalked: the admin's catch-all.
    assert len(unfilled) <= 2, unfilled
    roles = {
        "anonymous": None,
        "customer": world["customer"],
        "agent": world["agent"].user,
        "staff": world["staff"],
    }
    counted = {"html": 0, "json": 0}
    for role, user in roles.items():
        client = browser_for(user)
        for path in paths:
            if user is not None and SIGN_OUT.search(path):
                continue
            if role != "staff" and path.startswith("/admin/") and path.count("/") > 3:
                continue  # the admin's model pages only redirect a non-staff caller to its login
            response = client.get(path)
            _assert_headers(response, path, role)
            content_type = response.get("Content-Type", "")
            if content_type.startswith("text/html"):
                counted["html"] += 1
            elif "json" in content_type:
                counted["json"] += 1
    # The walk really reached pages and API answers, not only redirects.
    assert counted["html"] > 100, counted
    assert counted["json"] > 50, counted


def test_a_redirect_and_an_error_page_carry_them_too(client, db):
    for path in ("/accounts/profile/", "/no-such-page/"):
        response = client.get(path)
        assert response.status_code in (302, 404)
        _assert_headers(response, path, "anonymous")
