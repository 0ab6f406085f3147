"""One LineCode enum in insurers (issue 15 point 5)."""

import ast
from pathlib import Path

from django.conf import settings

from claims import rules as claim_rules
from insurers import reference
from insurers.lines import QUOTABLE_LINES, LineCode
from insurers.models import InsuranceLine
from policies import certificates, issue_rules
from policies import rules as policy_rules
from pricing import reference as pricing_reference
from pricing.core import limits


def test_the_codes_are_the_strings_the_database_and_the_api_hold():
    """issue 15 point 5: a member compares (and hashes) equal to its stored code."""
    assert [LineCode.THIRD_PARTY, LineCode.BODY, LineCode.FIRE] == ["third_party", "body", "fire"]
    assert {LineCode.TRAVEL: 1}["travel"] == 1
    assert f"{LineCode.ELECTRONICS}" == "electronics"
    assert {code for code, *_ in reference.LINES} == set(LineCode.values)


def test_the_older_names_are_aliases_of_the_enum():
    """issue 15 point 5: every module's line names read from LineCode."""
    for module in (InsuranceLine, policy_rules, issue_rules, certificates, limits, claim_rules):
        for member in LineCode:
            if hasattr(module, member.name):
                assert getattr(module, member.name) == member, (module, member)
    assert pricing_reference.QUOTABLE_LINES == list(QUOTABLE_LINES)
    assert LineCode.OTHER not in QUOTABLE_LINES


def test_no_module_defines_a_line_code_of_its_own():
    """issue 15 point 5: `THIRD_PARTY = "third_party"` (or a tuple of such) appears nowhere
    but in insurers/lines.py; data rows (tariffs, seeds) may still name lines by string."""
    codes = set(LineCode.values)
    names = {*LineCode.names, "CODE"}  # CODE: a pricing line module's own code
    # Same word, another meaning: the person a body policy's car moves to.
    not_lines = {("pricing/core/limits.py", "OTHER")}
    offenders = []
    skipped = {"tests", "node_modules", "static", "staticfiles", "templates", "docs", "scripts"}
    lines_module = Path(settings.BASE_DIR) / "insurers" / "lines.py"
    for app_dir in Path(settings.BASE_DIR).iterdir():
        if not app_dir.is_dir() or app_dir.is_symlink() or app_dir.name in skipped or app_dir.name.startswith("."):
            continue
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts or path == lines_module:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Assign):
                    targets = [t for target in node.targets for t in ast.walk(target) if isinstance(t, ast.Name)]
                    values = [v.value for v in ast.walk(node.value) if isinstance(v, ast.Constant)]
                    where = str(path.relative_to(settings.BASE_DIR))
                    named = [t.id for t in targets if t.id in names and (where, t.id) not in not_lines]
                    if named and any(v in codes for v in values):
                        offenders.append(f"{path}:{node.lineno}")
                if isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple | ast.List):
                    loop_values = {e.value for e in node.iter.elts if isinstance(e, ast.Constant)}
                    if len(loop_values & codes) > 1:
                        offenders.append(f"{path}:{node.lineno}")
    assert offenders == [], offenders
