"""Adds the reference figures added after 0002 (the third-party police-report threshold)
to databases that already have their tariffs; staff edits are never overwritten."""

from django.db import migrations


def load(apps, schema_editor):
    from pricing.reference import load_reference_tariffs

    load_reference_tariffs(
        apps.get_model("pricing", "Tariff"),
        apps.get_model("pricing", "TariffRate"),
        apps.get_model("pricing", "InsurerLineTerms"),
        apps.get_model("insurers", "Insurer"),
    )


class Migration(migrations.Migration):
    dependencies = [("pricing", "0002_reference_tariffs")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
