"""Existing databases get the body usages seed [003] names (governmental, diplomatic);
figures staff edited are left alone."""

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
    dependencies = [("pricing", "0006_body_engine_and_violations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
