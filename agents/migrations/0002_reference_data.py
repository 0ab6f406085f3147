"""Reference data every fresh database needs: terms version 1, the paid plans, and the
daily beat entry for `agents.tasks.notify_expiring_subscriptions`. Staff edit the plans
and publish newer terms in the admin afterwards; this migration never overwrites them.
"""

from django.db import migrations

TERMS_V1_TITLE = "مقررات و ضوابط پرداخت نمایندگان بیمه مال"

TERMS_V1_TEXT = """۱. بیمه مال درگاه ارتباط میان متقاضیان خدمات بیمه‌ای و نمایندگان دارای پروانه فعالیت معتبر شرکت‌های بیمه است. ثبت‌نام به عنوان نماینده فقط برای دارنده پروانه فعالیت نمایندگی یک شرکت بیمه مجاز است.

۲. نماینده مسئول درستی اطلاعاتی است که در فرم اولیه و مدارک تکمیلی (از جمله تصویر اصل پروانه فعالیت، شماره و تاریخ انقضای آن، کد و نام نمایندگی و نشانی پستی) ثبت می‌کند. ارائه اطلاعات نادرست موجب رد یا تعلیق حساب می‌شود.

۳. هر کد نمایندگی برای هر شرکت بیمه فقط یک بار در بیمه مال ثبت می‌شود. درگاه ارتباطی (دریافت درخواست‌ها و اعلام آمادگی) تنها پس از تأیید مدارک توسط کارشناسان بیمه مال، و فقط تا زمانی که اشتراک فعال و پروانه معتبر باشد، باز است.

۴. هر شخص، هر کد ملی و هر کد نمایندگی تنها یک بار می‌تواند از اشتراک آزمایشی رایگان استفاده کند. پس از آن، استفاده از درگاه ارتباطی مستلزم خرید اشتراک پولی است.

۵. بهای اشتراک پیش از استفاده و به صورت برخط از طریق درگاه پرداخت بانکی پرداخت می‌شود. مبالغ به ریال محاسبه و در صورتحساب ثبت می‌شود. تمدید اشتراک از تاریخ پایان اشتراک فعلی محاسبه می‌شود و هیچ روزی از دست نمی‌رود. اشتراک پرداخت‌شده پس از شروع، قابل استرداد نیست مگر به تشخیص پشتیبانی در صورت بروز خطای سامانه.

۶. اطلاعات هویتی و تماس متقاضی فقط پس از پذیرش پاسخ نماینده توسط متقاضی به همان نماینده نمایش داده می‌شود. نماینده متعهد است این اطلاعات را فقط برای ارائه همان خدمت بیمه‌ای به کار ببرد و در اختیار دیگری قرار ندهد.

۷. از هر شرکت بیمه فقط یک نماینده می‌تواند برای هر درخواست اعلام آمادگی کند. نماینده نباید با اطلاعات نادرست یا وعده خارج از شرایط بیمه‌نامه، متقاضی را گمراه کند.

۸. هر کسی که با اطلاعات ورود شما وارد حساب کاربری شود، به منزله خود شماست؛ از اطلاعات ورود خود محافظت کنید.

۹. بیمه مال می‌تواند این مقررات را به‌روزرسانی کند. نسخه تازه در حساب کاربری نمایش داده می‌شود و ادامه استفاده از درگاه ارتباطی مستلزم پذیرش آن است."""

PLANS = [
    # code, title, days, price in rial
    ("monthly", "اشتراک یک‌ماهه", 30, 5_000_000, 1),
    ("quarterly", "اشتراک سه‌ماهه", 90, 13_500_000, 2),
    ("yearly", "اشتراک یک‌ساله", 365, 48_000_000, 3),
]


def load(apps, schema_editor):
    TermsVersion = apps.get_model("agents", "TermsVersion")
    Plan = apps.get_model("agents", "Plan")
    if not TermsVersion.objects.exists():
        TermsVersion.objects.create(version=1, title=TERMS_V1_TITLE, text=TERMS_V1_TEXT)
    for code, title, days, price, order in PLANS:
        Plan.objects.get_or_create(code=code, defaults={"title": title, "days": days, "price": price, "order": order})

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Tehran"
    )
    PeriodicTask.objects.get_or_create(
        name="agents: subscription expiry notices",
        defaults={"task": "agents.tasks.notify_expiring_subscriptions", "crontab": schedule},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
