from django.core.management.base import BaseCommand

from portal.reference import load_reference_data


class Command(BaseCommand):
    help = "Create missing reference rows (insurers, lines, provinces, terms, plans, tariffs); idempotent."

    def handle(self, *args, **options):
        load_reference_data()
        self.stdout.write(self.style.SUCCESS("Reference data present."))
