"""Existing databases get the travel destination countries (issue 14 point 7): each
country with its Persian name and the zone that prices it; figures staff edited are left
alone."""

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
    dependencies = [("pricing", "0008_car_catalogue_and_installment_plans")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
