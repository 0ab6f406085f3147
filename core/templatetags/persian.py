"""Template filters for Persian display: digits, Jalali dates, toman amounts.

Loaded as a builtin (settings.TEMPLATES), so every template can use them.
"""

from django import template
from django.utils.translation import gettext as _

from core.jalali import format_jalali
from core.text import group_thousands, prefix_once, to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    if value is None:
        return ""
    return to_persian_digits(value)


@register.filter
def jalali(value):
    return to_persian_digits(format_jalali(value))


@register.filter
def jalali_datetime(value):
    return to_persian_digits(format_jalali(value, with_time=True))


@register.filter
def toman(rial):
    """An amount stored in rial, shown in toman with separators: 1,234,560 rial → ۱۲۳٬۴۵۶ تومان."""
    if rial in (None, ""):
        return ""
    return _("%(amount)s تومان") % {"amount": to_persian_digits(group_thousands(int(rial) // 10))}


@register.filter
def fa_number(value):
    if value in (None, ""):
        return ""
    return to_persian_digits(group_thousands(value))


@register.filter
def duration_fa(seconds):
    """Seconds as a short Persian duration: '۳ ساعت و ۵ دقیقه'."""
    if seconds in (None, ""):
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        text = _("%(h)s ساعت و %(m)s دقیقه") % {"h": hours, "m": minutes}
    elif hours:
        text = _("%(h)s ساعت") % {"h": hours}
    elif minutes:
        text = _("%(m)s دقیقه") % {"m": minutes}
    else:
        text = _("کمتر از یک دقیقه")
    return to_persian_digits(text)


@register.filter(name="prefix_once")
def prefix_once_filter(value, prefix):
    """`{{ agent.agency_name|prefix_once:"نمایندگی" }}`: the kind word once, never doubled."""
    return prefix_once(prefix, value)
