"""Digits and numbers as Iranian users type and read them."""

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN + _ARABIC_INDIC, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN)


def to_latin_digits(value):
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; other characters kept."""
    return str(value).translate(_TO_LATIN)


def to_persian_digits(value):
    return str(value).translate(_TO_PERSIAN)


def group_thousands(number):
    """12345678 → '12٬345٬678' with the Persian thousands separator."""
    return f"{int(number):,}".replace(",", "٬")


def prefix_once(prefix, text):
    """`text` led by the word `prefix`, unless it already starts with it.

    Names people type often carry their own kind word: an agency named «نمایندگی امید» or a
    plan titled «اشتراک یک‌ماهه» must not get the word a second time from a sentence that
    names the kind. prefix_once("نمایندگی", "امید") → «نمایندگی امید»; so does
    prefix_once("نمایندگی", "نمایندگی امید").
    """
    text = str(text or "").strip()
    if not text:
        return prefix
    if text == prefix or text.startswith((prefix + " ", prefix + "\u200c")):
        return text
    return f"{prefix} {text}"
