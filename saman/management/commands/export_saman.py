"""`manage.py export_saman --year 1404 --month 7`: the Saman file of a closed solar month.

Without --regenerate a month already exported is only reported (its file is not
touched). --regenerate writes a new version, audited, as staff do from the admin.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.exceptions import ApplicationError
from saman.models import SamanExport
from saman.services import saman_export_month, saman_export_regenerate


class ProgressBar:
    """A one-line bar on a terminal; a line every 10% when the output is a file or pipe."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.last_decile = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(self.WIDTH * share)
        text = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:6.1%} "
            f"{done:,}/{total:,} records, {time.monotonic() - self.started:.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + text)
            self.stream.flush()
        elif int(share * 10) > self.last_decile:
            self.last_decile = int(share * 10)
            self.stream.write(text + "\n")

    def finish(self):
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Export a closed solar month to the Saman file format (once; --regenerate for a new version)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="solar year, e.g. 1404 (default: the last closed month)")
        parser.add_argument("--month", type=int, help="solar month 1–12")
        parser.add_argument("--regenerate", action="store_true", help="write a new version of an exported month")
        parser.add_argument("--as-user", help="mobile of the staff member regenerating (audited)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, year=None, month=None, regenerate=False, as_user=None, no_progress=False, **options):
        bar = None if no_progress else ProgressBar(sys.stderr)
        try:
            if regenerate:
                if year is None or month is None:
                    raise CommandError("--regenerate needs --year and --month.")
                actor = User.objects.filter(mobile=as_user or "").first()
                if actor is None:
                    raise CommandError("--regenerate needs --as-user <mobile of a staff member>.")
                export = SamanExport.objects.filter(year=year, month=month).first()
                if export is None:
                    raise CommandError(f"{year}/{month:02d} was never exported; run without --regenerate.")
                export = saman_export_regenerate(export=export, actor=actor, progress=bar)
            else:
                existing = SamanExport.objects.filter(year=year, month=month).exists() if year and month else False
                export = saman_export_month(year=year, month=month, progress=bar)
                if existing:
                    self.stdout.write(f"{export.year}/{export.month:02d} was already exported; nothing written.")
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if bar:
                bar.finish()
        if export.status != SamanExport.Status.DONE:
            raise CommandError(f"{export.year}/{export.month:02d} is {export.status} (another run owns it).")
        counts = export.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Saman {export.year}/{export.month:02d} v{export.version}: {export.file_name} "
                f"({export.size:,} bytes, sha256 {export.sha256}); policies {counts.get('policies')}, "
                f"endorsements {counts.get('endorsements')}, cancellations {counts.get('cancellations')}, "
                f"claims paid {counts.get('claims_paid')}."
            )
        )
