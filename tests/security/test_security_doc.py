"""docs/SECURITY.md names the test that proves each promise (issue 13): every test it names
must exist, so the document cannot drift from the suite."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SECURITY.md"
# `tests/x/test_y.py::test_z[param]`, or `::test_z` continuing the file named before it.
NODE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+)(?:\[[^\]`]*\])?)?`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def named_tests(text: str) -> list[tuple[str, str | None]]:
    found, current = [], None
    for match in NODE.finditer(text):
        path, name = match.groups()
        if path:
            current = path
        if path is None and name is None:
            continue
        found.append((current, name))
    return found


def test_every_test_the_security_document_names_exists():
    named = named_tests(DOC.read_text(encoding="utf-8"))
    assert len(named) > 100
    missing = []
    for path, name in named:
        if path is None or not (ROOT / path).is_file():
            missing.append(f"{path}::{name}")
        elif name is not None and name not in _test_names(ROOT / path):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_checker_notices_a_test_that_does_not_exist():
    named = named_tests("`tests/security/test_security_doc.py::test_nobody_wrote_this` and `::test_nor_this`")
    assert named == [
        ("tests/security/test_security_doc.py", "test_nobody_wrote_this"),
        ("tests/security/test_security_doc.py", "test_nor_this"),
    ]
    assert "test_nobody_wrote_this" not in _test_names(ROOT / "tests/security/test_security_doc.py")
