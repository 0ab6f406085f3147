"""The layers hold (issue 15 point 6): import-linter's contracts of pyproject.toml, run with
the tests as `make lint` runs them, so an upward import fails the suite too."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = next(contract for contract in CONFIG["contracts"] if contract["id"] == "layers")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(executable), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_of_the_project(target: Path) -> Path:
    shutil.copy(BASE_DIR / "pyproject.toml", target / "pyproject.toml")
    for package in CONFIG["root_packages"]:
        shutil.copytree(BASE_DIR / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_import_contracts_are_kept():
    """issue 15 point 6: no app imports an app above it; no model imports a selector or a service."""
    result = _lint_imports(BASE_DIR)

    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_layers(tmp_path):
    """issue 15 point 6: the contract is live — core importing policies (even lazily, inside a
    function) fails it, naming the import."""
    project = _copy_of_the_project(tmp_path)
    text = project / "core" / "text.py"
    text.write_text(text.read_text() + "\n\ndef _upward():\n    import policies  # noqa: F401\n")

    result = _lint_imports(project)

    assert result.returncode == 1
    assert "core is not allowed to import policies" in result.stdout


def test_every_app_of_the_project_sits_in_a_layer():
    """issue 15 point 6: a new app is placed in the layers (import-linter cannot require it
    without a common parent package, so this test does)."""
    local_apps = {app for app in settings.INSTALLED_APPS if (BASE_DIR / app / "apps.py").exists()}
    layered = {name.strip() for layer in LAYERS["layers"] for name in layer.replace(":", "|").split("|")}

    assert local_apps - layered == set()
    assert local_apps <= set(CONFIG["root_packages"])
