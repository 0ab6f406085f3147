from django.db.models import Q

from core.text import to_latin_digits
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
    text = to_latin_digits(str(value)).strip().replace("ي", "ی").replace("ك", "ک")
    if not text:
        return None
    return Province.objects.filter(Q(code=text.lower()) | Q(name=text)).first()
