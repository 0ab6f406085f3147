"""Existing databases get the fire region tables (seed [003]) and the newer regulation's
source on the third-party no-claim figures; figures staff edited are left alone."""

from django.db import migrations

OLD_NO_CLAIM_SOURCES = (
    "seed [003] buying guide",
    "TARIFFS.md: newer law, 70% after 14 years (seed [003]'s old table stops at 45%)",
)


def load(apps, schema_editor):
    from pricing.reference import NO_CLAIM_SOURCE, load_reference_tariffs

    TariffRate = apps.get_model("pricing", "TariffRate")  # noqa: N806
    load_reference_tariffs(
        apps.get_model("pricing", "Tariff"),
        TariffRate,
        apps.get_model("pricing", "InsurerLineTerms"),
        apps.get_model("insurers", "Insurer"),
    )
    TariffRate.objects.filter(
        line="third_party", table="no_claim", key__in=("per_year", "cap"), source__in=OLD_NO_CLAIM_SOURCES
    ).update(source=NO_CLAIM_SOURCE[:300])


class Migration(migrations.Migration):
    dependencies = [("pricing", "0003_police_report_threshold")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
