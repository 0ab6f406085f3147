"""Demo data for `make run`: a staff account for the admin and a sample customer.

Idempotent: running it again changes nothing. Refuses to run with DEBUG off, because
the staff password below is public.
"""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

STAFF_MOBILE = "09120000000"
STAFF_PASSWORD = "bimemall-admin"  # noqa: S105 (development demo only; see the DEBUG guard)
CUSTOMER_MOBILE = "09121111111"

# Apps that contribute demo rows expose `demo.load(stdout)`; missing ones are skipped.
# (policies.demo holds only the helpers saman's and declarations' demos share: no `load`.)
DEMO_MODULES = [
    "agents.demo",
    "pricing.demo",
    "insurance_requests.demo",
    "claims.demo",
    "declarations.demo",
    "saman.demo",
]


class Command(BaseCommand):
    help = "Load demo users (and each app's demo rows) for local development."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG=false).")
        with transaction.atomic():
            staff, created = User.objects.get_or_create(
                mobile=STAFF_MOBILE,
                defaults={
                    "first_name": "کارشناس",
                    "last_name": "بیمه مال",
                    "is_staff": True,
                    "is_superuser": True,
                    "mobile_verified_at": timezone.now(),
                },
            )
            if created:
                staff.set_password(STAFF_PASSWORD)
                staff.save(update_fields=["password"])
            User.objects.get_or_create(
                mobile=CUSTOMER_MOBILE,
                defaults={
                    "first_name": "سارا",
                    "last_name": "محمدی",
                    "national_code": "0499370899",
                    "mobile_verified_at": timezone.now(),
                },
            )
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            module.load(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Admin: /admin/ mobile {STAFF_MOBILE} password {STAFF_PASSWORD}; "
                f"customer {CUSTOMER_MOBILE} signs in by SMS code (printed on this console)."
            )
        )
