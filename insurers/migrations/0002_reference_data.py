from django.db import migrations


def load(apps, schema_editor):
    from insurers.reference import sync_reference_data

    sync_reference_data(
        apps.get_model("insurers", "Insurer"),
        apps.get_model("insurers", "InsuranceLine"),
        apps.get_model("insurers", "Province"),
    )


class Migration(migrations.Migration):
    dependencies = [("insurers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
