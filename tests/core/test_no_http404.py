"""No HTML view raises Django's `Http404` or calls `get_object_or_404` itself (issue 15 points 1
and 3): lookups go through selectors raising `NotFoundError`, which
`core.middleware.ApplicationErrorPageMiddleware` answers with the 404 page."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The modules that must not name Http404; point 1 extends it to services and selectors.
CHECKED_MODULES = ("*/views.py", "*/views/*.py")

FORBIDDEN_NAMES = {"Http404", "get_object_or_404", "get_list_or_404"}


def _modules():
    return sorted({path for pattern in CHECKED_MODULES for path in ROOT.glob(pattern) if ".venv" not in path.parts})


def _forbidden_names_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{node.id} at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.ImportFrom):
            found += [
                f"import {alias.name} at line {node.lineno}" for alias in node.names if alias.name in FORBIDDEN_NAMES
            ]
    return found


def test_the_check_sees_the_views():
    assert ROOT / "policies" / "views.py" in _modules()


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_view_raises_http404_itself(path):
    assert _forbidden_names_in(path) == []
