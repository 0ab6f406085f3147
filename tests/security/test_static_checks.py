"""Checks over the source tree: bandit finds nothing of medium or high severity (each
accepted finding carries `# nosec <id>` with its reason inline), and every dependency is
pinned to one version."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = [
    "accounts",
    "agents",
    "claims",
    "core",
    "insurance_requests",
    "insurers",
    "policies",
    "pricing",
    "sms",
    "bimemall",
    "saman",
    "declarations",
]
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,-]+\])?==[0-9][^\s;#]*$")


def test_bandit_finds_no_medium_or_high_issue():
    bandit = Path(sys.executable).with_name("bandit")
    packages = [name for name in PROJECT_PACKAGES if (ROOT / name).is_dir()]
    result = subprocess.run(
        [str(bandit), "-r", *packages, "-ll", "-q", "-f", "custom", "--msg-template", "{relpath}:{line} {test_id}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_requirement_is_pinned():
    files = sorted(ROOT.glob("requirements*.txt"))
    assert {path.name for path in files} >= {"requirements.txt", "requirements-dev.txt"}
    loose = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#") or re.fullmatch(r"-r \S+\.txt", line):
                continue
            if not PIN.match(line):
                loose.append(f"{path.name}:{number}: {line}")
    assert not loose, loose


def test_no_package_is_pinned_twice_with_different_versions():
    seen = {}
    for path in sorted(ROOT.glob("requirements*.txt")):
        for line in path.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                name, version = line.split("==", 1)
                name = re.sub(r"\[.*\]", "", name).strip().lower().replace("_", "-")
                assert seen.setdefault(name, version.strip()) == version.strip(), (path.name, line)
