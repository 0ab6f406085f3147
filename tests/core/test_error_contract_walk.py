"""No view, service or selector answers "not found" with Django's `Http404` (issue 15 points 1 and 3).

Refusals leave services and selectors as `core.exceptions.ApplicationError` or one of its
kinds, and every chokepoint raises `NotFoundError`; the API's handler and Django's page
handling turn them into HTTP. The walk reads the code (ast), so a comment naming Http404
does not count and an aliased import does.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# HTML views (their lookups go through selectors; NotFoundError is also Django's Http404, so
# Django answers it with the 404 page), services and selectors, and the helper modules they
# use that raise refusals of their own.
CHECKED_MODULES = (
    "*/views.py",
    "*/views/*.py",
    "*/services.py",
    "*/services/*.py",
    "*/selectors.py",
    "*/selectors/*.py",
    "policies/certificates.py",
    "policies/relationships.py",
)

FORBIDDEN_NAMES = {"Http404", "get_object_or_404", "get_list_or_404"}


def _modules() -> list[Path]:
    found = {path for pattern in CHECKED_MODULES for path in ROOT.glob(pattern)}
    return sorted(path for path in found if not {".venv", "node_modules"} & set(path.parts))


def _forbidden_names_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{node.id} at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.ImportFrom):
            found += [
                f"import {alias.name} at line {node.lineno}" for alias in node.names if alias.name in FORBIDDEN_NAMES
            ]
    return found


def test_the_walk_sees_every_kind_of_module():
    """issue 15 point 1: the globs match the packages and the helper modules, not nothing."""
    modules = {str(path.relative_to(ROOT)) for path in _modules()}
    assert {
        "accounts/selectors.py",
        "policies/views.py",
        "accounts/services/auth.py",
        "agents/services/reconciliation.py",
        "insurance_requests/services.py",
        "policies/services/inspections.py",
        "saman/selectors.py",
        "policies/certificates.py",
    } <= modules


@pytest.mark.parametrize(
    "source",
    [
        "from django.http import Http404\n",
        "import django.http\ndef f():\n    raise django.http.Http404\n",
        "from django.shortcuts import get_object_or_404 as fetch\n",
        "def f(model, pk):\n    from django import shortcuts\n    return shortcuts.get_object_or_404(model, pk=pk)\n",
    ],
)
def test_the_walk_finds_a_stray_http404(source):
    """issue 15 point 1: the check can fail (imported, aliased, or reached through a module)."""
    assert _forbidden_names_in(source)


def test_the_walk_ignores_comments_and_text():
    """issue 15 point 1: a comment or a docstring naming Http404 is not a use."""
    source = '"""Was Http404; now NotFoundError."""\n# no get_object_or_404 here\nx = "Http404"\n'
    assert _forbidden_names_in(source) == []


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_service_or_selector_raises_http404(path):
    """issue 15 point 1: every chokepoint raises NotFoundError, never Django's Http404."""
    assert _forbidden_names_in(path.read_text(encoding="utf-8")) == []
