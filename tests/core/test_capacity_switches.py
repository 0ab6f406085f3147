"""The settings that grow one machine into several (issue 16 point 4): each switch is read
from the environment and changes exactly what it says; off, nothing changes."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.core.test_settings_table import ROOT, _settings_in_a_fresh_process

PG_URL = "postgres://user:secret@db.example:5432/bimemall"


def _databases(tmp_path, **environ) -> dict:
    result = _settings_in_a_fresh_process(
        "import json; print(json.dumps({'databases': settings.DATABASES, "
        "'routers': settings.DATABASE_ROUTERS}, default=str))",
        VAR_DIR=str(tmp_path),
        **environ,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_without_the_switches_there_is_one_database_and_no_router(tmp_path):
    settings = _databases(tmp_path, DATABASE_URL=PG_URL)
    assert list(settings["databases"]) == ["default"]
    assert settings["routers"] == []
    default = settings["databases"]["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"], default["OPTIONS"]) == (60, True, {})
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_a_replica_url_adds_the_replica_alias_and_its_router(tmp_path):
    settings = _databases(tmp_path, DATABASE_URL=PG_URL, DATABASE_REPLICA_URL="postgres://user:secret@standby:5432/x")
    replica = settings["databases"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("standby", "x")
    assert replica["TEST"]["MIRROR"] == "default"  # tests read the replica from the test database
    assert settings["routers"] == ["core.db_routers.ReplicaRouter"]


def test_a_replica_of_a_sqlite_database_is_refused(tmp_path):
    result = _settings_in_a_fresh_process(
        "", VAR_DIR=str(tmp_path), DATABASE_REPLICA_URL="postgres://user:secret@standby:5432/x"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL" in result.stderr


def test_the_pool_switch_gives_each_process_a_psycopg_pool_instead_of_persistent_connections(tmp_path):
    default = _databases(
        tmp_path, DATABASE_URL=PG_URL, DATABASE_POOL="true", DATABASE_POOL_MIN_SIZE="2", DATABASE_POOL_MAX_SIZE="8"
    )["databases"]["default"]
    assert default["OPTIONS"] == {"pool": {"min_size": 2, "max_size": 8}}
    assert default["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections


def test_persistent_connections_and_server_side_cursors_are_switches(tmp_path):
    default = _databases(
        tmp_path, DATABASE_URL=PG_URL, DATABASE_CONN_MAX_AGE="0", DATABASE_DISABLE_SERVER_SIDE_CURSORS="true"
    )["databases"]["default"]
    assert default["CONN_MAX_AGE"] == 0
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True


def _gunicorn_settings(tmp_path, **environ) -> dict:
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("WEB_", "GUNICORN_"))}
    clean.update(environ, DJANGO_SETTINGS_MODULE="bimemall.settings.test", VAR_DIR=str(tmp_path))
    code = (
        "import json, runpy; conf = runpy.run_path('gunicorn.conf.py'); "
        "print(json.dumps({name: conf[name] for name in ('workers', 'threads', 'timeout')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_gunicorn_reads_workers_threads_and_timeout_from_the_environment(tmp_path):
    assert _gunicorn_settings(tmp_path) == {"workers": 5, "threads": 1, "timeout": 30}
    assert _gunicorn_settings(tmp_path, WEB_CONCURRENCY="9", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="20") == {
        "workers": 9,
        "threads": 4,
        "timeout": 20,
    }


def test_no_launcher_overrides_the_gunicorn_settings_on_its_command_line():
    """A `-w 5` in the Dockerfile or compose would silently beat WEB_CONCURRENCY."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    commands = [" ".join(compose["services"]["web"]["command"])]
    commands += [line for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines() if "gunicorn " in line]
    assert any("gunicorn bimemall.wsgi" in command for command in commands)
    for command in commands:
        for flag in (" -w ", "--workers", "--threads", "--timeout"):
            assert flag not in command, command


def test_compose_keeps_its_services_and_gives_each_queue_a_worker():
    from django.conf import settings

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "-Q" not in services["worker"]["command"]  # the main worker consumes every queue
    separate = set(settings.CELERY_QUEUE_OF_TASK.values()) - {settings.CELERY_DEFAULT_QUEUE_NAME}
    dedicated = {
        service["command"][service["command"].index("-Q") + 1]
        for service in services.values()
        if "-Q" in service.get("command", [])
    }
    assert dedicated == separate


@pytest.mark.postgres
def test_on_postgresql_the_pool_hands_the_same_connection_back(tmp_path):
    """With DATABASE_POOL the connection of a finished request goes back to the pool, and the
    next request takes it again instead of opening a new one."""
    from django.db import connection

    code = (
        "from django.db import connection\n"
        "def request():\n"
        "    connection.ensure_connection(); connection.cursor().execute('select 1'); connection.close()\n"
        "request(); connection.pool.wait()\n"
        "opened = connection.pool.get_stats().get('connections_num')\n"
        "for _ in range(5): request()\n"
        "print(type(connection.pool).__name__, connection.pool.max_size, "
        "connection.pool.get_stats().get('connections_num') - opened)"
    )
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    result = _settings_in_a_fresh_process(
        code, VAR_DIR=str(tmp_path), DATABASE_URL=url, DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["ConnectionPool", "3", "0"]  # five requests, no connection opened
