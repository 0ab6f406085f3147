"""The month-end Saman export: Tehran month bounds, the file format, once per month,
byte-identical, atomic, regenerated only on purpose (audited)."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.models import Claim
from core.exceptions import ApplicationError
from core.jalali import solar_month_bounds
from core.models import AuditLog
from policies.models import Endorsement, Policy
from saman import services
from saman.models import SamanExport
from saman.selectors import TEHRAN
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import make_agent, record

pytestmark = pytest.mark.django_db

YEAR, MONTH = 1404, 7  # Mehr 1404: 2025-09-23 .. 2025-10-22
FIRST, FOLLOWING = solar_month_bounds(YEAR, MONTH)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TEHRAN)


def issued(policy: Policy, when: dt.datetime) -> Policy:
    Policy.objects.filter(pk=policy.pk).update(issued_at=when)
    policy.refresh_from_db()
    return policy


@pytest.fixture
def agent():
    return make_agent()


@pytest.fixture
def month_data(agent):
    """Two policies in the month (at both Tehran edges), one just outside each edge, an
    endorsement, a cancellation and a paid claim."""
    customer = UserFactory(national_code="0499370899")
    inside_first = issued(record(agent, customer, issued_on=FIRST, policy_number="IN-1"), at(FIRST, 0, 5))
    inside_last = issued(
        record(agent, customer, issued_on=FIRST, policy_number="IN|2"), at(FOLLOWING - dt.timedelta(days=1), 23, 50)
    )
    issued(
        record(agent, customer, issued_on=FIRST, policy_number="OUT-BEFORE"), at(FIRST - dt.timedelta(days=1), 23, 55)
    )
    issued(record(agent, customer, issued_on=FIRST, policy_number="OUT-AFTER"), at(FOLLOWING, 0, 10))
    endorsement = Endorsement.objects.create(
        policy=inside_first,
        number=1,
        kind=Endorsement.Kind.ADDITIONAL,
        changes={"sum_insured": 600_000_000},
        premium_delta=1_500_000,
        effective_on=FIRST + dt.timedelta(days=5),
    )
    Endorsement.objects.filter(pk=endorsement.pk).update(issued_at=at(FIRST + dt.timedelta(days=5), 11))
    Policy.objects.filter(pk=inside_last.pk).update(
        status=Policy.Status.CANCELLED,
        cancelled_at=at(FIRST + dt.timedelta(days=20), 9),
        cancellation_on=FIRST + dt.timedelta(days=20),
        cancellation_by="insured",
        cancellation_kept=2_000_000,
        cancellation_refund=8_000_000,
    )
    claim = Claim.objects.create(
        policy=inside_first,
        customer=customer,
        cause="fire",
        occurred_on=FIRST + dt.timedelta(days=1),
        description="آتش‌سوزی آشپزخانه\nخط دوم",
        estimated_loss=90_000_000,
        status=Claim.Status.PAID,
        paid_amount=75_000_000,
    )
    Claim.objects.filter(pk=claim.pk).update(paid_at=at(FIRST + dt.timedelta(days=25), 14))
    return {"first": inside_first, "last": inside_last, "endorsement": endorsement, "claim": claim}


def read(export: SamanExport) -> bytes:
    return (Path(settings.PRIVATE_MEDIA_ROOT) / export.file_name).read_bytes()


@pytest.mark.rule("R-022", "R-030", "R-047")
def test_month_is_cut_at_tehran_midnight_and_every_section_is_written(month_data):
    export = services.saman_export_month(year=YEAR, month=MONTH)

    lines = read(export).decode().splitlines()
    assert lines[0] == "H|BIMEHMALL-SAMAN|1|1404|07|14040701|14040730"
    kinds = [line.split("|")[0] for line in lines]
    assert kinds == ["H", "P", "P", "E", "C", "L", "T"]
    numbers = [line.split("|")[4] for line in lines if line.startswith("P|")]
    assert numbers == ["IN-1", "IN 2"]  # in issue order; a pipe in a field becomes a space
    policy_line = lines[1].split("|")
    assert policy_line[5] == "0499370899"
    assert policy_line[6] == "14040701"  # 00:05 Tehran on the 1st is still the 1st (20:35 UTC the day before)
    assert (
        lines[3]
        == f"E|{month_data['endorsement'].pk}|{month_data['first'].pk}|iran|IN-1|1|additional|14040706|14040706|1500000"
    )
    assert lines[
        4
    ] == f"C|{month_data['last'].pk}|iran|IN|2|cancelled|14040721|14040721|insured|2000000|8000000".replace(
        "IN|2", "IN 2"
    )
    assert lines[5] == f"L|{month_data['claim'].pk}|{month_data['first'].pk}|iran|IN-1|14040702|14040726|75000000|fire"
    assert lines[6] == "T|2|1|1|1|7|20000000|1500000|8000000|75000000"
    assert export.counts == {
        "policies": 2,
        "endorsements": 1,
        "cancellations": 1,
        "claims_paid": 1,
        "records": 5,
        "premium": 20_000_000,
        "endorsement_delta": 1_500_000,
        "refund": 8_000_000,
        "paid": 75_000_000,
    }


def test_manifest_carries_counts_size_and_the_sha256_of_the_file(month_data):
    export = services.saman_export_month(year=YEAR, month=MONTH)
    content = read(export)
    manifest = json.loads((Path(settings.PRIVATE_MEDIA_ROOT) / export.manifest_name).read_text())
    assert manifest["sha256"] == hashlib.sha256(content).hexdigest() == export.sha256
    assert manifest["bytes"] == len(content) == export.size
    assert manifest["lines"] == content.count(b"\n") == 7
    assert manifest["counts"]["policies"] == 2
    assert manifest["period"] == {
        "first_day": "14040701",
        "last_day": "14040730",
        "starts_at": "2025-09-23T00:00:00+03:30",
        "ends_before": "2025-10-23T00:00:00+03:30",
    }
    assert manifest["file"] == "saman-1404-07-v1.txt"


def test_an_empty_month_still_has_header_and_trailer():
    export = services.saman_export_month(year=1403, month=12)
    assert read(export) == b"H|BIMEHMALL-SAMAN|1|1403|12|14031201|14031230\nT|0|0|0|0|2|0|0|0|0\n"


@pytest.mark.rule("R-022")
def test_running_again_returns_the_same_row_and_leaves_the_file_alone(month_data):
    first = services.saman_export_month(year=YEAR, month=MONTH)
    path = Path(settings.PRIVATE_MEDIA_ROOT) / first.file_name
    stamp = path.stat().st_mtime_ns
    # Data that changes after the month was exported does not change the exported file.
    issued(record(make_agent(), UserFactory(), issued_on=FIRST, policy_number="LATE"), at(FIRST, 12))

    again = services.saman_export_month(year=YEAR, month=MONTH)

    assert again.pk == first.pk and again.sha256 == first.sha256
    assert path.stat().st_mtime_ns == stamp
    assert SamanExport.objects.count() == 1
    assert AuditLog.objects.filter(action="saman.export").count() == 1


def test_regenerating_unchanged_data_is_byte_identical_and_audited_with_the_old_hash(month_data):
    staff = StaffFactory()
    first = services.saman_export_month(year=YEAR, month=MONTH)
    first_bytes = read(first)
    old_name = first.file_name

    again = services.saman_export_regenerate(export=first, actor=staff)

    assert again.version == 2
    assert again.file_name.endswith("saman-1404-07-v2.txt")
    assert read(again) == first_bytes
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / old_name).read_bytes() == first_bytes  # the old version is kept
    audit = AuditLog.objects.get(action="saman.export_regenerate")
    assert audit.actor == staff
    assert audit.data["old_sha256"] == first.sha256
    assert audit.data["new_sha256"] == again.sha256
    assert audit.data["same_content"] is True


def test_regenerating_after_a_correction_writes_a_new_hash(month_data):
    first = services.saman_export_month(year=YEAR, month=MONTH)
    issued(record(make_agent(), UserFactory(), issued_on=FIRST, policy_number="LATE"), at(FIRST, 12))
    again = services.saman_export_regenerate(export=first, actor=StaffFactory())
    assert again.counts["policies"] == 3
    assert AuditLog.objects.get(action="saman.export_regenerate").data["old_sha256"] != again.sha256


def test_only_staff_with_the_permission_regenerate(month_data):
    export = services.saman_export_month(year=YEAR, month=MONTH)
    with pytest.raises(ApplicationError) as error:
        services.saman_export_regenerate(export=export, actor=UserFactory(is_staff=True))
    assert error.value.code == "forbidden"
    export.refresh_from_db()
    assert export.version == 1


@pytest.mark.rule("R-022")
def test_a_month_not_yet_over_is_refused():
    import jdatetime

    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    with pytest.raises(ApplicationError) as error:
        services.saman_export_month(year=today.year, month=today.month)
    assert error.value.code == "month_not_closed"
    assert not SamanExport.objects.exists()


def test_a_failure_leaves_no_file_and_the_next_run_takes_the_month_over(month_data, monkeypatch):
    from saman import fileformat

    real = fileformat.claim_record

    def broken(row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fileformat, "claim_record", broken)
    with pytest.raises(RuntimeError):
        services.saman_export_month(year=YEAR, month=MONTH)
    export = SamanExport.objects.get()
    assert export.status == SamanExport.Status.FAILED
    assert "disk full" in export.error
    saman_dir = Path(settings.PRIVATE_MEDIA_ROOT) / "saman"
    assert [p for p in saman_dir.rglob("*") if p.is_file()] == []  # no partial file, no temporary

    monkeypatch.setattr(fileformat, "claim_record", real)
    export = services.saman_export_month(year=YEAR, month=MONTH)
    assert export.status == SamanExport.Status.DONE
    assert SamanExport.objects.count() == 1
    assert read(export).endswith(b"T|2|1|1|1|7|20000000|1500000|8000000|75000000\n")


def test_an_abandoned_claim_is_taken_over_but_a_fresh_one_is_left_alone(month_data):
    fresh = SamanExport.objects.create(year=YEAR, month=MONTH, claimed_at=timezone.now())
    assert services.saman_export_month(year=YEAR, month=MONTH).status == SamanExport.Status.RUNNING
    SamanExport.objects.filter(pk=fresh.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert services.saman_export_month(year=YEAR, month=MONTH).status == SamanExport.Status.DONE


def test_command_prints_progress_and_the_result(month_data, capsys):
    call_command("export_saman", "--year", "1404", "--month", "7")
    captured = capsys.readouterr()
    assert "100.0%" in captured.err
    assert "5/5 records" in captured.err
    assert "policies 2, endorsements 1, cancellations 1, claims paid 1" in captured.out
    call_command("export_saman", "--year", "1404", "--month", "7", "--no-progress")
    assert "already exported; nothing written" in capsys.readouterr().out
    assert SamanExport.objects.get().version == 1


def test_command_regenerates_as_a_named_staff_member(month_data, capsys):
    staff = StaffFactory()
    call_command("export_saman", "--year", "1404", "--month", "7", "--no-progress")
    call_command("export_saman", "--year", "1404", "--month", "7", "--regenerate", "--as-user", staff.mobile)
    assert SamanExport.objects.get().version == 2
    assert AuditLog.objects.get(action="saman.export_regenerate").actor == staff


def test_command_refuses_an_open_month():
    import jdatetime

    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    with pytest.raises(CommandError, match="تمام نشده"):
        call_command("export_saman", "--year", str(today.year), "--month", str(today.month))
