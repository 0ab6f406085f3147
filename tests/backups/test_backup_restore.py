"""scripts/backup.sh dumps the database (pg_dump, custom format) and the private files;
scripts/restore.sh puts them into a fresh database and folder, where the data is found."""

import datetime as dt
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from insurance_requests.models import InsuranceRequest
from insurers.models import InsuranceLine, Province
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _url(params, name):
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


def _run(*command, env=None):
    result = subprocess.run(
        [str(part) for part in command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_into_a_fresh_database_with_its_data(tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "the PostgreSQL client tools are missing"
    customer = UserFactory(first_name="پریسا", last_name="بکاپ")
    request = InsuranceRequest.objects.create(
        customer=customer,
        line=InsuranceLine.objects.get(code="fire"),
        params={"area_m2": 120},
        province=Province.objects.get(code="tehran"),
        city="تهران",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    (private / "licences").mkdir(parents=True, exist_ok=True)
    (private / "licences" / "agent-1.png").write_bytes(b"\x89PNG licence")

    params = connection.settings_dict
    source = _url(params, params["NAME"])
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "DATABASE_URL": source,
        "PRIVATE_MEDIA_ROOT": str(private),
        "BACKUP_RETENTION_DAYS": "14",
    }
    written = _run("bash", ROOT / "scripts/backup.sh", tmp_path / "backups", env=env).split()
    dump, files = Path(written[0]), Path(written[1])
    assert dump.suffix == ".dump" and dump.stat().st_size > 0 and files.exists()
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    fresh = f"bimemall_restore_{uuid.uuid4().hex[:8]}"
    admin_url = _url(params, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored_files = tmp_path / "restored-private"
        _run("bash", ROOT / "scripts/restore.sh", dump, _url(params, fresh), files, restored_files, env=env)
        with psycopg.connect(_url(params, fresh)) as restored:
            user_row = restored.execute(
                "SELECT mobile, national_code, last_name FROM accounts_user WHERE id = %s", [customer.pk]
            ).fetchone()
            request_row = restored.execute(
                f"SELECT customer_id, city, params FROM {InsuranceRequest._meta.db_table} WHERE id = %s",  # noqa: S608
                [request.pk],
            ).fetchone()
            insurers = restored.execute("SELECT count(*) FROM insurers_insurer").fetchone()[0]
        assert user_row == (customer.mobile, customer.national_code, "بکاپ")
        assert request_row == (customer.pk, "تهران", {"area_m2": 120})
        assert insurers >= 23  # the reference data came along
        assert (restored_files / "licences" / "agent-1.png").read_bytes() == b"\x89PNG licence"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
