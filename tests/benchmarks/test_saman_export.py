"""Benchmark: the Saman export of a month with 1,000,000 policies stays under 300 MB.

The policies are written by PostgreSQL itself (one INSERT … SELECT over generate_series),
then `manage.py export_saman` runs in a child process on the test database; its peak
resident memory comes from `os.wait4` (that child only). A second child exporting an
empty month gives the baseline (Python + Django + the project). The figures are printed
(`make bench` shows them) and recorded in docs/BENCHMARKS.md.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from insurers.models import InsuranceLine, Insurer
from policies.models import Policy
from saman.selectors import saman_period_bounds
from tests.integration.test_celery_worker import database_url_for
from tests.policies.helpers import make_agent

pytestmark = [pytest.mark.postgres, pytest.mark.bench]

POLICIES = 1_000_000
MAX_PEAK_MB = 300
YEAR, MONTH = 1404, 7


def _bulk_insert_policies(count: int, *, customer, agent, insurer, line) -> float:
    """INSERT … SELECT generate_series: every NOT NULL column gets a value, whatever the
    model grows (nullable → NULL, a default → that default)."""
    start, _end = saman_period_bounds(year=YEAR, month=MONTH)
    explicit = {
        "customer": ("%s", customer.pk),
        "agent": ("%s", agent.pk),
        "insurer": ("%s", insurer.pk),
        "line": ("%s", line.pk),
        "number": ("'B' || g", None),
        "status": ("%s", Policy.Status.ISSUED),
        "sum_insured": ("500000000 + g", None),
        "actual_value": ("500000000 + g", None),
        "premium": ("10000000 + (g %% 1000)", None),
        "issued_on": ("%s::date", start.date()),
        "starts_on": ("%s::date", start.date()),
        "ends_on": ("%s::date + 365", start.date()),
        "payment_plan": ("%s", Policy.PaymentPlan.CASH),
        # Spread over the month's 30 days, so the ORDER BY issued_at has work to do.
        "issued_at": ("%s::timestamptz + (g %% 2592000) * interval '1 second'", start),
        "first_paid_at": ("%s::timestamptz + (g %% 2592000) * interval '1 second'", start),
        "created_at": ("now()", None),
        "updated_at": ("now()", None),
    }
    columns, expressions, params = [], [], []
    for field in Policy._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in explicit:
            expression, value = explicit[field.name]
        elif field.null:
            expression, value = "NULL", None
        elif field.has_default():
            default = field.get_default()
            if field.get_internal_type() == "JSONField":
                expression, value = "%s::jsonb", json.dumps(default)
            else:
                expression, value = "%s", default
        elif field.blank and field.get_internal_type() in {"CharField", "TextField", "FileField", "SlugField"}:
            expression, value = "''", None
        else:
            raise AssertionError(f"Policy.{field.name} needs a value in the benchmark's INSERT")
        columns.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
        if "%s" in expression:
            params.append(value)
    # Identifiers come from the model's own metadata; every value is a parameter.
    table = Policy._meta.db_table
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM generate_series(1, %s) g"  # noqa: S608, E501
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, count])
        cursor.execute(f"ANALYZE {Policy._meta.db_table}")
    return time.perf_counter() - began


# Runs the command in a fresh interpreter and reports the process's own high-water mark
# (VmHWM). Not ru_maxrss from wait4: on Linux a child's maxrss starts at the parent's RSS
# at fork time, and pytest has grown past 300 MB by the time this test runs in a full suite.
_CHILD = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("export_saman", "--year", sys.argv[1], "--month", sys.argv[2], "--no-progress")
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(f"VMHWM_KIB={peak_kib}")
"""


def _export_in_child(year: int, month: int, private: Path) -> tuple[float, float, str]:
    """(peak RSS in MB, wall seconds, output) of `export_saman` in a child process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bimemall.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": str(private),
        "PYTHONUNBUFFERED": "1",
    }
    began = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(year), str(month)],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    output = child.stdout + child.stderr
    assert child.returncode == 0, output
    peak_kib = int(output.rsplit("VMHWM_KIB=", 1)[1].split()[0])
    return peak_kib / 1024, seconds, output


def test_export_of_a_million_policies_stays_under_300_mb(transactional_db, tmp_path):
    from saman.models import SamanExport

    agent = make_agent()
    customer = User.objects.create_user(mobile="09121234567", national_code="0499370899")
    insert_seconds = _bulk_insert_policies(
        POLICIES,
        customer=customer,
        agent=agent,
        insurer=Insurer.objects.get(code="iran"),
        line=InsuranceLine.objects.get(code="fire"),
    )
    private = tmp_path / "private"

    baseline_mb, _, _ = _export_in_child(1403, 12, private)
    peak_mb, export_seconds, output = _export_in_child(YEAR, MONTH, private)

    export = SamanExport.objects.get(year=YEAR, month=MONTH)
    size_mb = export.size / 1024 / 1024
    print(
        f"\nSaman export, {POLICIES:,} policies ({timezone.now():%Y-%m-%d}, PostgreSQL "
        f"{connection.pg_version // 10000}): insert {insert_seconds:.1f} s; export {export_seconds:.1f} s "
        f"({POLICIES / export_seconds:,.0f} records/s); peak RSS {peak_mb:.0f} MB "
        f"(baseline, empty month: {baseline_mb:.0f} MB); file {size_mb:.0f} MB, sha256 {export.sha256[:16]}…"
    )
    assert export.counts["policies"] == POLICIES
    lines = 0
    with open(private / export.file_name, "rb") as fh:
        for lines, _line in enumerate(fh, start=1):  # noqa: B007
            pass
    assert lines == POLICIES + 2
    assert peak_mb < MAX_PEAK_MB, output
