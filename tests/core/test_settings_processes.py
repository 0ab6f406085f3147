"""Settings as a fresh process sees them: `check --deploy`, and loud failures on typos."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    # The test settings module wrote its defaults into os.environ; start from a clean slate.
    ours = {
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_SETTINGS_MODULE",
        "SECURE_SSL_REDIRECT",
        "SMS_BACKEND",
        "ALLOWED_HOSTS",
        "CELERY_TASK_ALWAYS_EAGER",
    }
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k8#2Lq!x" * 8,
        ALLOWED_HOSTS="bimehmall.ir",
        SMS_BACKEND="console",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_typo_stops_the_process(tmp_path):
    result = _manage("check", DEBUG="ture", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="x.ir", SMS_BACKEND="console", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
