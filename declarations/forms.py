"""The agent's form for a stock declaration letter; it only parses, the service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import JalaliDateFormField
from policies.forms import RialField

SOLAR_MONTHS = [
    (1, _("فروردین")),
    (2, _("اردیبهشت")),
    (3, _("خرداد")),
    (4, _("تیر")),
    (5, _("مرداد")),
    (6, _("شهریور")),
    (7, _("مهر")),
    (8, _("آبان")),
    (9, _("آذر")),
    (10, _("دی")),
    (11, _("بهمن")),
    (12, _("اسفند")),
]


class DeclarationForm(forms.Form):
    year = forms.IntegerField(
        label=_("سال شمسی"), min_value=1300, max_value=1500, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    month = forms.TypedChoiceField(label=_("ماه"), choices=SOLAR_MONTHS, coerce=int)
    stock_value = RialField(label=_("ارزش موجودی اعلام‌شده"))
    declared_on = JalaliDateFormField(label=_("تاریخ نامه بیمه‌گذار"))
