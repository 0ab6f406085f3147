"""Existing databases get the body engine-class factors and negative-points loading
(seeds [003][004]); figures staff edited are left alone."""

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
    dependencies = [("pricing", "0005_violation_loading")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
