"""Contact details hidden in free text: phone numbers, e-mail addresses, links, messenger handles, codes.

The marketplace reveals the two sides to each other only on acceptance (SPEC §4). Free
text that crosses before it (an agent's answer, a customer's note) is checked here; the
services refuse a text with findings. Pure functions over a string, no database.

The rules, in the order they are applied:

- Normalise: Persian (۰-۹), Arabic-Indic (٠-٩) and full-width digits become Latin; zero-width
  characters are removed, except the zero-width non-joiner (ZWNJ, U+200C) inside Persian
  words, which is removed only where it touches a digit. Four or more digit words and digit
  groups in a row ("صفر نه یک دو …", "zero nine 12 …") are read as digits.
- Digit runs: digits joined by separators (spaces, - . / ( ) _ , ، ٬ ٫ and +) form one run;
  the run's separator-delimited groups are joined in every contiguous stretch, so
  "۰۹۱۲ ۳۴۵ ۶۷ ۸۹" and "0 9 1 2 3 4 5 6 7 8 9" are read as 09123456789.
- A stretch is a phone number when it is shaped like one: an Iranian mobile
  (09xxxxxxxxx, 9xxxxxxxxx, +98 / 0098 / 98 then 9xxxxxxxxx) or a landline with its area
  code (0 + area 1-8 + 9 digits, or 98 + area + 9 digits). A single unseparated group longer
  than 11 digits is searched for 09xxxxxxxxx inside it.
- Amounts are not phone numbers: a stretch written with thousands separators
  (12,500,000 / ۱۲٬۵۰۰٬۰۰۰) or a run followed by ریال / تومان / هزار / میلیون / میلیارد / درصد
  is an amount unless it starts with 0 or + (amounts never do). So "9500000000" alone is
  read as a mobile, "9500000000 ریال" and "9,500,000,000" as amounts.
- Seven or more digits right after a phone word (تلفن، تماس، موبایل، زنگ، tel, phone…) are a
  phone number whatever their shape (an office number without its area code).
- E-mail addresses, including "name (at) gmail [dot] com" and "name at gmail dot com".
- Links: http(s)://, www., messenger addresses (t.me, wa.me, instagram.com, eitaa.com…)
  and bare domains (example.ir, example [dot] com).
- Handles: @name, and a Latin name within a few characters after a messenger word
  (تلگرام، واتساپ، اینستاگرام، ایتا، روبیکا، آیدی…).
- Codes: "کد نمایندگی" followed by digits, and each of `extra_codes` (an agent's agency
  code, office phone) of 4 or more characters as a whole token, however its digits are
  written and separated.

Dates (۱۴۰۵/۰۹/۱۱), percents, durations, plates and short numbers are never phone-shaped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.text import to_latin_digits

PHONE = "phone"
EMAIL = "email"
LINK = "link"
HANDLE = "handle"
CODE = "code"
KINDS = (PHONE, EMAIL, LINK, HANDLE, CODE)


@dataclass(frozen=True)
class Finding:
    kind: str
    fragment: str  # as found in the normalised text
    start: int
    end: int


_ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200d\u200e\u200f\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_ZWNJ_NEAR_DIGIT = re.compile(r"(?<=\d)\u200c+|\u200c+(?=\d)")


_DIGIT_WORDS = {
    "صفر": "0", "یک": "1", "يك": "1", "دو": "2", "سه": "3", "چهار": "4", "پنج": "5", "شش": "6", "شیش": "6",
    "هفت": "7", "هشت": "8", "نه": "9", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_WORD = "(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + ")"
_DIGIT_TOKEN = rf"(?:{_DIGIT_WORD}|\d+)"
# Four or more digit words and digit groups in a row ("صفر نه یک دو …", "صفر نه ۱۲ ۳۴۵…") are a
# number spelled out to slip past the digit rules; fewer are ordinary prose ("یک یا دو قسط").
_SPELLED_DIGITS = re.compile(rf"(?<!\w){_DIGIT_TOKEN}(?:[\s\-,،_./]+{_DIGIT_TOKEN}){{3,}}(?!\w)", re.IGNORECASE)
_DIGIT_WORD_ALONE = re.compile(rf"(?<!\w){_DIGIT_WORD}(?!\w)", re.IGNORECASE)


def _spelled_to_digits(match: re.Match) -> str:
    return _DIGIT_WORD_ALONE.sub(lambda word: _DIGIT_WORDS[word.group().lower()], match.group())


def normalise(text: str) -> str:
    """Latin digits, no zero-width characters; a ZWNJ stays inside words, not beside digits;
    four or more spelled-out digits in a row become digits."""
    text = unicodedata.normalize("NFKC", to_latin_digits(text or ""))
    text = text.translate(_ZERO_WIDTH)
    text = _SPELLED_DIGITS.sub(_spelled_to_digits, text)
    return _ZWNJ_NEAR_DIGIT.sub("", text)


# --- digits ----------------------------------------------------------------

_SEPARATORS = r"\s\-./()_,\u060c\u066b\u066c\u200c\[\]{}*|\\:"
_RUN = re.compile(rf"\+?\d(?:[{_SEPARATORS}+]*\d)*")
_GROUP = re.compile(r"\d+")
_THOUSANDS = re.compile(r"^\d{1,3}(?P<sep>[,\u060c\u066c.])\d{3}(?:(?P=sep)\d{3})*$")
_UNIT_AFTER = re.compile(
    r"\s*(?:ریال|ريال|تومان|تومن|هزار|میلیون|ميليون|میلیارد|ميليارد|درصد|%|٪|rial|toman|irr|irt)", re.IGNORECASE
)
_MOBILE = re.compile(r"(?:0098|98|0)?9\d{9}")
_LANDLINE = re.compile(r"(?:0|0098|98)[1-8]\d{9}")
_MOBILE_INSIDE = re.compile(r"09\d{9}")
_PHONE_WORD_BEFORE = re.compile(
    r"(?:تلفن|تماس|موبایل|مبایل|زنگ|شماره\s*(?:همراه|ثابت|دفتر|من|ما)|(?<![a-z])(?:tel|phone|mobile|call))(?:[\s\u200c]+\w+)?\W{0,12}$",
    re.IGNORECASE,
)


def _phone_shaped(digits: str) -> bool:
    return bool(_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits))


_LONGEST_STRETCH = 20  # the longest agency code; phone numbers have at most 14 digits


def _stretches(run: re.Match):
    """Every contiguous stretch of the run's digit groups: (start, end, digits, raw text)."""
    groups = list(_GROUP.finditer(run.group()))
    base = run.start()
    for i, first in enumerate(groups):
        digits = ""
        for last in groups[i:]:
            digits += last.group()
            if len(digits) > _LONGEST_STRETCH:
                break  # nothing we look for is longer; keeps a run of 1,000 groups linear
            start = base + first.start()
            # A "+" just before the first group belongs to the number (+98 …).
            if first.start() > 0 and run.group()[first.start() - 1] == "+":
                start -= 1
            yield start, base + last.end(), digits, run.string[start : base + last.end()]


def _is_amount(raw: str, digits: str, followed_by_unit: bool) -> bool:
    if raw.startswith(("0", "+")):
        return False
    return followed_by_unit or bool(_THOUSANDS.match(raw))


def _find_phones(text: str) -> list[Finding]:
    found = []
    for run in _RUN.finditer(text):
        followed_by_unit = bool(_UNIT_AFTER.match(text, run.end()))
        after_phone_word = bool(_PHONE_WORD_BEFORE.search(text[max(0, run.start() - 40) : run.start()]))
        run_digits = re.sub(r"\D", "", run.group())
        if after_phone_word and len(run_digits) >= 7 and not (followed_by_unit and not run.group().startswith("0")):
            found.append(Finding(PHONE, run.group(), run.start(), run.end()))
            continue
        for start, end, digits, raw in _stretches(run):
            at_run_end = end == run.end()
            if _phone_shaped(digits) and not _is_amount(raw, digits, followed_by_unit and at_run_end):
                found.append(Finding(PHONE, raw, start, end))
                break
        else:
            if followed_by_unit and not run.group().startswith(("0", "+")):
                continue  # a long amount: 1209123456789 ریال
            for group in _GROUP.finditer(run.group()):
                inside = _MOBILE_INSIDE.search(group.group()) if len(group.group()) > 11 else None
                if inside:
                    start = run.start() + group.start() + inside.start()
                    found.append(Finding(PHONE, inside.group(), start, start + 11))
                    break
    return found


# --- e-mail, links, handles ------------------------------------------------

_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|@|ات|اَت)\s*[)\]}>]\s*|\s+(?:at|ات)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|\.|نقطه|دات)\s*[)\]}>]\s*|\s+(?:dot|نقطه|دات)\s+)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TLD = (
    r"(?:ir|com|net|org|info|biz|co|io|me|app|xyz|site|online|shop|store|ai|dev|tv|cc|ws|us|uk|de|tk|ml|ga|gq|ly|"
    r"to|gl|link|page|website|email|click|top|pro|name|mobi|ru|tr|ae)"
)
_MAIL_PROVIDERS = r"(?:gmail|yahoo|ymail|hotmail|outlook|live|icloud|protonmail|proton|chmail|aol|mail)"
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*{_AT}(?:{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}\b|{_MAIL_PROVIDERS}\b)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?\s*:\s*/\s*/|www\s*\.)\S+", re.IGNORECASE)
_MESSENGER_HOSTS = (
    r"(?:t\.me|telegram\.(?:me|org|dog)|tg://\S+|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com|"
    r"instagram\.com|instagr\.am|eitaa\.com|ble\.ir|bale\.ai|rubika\.ir|igap\.net|splus\.ir|virasty\.com|"
    r"linkedin\.com|facebook\.com|fb\.me|twitter\.com|x\.com|youtube\.com|aparat\.com)"
)
_MESSENGER_LINK = re.compile(rf"(?<![a-z0-9.-]){_MESSENGER_HOSTS}(?:/\S*)?", re.IGNORECASE)
_DOMAIN = re.compile(rf"(?<![a-z0-9@.-]){_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}(?![a-z0-9-])", re.IGNORECASE)
_AT_HANDLE = re.compile(r"(?<![a-z0-9._%+-])@\s?[a-z0-9_][a-z0-9_.]{2,31}", re.IGNORECASE)
_MESSENGER_WORDS = (
    r"(?:telegram|تلگرام|تلگرم|whatsapp|واتساپ|واتس\s?اپ|واتس‌اپ|واتزاپ|instagram|insta|اینستاگرام|اینستا|"
    r"eitaa|ایتا|rubika|روبیکا|igap|آی\s?گپ|bale|پیام[‌\s]?رسان\s+بله|آیدی|ایدی|آی[‌\s]?دی|ای[‌\s]?دی|"
    r"id\s*[:=]|پیج|دایرکت|direct)"
)
_MESSENGER_HANDLE = re.compile(
    rf"(?<![a-z0-9_]){_MESSENGER_WORDS}(?![a-z0-9_])[^\n.!?؟a-z0-9]{{0,25}}(?P<handle>@?[a-z][a-z0-9_.]{{3,31}})",
    re.IGNORECASE,
)
_AGENCY_CODE = re.compile(r"کد\s*(?:نمایندگی|نماینده|کارگزاری)\s*(?:من|ما)?\s*[:：]?\s*\d[\d\s\-]{2,}")


def _find_text_contacts(text: str) -> list[Finding]:
    found = [Finding(EMAIL, m.group(), m.start(), m.end()) for m in _EMAIL.finditer(text)]
    found += [Finding(LINK, m.group(), m.start(), m.end()) for m in _URL.finditer(text)]
    found += [Finding(LINK, m.group(), m.start(), m.end()) for m in _MESSENGER_LINK.finditer(text)]
    found += [Finding(LINK, m.group(), m.start(), m.end()) for m in _DOMAIN.finditer(text)]
    found += [Finding(HANDLE, m.group(), m.start(), m.end()) for m in _AT_HANDLE.finditer(text)]
    found += [
        Finding(HANDLE, m.group("handle"), m.start("handle"), m.end("handle")) for m in _MESSENGER_HANDLE.finditer(text)
    ]
    found += [Finding(CODE, m.group().strip(), m.start(), m.end()) for m in _AGENCY_CODE.finditer(text)]
    return found


_SHORTEST_CODE = 4


def _find_codes(text: str, codes) -> list[Finding]:
    found = []
    wanted = {normalise(str(code)).strip().lower() for code in codes if code and str(code).strip()}
    # A code of two or three characters ("12") is also a count of instalments or months:
    # too common in an honest offer to refuse on its own.
    wanted = {code for code in wanted if len(code) >= _SHORTEST_CODE}
    numeric = {code for code in wanted if code.isdigit()}
    for code in wanted - numeric:
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(code)}(?![a-z0-9])", text, re.IGNORECASE):
            found.append(Finding(CODE, m.group(), m.start(), m.end()))
    if numeric:
        for run in _RUN.finditer(text):
            followed_by_unit = bool(_UNIT_AFTER.match(text, run.end()))
            for start, end, digits, raw in _stretches(run):
                if digits in numeric and not _is_amount(raw, digits, followed_by_unit and end == run.end()):
                    found.append(Finding(CODE, raw, start, end))
                    break
    return found


def find_contact_details(text: str, *, extra_codes=()) -> list[Finding]:
    """Every contact detail in `text`, in reading order; an empty list when the text may cross.

    Positions and fragments refer to `normalise(text)`. Overlapping findings keep the first
    by priority (e-mail before handle, phone before code), so one address is one finding.
    """
    normalised = normalise(text)
    if not normalised.strip():
        return []
    candidates = _find_text_contacts(normalised) + _find_phones(normalised) + _find_codes(normalised, extra_codes)
    priority = {EMAIL: 0, LINK: 1, PHONE: 2, CODE: 3, HANDLE: 4}
    kept: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: (priority[f.kind], f.start)):
        if not any(finding.start < other.end and other.start < finding.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def masked(fragment: str) -> str:
    """A short excerpt for the staff log that does not give the detail away: 09••••••789."""
    fragment = fragment.strip()
    if len(fragment) <= 4:
        return "•" * len(fragment)
    keep_start, keep_end = 2, 2
    middle = "".join("•" if ch.isalnum() else ch for ch in fragment[keep_start:-keep_end])
    return (fragment[:keep_start] + middle + fragment[-keep_end:])[:40]
