"""Reads docs/RULES.md and the `rule` tags of the tests, and says where the two disagree.

The catalogue is a promise: every checkable rule of the four source documents has a row, each
row names the code that applies the rule and the tests that prove it, and each of those tests
names the row back. `catalogue_problems` lists every broken link of that promise; the test in
`tests/test_rule_catalogue.py` asserts the list is empty, and feeds it damaged copies to show it
notices a removed row, a removed tag and a dangling function.

A test names a rule with `@pytest.mark.rule("R-012")` (on the function, its class, or the
module's `pytestmark`) or with the id in its docstring, as `[R-012]`.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "docs" / "RULES.md"
TESTS = ROOT / "tests"

RULE_ID = re.compile(r"^R-\d{3}$")
ROW = re.compile(r"^\|\s*(R-\d+)\s*\|")
DOCSTRING_TAG = re.compile(r"\[(R-\d{3})\]")
BACKTICKED = re.compile(r"`([^`]+)`")
SOURCE_FILE = re.compile(r"\b(000|001|003|004)\b")
COLUMNS = ("id", "source", "quote", "what the project does", "where", "tests")


@dataclass(frozen=True)
class Row:
    rule_id: str
    line: int
    sources: tuple[str, ...]
    where: tuple[str, ...]
    tests: tuple[str, ...]


def _cells(line: str) -> list[str]:
    # A row is `| a | b | … |`; a literal pipe inside a cell would be written `\|`.
    body = line.strip().strip("|")
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def parse_catalogue(text: str) -> tuple[list[Row], list[str]]:
    """The rule rows of the catalogue, and what is malformed in it."""
    rows: list[Row] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = ROW.match(line)
        if not match:
            continue
        cells = _cells(line)
        rule_id = match.group(1)
        if not RULE_ID.match(rule_id):
            problems.append(f"line {number}: {rule_id} is not of the form R-NNN")
            continue
        if len(cells) != len(COLUMNS):
            problems.append(f"line {number}: {rule_id} has {len(cells)} columns, not {len(COLUMNS)} ({COLUMNS})")
            continue
        _, source, quote, _what, where, tests = cells
        if not source or not quote:
            problems.append(f"{rule_id}: the source and the quote are required")
        rows.append(
            Row(
                rule_id=rule_id,
                line=number,
                sources=tuple(SOURCE_FILE.findall(source)),
                where=tuple(BACKTICKED.findall(where)),
                tests=tuple(BACKTICKED.findall(tests)),
            )
        )
    return rows, problems


def _rule_ids_of(decorators: list[ast.expr]) -> set[str]:
    ids: set[str] = set()
    for decorator in decorators:
        if isinstance(decorator, ast.Call) and _is_rule_marker(decorator.func):
            ids.update(arg.value for arg in decorator.args if isinstance(arg, ast.Constant))
    return ids


def _is_rule_marker(node: ast.expr) -> bool:
    # pytest.mark.rule(...) or mark.rule(...)
    return isinstance(node, ast.Attribute) and node.attr == "rule" and _dotted(node.value).endswith("mark")


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _module_marks(tree: ast.Module) -> set[str]:
    ids: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            values = node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            ids |= _rule_ids_of(list(values))
    return ids


def _function_tags(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return _rule_ids_of(function.decorator_list) | set(DOCSTRING_TAG.findall(ast.get_docstring(function) or ""))


def collect_tags(tests_root: Path = TESTS) -> dict[str, set[str]]:
    """Test node id (`tests/x.py::test_y`, `tests/x.py::TestZ::test_y`) → the rule ids it names."""
    tags: dict[str, set[str]] = {}
    for path in sorted(tests_root.rglob("test_*.py")):
        relative = path.relative_to(tests_root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module_ids = _module_marks(tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                tags[f"{relative}::{node.name}"] = module_ids | _function_tags(node)
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                class_ids = module_ids | _rule_ids_of(node.decorator_list)
                for member in node.body:
                    if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and member.name.startswith("test"):
                        tags[f"{relative}::{node.name}::{member.name}"] = class_ids | _function_tags(member)
    return tags


def resolves(dotted: str) -> bool:
    """Whether `package.module.attr[.attr…]` names something that exists."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                target = getattr(target, attribute)
        except AttributeError:
            return False
        return split < len(parts)  # a bare module is not a function
    return False


def catalogue_problems(rows: list[Row], tags: dict[str, set[str]]) -> list[str]:
    """Every way the catalogue and the tests disagree; empty when they agree."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    tested_by: dict[str, set[str]] = defaultdict(set)
    for node_id, ids in tags.items():
        for rule_id in ids:
            tested_by[rule_id].add(node_id)
    for row in rows:
        if row.rule_id in seen:
            problems.append(f"{row.rule_id}: listed twice (lines {seen[row.rule_id]} and {row.line})")
        seen[row.rule_id] = row.line
        if not row.where:
            problems.append(f"{row.rule_id}: no `module.function` in the where column")
        for dotted in row.where:
            if not resolves(dotted):
                problems.append(f"{row.rule_id}: `{dotted}` does not exist")
        if not row.tests:
            problems.append(f"{row.rule_id}: no test listed")
        for node_id in row.tests:
            if node_id not in tags:
                problems.append(f"{row.rule_id}: test `{node_id}` does not exist")
            elif row.rule_id not in tags[node_id]:
                problems.append(f"{row.rule_id}: test `{node_id}` does not name {row.rule_id} in its rule marker")
        if not tested_by.get(row.rule_id):
            problems.append(f"{row.rule_id}: no test names this rule")
    for rule_id in sorted(set(tested_by) - set(seen)):
        names = ", ".join(sorted(tested_by[rule_id]))
        problems.append(f"{rule_id}: named by {names} but not in the catalogue")
    return problems


@dataclass
class Catalogue:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path = CATALOGUE) -> Catalogue:
        rows, problems = parse_catalogue(path.read_text(encoding="utf-8"))
        return cls(rows=rows, problems=problems)
