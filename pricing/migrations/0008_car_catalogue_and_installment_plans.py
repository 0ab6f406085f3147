"""Issue 14 points 4 and 5: the car catalogue (about 45 common Iranian cars and motorcycles),
and each insurer's body and third-party instalment plan as tariff tables of 1404 and 1405
(assumptions until staff enter the real plans). Figures staff edited are left alone."""

from django.db import migrations, models


def load(apps, schema_editor):
    from pricing.reference import load_reference_tariffs

    load_reference_tariffs(
        apps.get_model("pricing", "Tariff"),
        apps.get_model("pricing", "TariffRate"),
        apps.get_model("pricing", "InsurerLineTerms"),
        apps.get_model("insurers", "Insurer"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('pricing', '0007_body_government_and_diplomatic_usage'),
        ('insurers', '0002_reference_data'),
    ]

    operations = [
        migrations.CreateModel(
            name='CarModel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text='حروف کوچک لاتین، رقم و _ (مثل ikco_peugeot_206).', max_length=60, unique=True, verbose_name='کد')),
                ('make', models.CharField(max_length=60, verbose_name='سازنده')),
                ('name', models.CharField(max_length=100, verbose_name='مدل')),
                ('kind', models.CharField(choices=[('car', 'سواری'), ('pickup', 'وانت'), ('motorcycle', 'موتورسیکلت')], default='car', max_length=20, verbose_name='نوع')),
                ('cylinders', models.PositiveSmallIntegerField(verbose_name='تعداد سیلندر')),
                ('third_party_group', models.CharField(help_text='کد گروه در جدول حق بیمه پایه شخص ثالث (مثل car_4cyl).', max_length=60, verbose_name='گروه تعرفه شخص ثالث')),
                ('body_engine_class', models.CharField(blank=True, help_text='کد رده در جدول ضریب موتور بدنه (مثل cyl_4)؛ خالی یعنی بیمه بدنه این وسیله در تعرفه نیست.', max_length=60, verbose_name='رده موتور در بیمه بدنه')),
                ('is_active', models.BooleanField(default=True, verbose_name='در فهرست')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='ترتیب')),
            ],
            options={
                'verbose_name': 'خودرو',
                'verbose_name_plural': 'فهرست خودروها',
                'ordering': ['order', 'make', 'name'],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
