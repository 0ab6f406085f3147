"""Digits and numbers as Iranian users type and read them."""

import re

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN + _ARABIC_INDIC, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN)
# Arabic keyboards type ي and ك where Persian writes ی and ک: the same letters to a reader.
_ARABIC_TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ك": "ک"})

# Persian punctuation, the same in every sentence (not a message to translate): the comma
# that joins the items of a list shown to people.
PERSIAN_COMMA = "،"
LIST_SEPARATOR = PERSIAN_COMMA + " "
THOUSANDS_SEPARATOR = "٬"
DECIMAL_SEPARATOR = "٫"
# A share typed as 25% or ۲۵٪.
PERCENT_SIGNS = "%٪"
# What people type between the thousands of a number: Latin and Persian commas, the Persian
# thousands separator, spaces, underscores and apostrophes.
NUMBER_GROUPING_RE = re.compile(r"[,\s_٬،']")
# The words people type for yes and no: what a form reads, not a message.
YES_WORDS = ("بله",)
NO_WORDS = ("خیر",)


def to_latin_digits(value):
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; other characters kept."""
    return str(value).translate(_TO_LATIN)


def to_persian_digits(value):
    return str(value).translate(_TO_PERSIAN)


def to_persian_letters(value):
    """Arabic ي/ك (as Arabic keyboards type them) to Persian ی/ک; other characters kept."""
    return str(value).translate(_ARABIC_TO_PERSIAN_LETTERS)


def group_thousands(number):
    """12345678 → '12٬345٬678' with the Persian thousands separator."""
    return f"{int(number):,}".replace(",", THOUSANDS_SEPARATOR)


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
