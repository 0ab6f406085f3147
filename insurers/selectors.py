from django.db.models import Q

from core.text import to_latin_digits, to_persian_letters
from insurers.models import InsuranceLine, Insurer, Province


def line_list():
    return list(InsuranceLine.objects.all())


def insurer_list(*, active_only=True):
    queryset = Insurer.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    return list(queryset)


def province_list():
    return list(Province.objects.all())


def province_by_code_or_name(value):
    """A province from its code (`tehran`) or its Persian name (`تهران`); None if neither."""
    text = to_persian_letters(to_latin_digits(str(value)).strip())
    if not text:
        return None
    return Province.objects.filter(Q(code=text.lower()) | Q(name=text)).first()
