"""Writing the month-end Saman export (انتقال ماهانه به برنامه اطلاعاتی سامان) [001].

`saman_export_month` is what beat, the task and `manage.py export_saman` call: it claims
the month by inserting its unique `SamanExport` row, streams the four record kinds to a
temporary file next to the final one, renames it into place (readers never see half a
file), writes the manifest, and marks the row done. A month already exported is
returned as it is; only `saman_export_regenerate` (staff, audited) writes it again.
"""

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.services import audit_record
from saman import fileformat, selectors
from saman.models import SamanExport

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
# Longer than the export task's hard time limit: a RUNNING row older than this was left
# by a worker that died, and the next run may take the month over.
EXPORT_TIME_LIMIT_SECONDS = 20 * 60
STALE_CLAIM_AFTER = dt.timedelta(seconds=EXPORT_TIME_LIMIT_SECONDS + 60)

Progress = Callable[[int, int], None]


def _check_period(*, year: int | None, month: int | None) -> tuple[int, int]:
    if year is None and month is None:
        return selectors.saman_last_closed_month()
    if year is None or month is None:
        raise ApplicationError(_("سال و ماه را با هم بدهید."), code="period_incomplete")
    year, month = int(year), int(month)
    if not 1 <= month <= 12 or not 1300 <= year <= 1600:
        raise ApplicationError(_("سال یا ماه شمسی نامعتبر است."), code="period_invalid")
    if not selectors.saman_month_is_closed(year=year, month=month):
        raise ApplicationError(
            _("ماه %(year)s/%(month)02d هنوز تمام نشده است؛ خروجی سامان پس از پایان ماه تهیه می‌شود.")
            % {"year": year, "month": month},
            code="month_not_closed",
        )
    return year, month


def _claim(*, year: int, month: int, actor, now: dt.datetime) -> tuple[SamanExport, bool]:
    """(the month's row, whether this caller now owns the work)."""
    try:
        with transaction.atomic():
            return (
                SamanExport.objects.create(year=year, month=month, claimed_at=now, requested_by=_user(actor)),
                True,
            )
    except IntegrityError:
        pass  # the month already has its row: done, in progress, or abandoned
    export = SamanExport.objects.get(year=year, month=month)
    if export.status == SamanExport.Status.DONE:
        return export, False
    if export.status == SamanExport.Status.RUNNING and export.claimed_at > now - STALE_CLAIM_AFTER:
        return export, False
    # Failed, or abandoned by a dead worker: take it over, unless another run just did
    # (the conditional update on the old claim time lets exactly one of them win).
    taken = SamanExport.objects.filter(pk=export.pk, status=export.status, claimed_at=export.claimed_at).update(
        status=SamanExport.Status.RUNNING, claimed_at=now, error=""
    )
    export.refresh_from_db()
    return export, bool(taken)


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def saman_export_month(
    *, year: int | None = None, month: int | None = None, actor=None, progress: Progress | None = None
) -> SamanExport:
    """The export of a closed solar month (default: the last one), written once.

    Safe to run twice, or twice at once: the second caller finds the row and returns it
    without writing anything.
    """
    year, month = _check_period(year=year, month=month)
    now = timezone.now()
    export, owned = _claim(year=year, month=month, actor=actor, now=now)
    if not owned:
        return export
    _produce(export=export, progress=progress)
    audit_record(
        actor=actor,
        action="saman.export",
        target=export,
        data={"year": year, "month": month, "version": export.version, "sha256": export.sha256},
    )
    return export


def saman_export_regenerate(*, export: SamanExport, actor, progress: Progress | None = None) -> SamanExport:
    """Staff write a month again (e.g. after a late correction): a new version and file.

    The old file stays in storage and its hash goes into the audit record, so what was
    sent to Saman before can still be proven.
    """
    if not (actor and actor.is_staff and actor.has_perm("saman.regenerate_samanexport")):
        raise ForbiddenError(_("اجازه تهیه دوباره خروجی سامان را ندارید."), code="forbidden")
    now = timezone.now()
    old = {"version": export.version, "sha256": export.sha256, "file": export.file_name}
    claimable = SamanExport.objects.filter(pk=export.pk).exclude(
        status=SamanExport.Status.RUNNING, claimed_at__gt=now - STALE_CLAIM_AFTER
    )
    if not claimable.update(
        status=SamanExport.Status.RUNNING, version=F("version") + 1, claimed_at=now, requested_by=_user(actor), error=""
    ):
        raise ConflictError(_("این خروجی هم‌اکنون در حال تهیه است."), code="export_running")
    export.refresh_from_db()
    _produce(export=export, progress=progress)
    audit_record(
        actor=actor,
        action="saman.export_regenerate",
        target=export,
        data={
            "year": export.year,
            "month": export.month,
            "old_version": old["version"],
            "old_sha256": old["sha256"],
            "old_file": old["file"],
            "new_version": export.version,
            "new_sha256": export.sha256,
            "same_content": old["sha256"] == export.sha256,
        },
    )
    return export


# --- producing the file ----------------------------------------------------------------------


def export_file_names(*, year: int, month: int, version: int) -> tuple[str, str]:
    stem = f"saman/{year}/saman-{year}-{month:02d}-v{version}"
    return f"{stem}.txt", f"{stem}.manifest.json"


def _produce(*, export: SamanExport, progress: Progress | None) -> None:
    claimed_at = export.claimed_at
    mine = SamanExport.objects.filter(pk=export.pk, claimed_at=claimed_at)
    file_name, manifest_name = export_file_names(year=export.year, month=export.month, version=export.version)
    try:
        totals, sha256, size = _write_atomically(
            file_name, lambda out: _stream_records(export=export, out=out, progress=progress)
        )
        manifest = _manifest(export=export, file_name=file_name, totals=totals, sha256=sha256, size=size)
        _write_atomically(manifest_name, lambda out: out.write(manifest))
    except BaseException as exc:
        mine.update(status=SamanExport.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000])
        raise
    fields = {
        "status": SamanExport.Status.DONE,
        "file_name": file_name,
        "manifest_name": manifest_name,
        "sha256": sha256,
        "size": size,
        "counts": totals.as_dict(),
        "finished_at": timezone.now(),
    }
    # Conditional: if this run was presumed dead and another took over, that one finishes
    # the row (with the same bytes: the file depends on the data only).
    mine.update(**fields)
    for name, value in fields.items():
        setattr(export, name, value)


def _stream_records(*, export: SamanExport, out, progress: Progress | None) -> fileformat.Totals:
    """Write header, records and trailer to `out` (binary), one chunk of rows at a time."""
    start, end = selectors.saman_period_bounds(year=export.year, month=export.month)
    streams = (
        ("P", selectors.saman_policies_issued(start=start, end=end), fileformat.policy_record),
        ("E", selectors.saman_endorsements_issued(start=start, end=end), fileformat.endorsement_record),
        ("C", selectors.saman_cancellations(start=start, end=end), fileformat.cancellation_record),
        ("L", selectors.saman_claims_paid(start=start, end=end), fileformat.claim_record),
    )
    totals = fileformat.Totals()
    # One snapshot for the four reads: a policy cancelled while the file is written must
    # not appear in one section and be missing from another.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        total = sum(stream[1].count() for stream in streams) if progress else 0
        done = 0
        out.write(
            fileformat.header(
                year=export.year,
                month=export.month,
                first_day=start.date(),
                last_day=end.date() - dt.timedelta(days=1),
            ).encode()
        )
        for kind, queryset, render in streams:
            buffer: list[str] = []
            for row in queryset.iterator(chunk_size=CHUNK_SIZE):
                buffer.append(render(row))
                _add(totals, kind, row)
                if len(buffer) >= CHUNK_SIZE:
                    out.write("".join(buffer).encode())
                    done += len(buffer)
                    buffer.clear()
                    if progress:
                        progress(done, total)
            if buffer:
                out.write("".join(buffer).encode())
                done += len(buffer)
            if progress:
                progress(done, total)
        out.write(fileformat.trailer(totals).encode())
    return totals


def _add(totals: fileformat.Totals, kind: str, row) -> None:
    totals.counts[kind] += 1
    if kind == "P":
        totals.premium += row[9] or 0
    elif kind == "E":
        totals.endorsement_delta += row[8] or 0
    elif kind == "C":
        totals.refund += row[8] or 0
    else:
        totals.paid += row[6] or 0


def _manifest(*, export: SamanExport, file_name: str, totals, sha256: str, size: int) -> bytes:
    start, end = selectors.saman_period_bounds(year=export.year, month=export.month)
    document = {
        "format": fileformat.FORMAT_NAME,
        "format_version": fileformat.FORMAT_VERSION,
        "year": export.year,
        "month": export.month,
        "export_version": export.version,
        "timezone": "Asia/Tehran",
        "period": {
            "first_day": fileformat.jalali_day(start.date()),
            "last_day": fileformat.jalali_day(end.date() - dt.timedelta(days=1)),
            "starts_at": start.isoformat(),
            "ends_before": end.isoformat(),
        },
        "file": PurePosixPath(file_name).name,
        "bytes": size,
        "lines": totals.records + 2,
        "sha256": sha256,
        "counts": totals.as_dict(),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


class _HashingWriter:
    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.raw.write(data)
        self.hash.update(data)
        self.size += len(data)


def _write_atomically(name: str, produce: Callable) -> tuple:
    """Write `name` in private storage through a temporary file and a rename.

    Returns (whatever `produce` returned, sha256 hex, size). On a local filesystem the
    temporary file sits in the destination folder, so `os.replace` is atomic: the final
    name holds the whole old file or the whole new one, never part of either.
    """
    try:
        final_path = default_storage.path(name)
    except NotImplementedError:
        final_path = None
    if final_path is None:
        return _write_via_storage_api(name, produce)
    folder = os.path.dirname(final_path)
    os.makedirs(folder, exist_ok=True)
    fd, temp_path = tempfile.mkstemp(dir=folder, prefix=".saman-", suffix=".part")
    try:
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as raw:
            writer = _HashingWriter(raw)
            result = produce(writer)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temp_path, 0o640)
        os.replace(temp_path, final_path)
    except BaseException:
        try:
            os.unlink(temp_path)
        except FileNotFoundError:
            pass
        raise
    return result, writer.hash.hexdigest(), writer.size


def _write_via_storage_api(name: str, produce: Callable) -> tuple:
    # Remote storages (S3 and the like) publish an object only once its upload is whole.
    with tempfile.TemporaryFile() as raw:
        writer = _HashingWriter(raw)
        result = produce(writer)
        raw.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, File(raw, name=PurePosixPath(name).name))
    return result, writer.hash.hexdigest(), writer.size


def saman_export_open(*, export: SamanExport):
    """The export's file, opened for reading (binary); the caller closes it."""
    return default_storage.open(export.file_name, "rb")
