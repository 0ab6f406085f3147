"""Every tunable comes from the environment, with one default, and the README says so
(issue 15 point 7).

The settings read from the environment are found by reading bimemall/settings/*.py (every
`env.<kind>("NAME", …)` call, conditional ones included), not by importing them, so a
variable read only in production is checked too.
"""

import ast
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "bimemall" / "settings"
# Where the default sits among the positional arguments of each reader of bimemall/env.py.
DEFAULT_POSITION = {"choice": 2, "url": 2}
# Not application code: third-party installs, built files, and the tests themselves.
SKIPPED_DIRS = {".git", ".venv", "node_modules", "staticfiles", "static", "var", "tests", "__pycache__", "docs"}


def _env_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def env_reads() -> dict[str, ast.Call]:
    """Each environment variable the settings read → the reading call."""
    reads = {}
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        for call in _env_calls(ast.parse(path.read_text(encoding="utf-8"))):
            reads[call.args[0].value] = call
    return reads


def env_backed_settings() -> set[str]:
    """Settings of base.py whose value is read (wholly or in part) from the environment."""
    tree = ast.parse((SETTINGS_DIR / "base.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and _env_calls(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def readme_rows() -> list[tuple[list[str], str]]:
    """(variable names, default cell) of each row of the README's settings table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        rows.append((re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]), cells[1]))
    return rows


def readme_names() -> set[str]:
    return {name for names, _default in readme_rows() for name in names}


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    """issue 15 point 7: the README's table is the list of what can be set."""
    missing = sorted(set(env_reads()) - readme_names())
    assert not missing, f"read from the environment but not in README.md's settings table: {missing}"


def test_every_row_of_the_readme_table_is_read_from_the_environment():
    """issue 15 point 7: a row the settings never read would promise a knob that does nothing."""
    unread = sorted(readme_names() - set(env_reads()))
    assert not unread, f"in README.md's settings table but never read from the environment: {unread}"


def _literal_default(call: ast.Call):
    position = DEFAULT_POSITION.get(call.func.attr, 1)
    node = next((kw.value for kw in call.keywords if kw.arg == "default"), None)
    if node is None and len(call.args) > position:
        node = call.args[position]
    if isinstance(node, ast.Constant) and node.value is not None:
        return node.value
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "Decimal" and isinstance(node.args[0], ast.Constant):
        return Decimal(node.args[0].value)
    return None


def _same(readme_value: str, default) -> bool:
    if isinstance(default, bool):
        return readme_value == str(default).lower()
    if isinstance(default, (int, float, Decimal)):
        return re.fullmatch(r"-?\d+(\.\d+)?", readme_value) is not None and Decimal(readme_value) == Decimal(
            str(default)
        )
    return readme_value == default


def test_the_readme_gives_the_defaults_the_settings_use():
    """issue 15 point 7: one default, and the table does not contradict it.

    Checked where the table's default cell is plain values, one per variable of the row, and
    the setting's default is a literal (a prose default such as "`true` in debug" is not).
    """
    reads = env_reads()
    compared, wrong = 0, []
    for names, cell in readme_rows():
        values = re.findall(r"`([^`]*)`", cell)
        if len(values) != len(names) or cell != ", ".join(f"`{value}`" for value in values):
            continue
        for name, value in zip(names, values, strict=True):
            default = _literal_default(reads[name]) if name in reads else None
            if default is None:
                continue
            compared += 1
            if not _same(value, default):
                wrong.append(f"{name}: README `{value}`, settings {default!r}")
    assert not wrong, wrong
    assert compared >= 25  # the check must keep covering the table, not pass by skipping it


def _conf_setting_reads() -> dict[str, set[str]]:
    reads = {}
    for path in sorted(ROOT.glob("*/conf.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
                reads.setdefault(str(path.relative_to(ROOT)), set()).add(node.attr)
    return reads


def test_every_tunable_of_a_conf_module_is_read_from_the_environment():
    """issue 15 point 7: `<app>/conf.py` reads settings that bimemall/settings reads from the environment."""
    conf_reads = _conf_setting_reads()
    assert {"agents/conf.py", "claims/conf.py", "policies/conf.py", "insurance_requests/conf.py"} <= set(conf_reads)
    backed = env_backed_settings()
    not_from_env = {path: sorted(names - backed) for path, names in conf_reads.items() if names - backed}
    assert not not_from_env, f"tunables not read from the environment: {not_from_env}"


def _application_sources():
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [name for name in subdirs if name not in SKIPPED_DIRS and not name.startswith(".")]
        for name in files:
            if name.endswith(".py"):
                yield Path(directory, name)


def test_no_setting_is_read_with_a_second_default_in_application_code():
    """issue 15 point 7: `getattr(settings, "X", default)` hides a tunable from the environment
    and from the README; settings declare the one default, code reads `settings.X`."""
    scanned, found = 0, []
    for path in _application_sources():
        scanned += 1
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 3
                and ast.unparse(node.args[0]).split(".")[-1].endswith("settings")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert scanned > 100  # the walk reached the apps
    assert not found, found


def test_the_conf_tunables_are_the_settings_defaults():
    """issue 15 point 7: with nothing in the environment, the tunables keep the values they had."""
    from agents import conf as agents_conf
    from claims import conf as claims_conf
    from insurance_requests import conf as requests_conf
    from policies import conf as policies_conf

    assert agents_conf.expiry_warning_days() == 3
    assert agents_conf.zarinpal_timeout() == (3.0, 10.0)
    assert agents_conf.payment_verify_claim_lifetime().total_seconds() == 60
    assert agents_conf.payment_reconcile_budget_seconds() == 150
    assert requests_conf.lead_reminder_hours() == 6
    assert policies_conf.capital_thresholds() == {
        "monthly": 10_000_000_000,
        "central": 40_000_000_000,
        "daily": 63_000_000_000,
    }
    assert policies_conf.authorisation_capital() == 10_000_000_000
    assert policies_conf.renewal_reminder_batch() == 500
    assert claims_conf.authority_limits() == {"office": 1_000_000_000, "supervision": 10_000_000_000}
    assert claims_conf.payment_days() == 28
    assert claims_conf.electronics_deductible_percent() == Decimal(10)
    assert settings.CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT == Decimal(10)


def _settings_in_a_fresh_process(code: str, **environ) -> subprocess.CompletedProcess:
    clean = {name: value for name, value in os.environ.items() if name not in env_reads()}
    clean.update(environ, DJANGO_SETTINGS_MODULE="bimemall.settings.test")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_former_code_only_tunable_is_set_from_the_environment(tmp_path):
    """issue 15 point 7: what was `getattr(settings, …, default)` is now an environment variable."""
    result = _settings_in_a_fresh_process(
        "print(settings.CLAIM_AUTHORITY_LIMITS['office'], settings.ZARINPAL_TIMEOUT, "
        "settings.CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT, settings.POLICY_AUTHORISATION_CAPITAL)",
        VAR_DIR=str(tmp_path),
        CLAIM_AUTHORITY_LIMIT_OFFICE="2000000000",
        ZARINPAL_READ_TIMEOUT_SECONDS="12.5",
        CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT="7.5",
        POLICY_CAPITAL_THRESHOLD_MONTHLY="20000000000",
    )
    assert result.returncode == 0, result.stderr
    # The authorisation capital follows the monthly threshold unless set itself.
    assert result.stdout.split() == ["2000000000", "(3.0,", "12.5)", "7.5", "20000000000"]


def test_a_typo_in_a_former_code_only_tunable_stops_the_process(tmp_path):
    """issue 15 point 7: the strict reader covers the new variables too."""
    result = _settings_in_a_fresh_process("", VAR_DIR=str(tmp_path), CLAIM_PAYMENT_DAYS="28d")
    assert result.returncode != 0
    assert "CLAIM_PAYMENT_DAYS='28d' is not an integer" in result.stderr


def test_a_verify_claim_shorter_than_the_gateway_timeouts_stops_the_process(tmp_path):
    """issue 15 point 7: a claim that a live verify could outlast would let two verifies overlap."""
    result = _settings_in_a_fresh_process("", VAR_DIR=str(tmp_path), PAYMENT_VERIFY_CLAIM_SECONDS="10")
    assert result.returncode != 0
    assert "PAYMENT_VERIFY_CLAIM_SECONDS must exceed" in result.stderr
