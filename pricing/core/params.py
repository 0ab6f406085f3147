"""Each line's parameters, described once and used three ways.

`Param` is machine-readable (the lines API and the HTML form are built from it) and
`clean_params` turns raw input — JSON numbers, strings with Persian digits and thousands
separators, Jalali or ISO dates, comma-separated lists from a query string — into typed
values, or collects a Persian message per field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.jalali import parse_date
from core.text import (
    LIST_SEPARATOR,
    NO_WORDS,
    NUMBER_GROUPING_RE,
    THOUSANDS_SEPARATOR,
    YES_WORDS,
    group_thousands,
    to_latin_digits,
    to_persian_digits,
)

INTEGER = "integer"
MONEY = "money"  # an integer amount in rial
CHOICE = "choice"
MULTI_CHOICE = "multi_choice"
DATE = "date"
BOOLEAN = "boolean"
TEXT = "text"
LIST = "list"  # a list of objects, each described by the parameter's `items` (travel: travellers)

_SEPARATORS = NUMBER_GROUPING_RE
_INTEGER_RE = re.compile(r"^[-+]?\d+$")
_TRUE = {"true", "1", "on", "yes", *YES_WORDS}
_FALSE = {"false", "0", "off", "no", *NO_WORDS, ""}


@dataclass(frozen=True, slots=True)
class Choice:
    value: str | int
    label: str
    group: str = ""  # a heading the choice is listed under (a car's make), when there is one

    def as_dict(self) -> dict:
        data = {"value": self.value, "label": self.label}
        if self.group:
            data["group"] = self.group
        return data


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    min: int | None = None
    max: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""
    unit: str = ""  # "rial", "day", "year", "m2", "" — for display
    min_message: str = ""  # a rule's own wording when the minimum is a refusal ("over 20 years")
    max_message: str = ""
    # A list's entries: the parameters of one entry, and how a message names an entry
    # ("مسافر %(n)s"), so a refusal says which one is at fault.
    items: tuple[Param, ...] = ()
    item_label: str = ""
    # The newer parameter that replaces this one on the forms (travel: `zone` → `country`,
    # `birth_date` → `travellers`); the API still accepts it.
    superseded_by: str = ""

    def as_dict(self) -> dict:
        data = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "default": self.default.isoformat() if isinstance(self.default, dt.date) else self.default,
        }
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        if self.choices:
            data["choices"] = [choice.as_dict() for choice in self.choices]
        if self.unit:
            data["unit"] = self.unit
        if self.help:
            data["help"] = self.help
        if self.items:
            data["items"] = [item.as_dict() for item in self.items]
            data["item_label"] = (self.item_label or "%(n)s") % {"n": "{n}"}
        if self.superseded_by:
            data["superseded_by"] = self.superseded_by
        return data


def money_text(rial: int) -> str:
    """An amount in a message, the way customers read it: '۵۰۰٬۰۰۰ تومان'."""
    return _("%(amount)s تومان") % {"amount": to_persian_digits(group_thousands(int(rial) // 10))}


def _number_text(param: Param, value: int) -> str:
    if param.type == MONEY:
        return money_text(value)
    return to_persian_digits(group_thousands(value))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    text = _SEPARATORS.sub("", to_latin_digits(str(value)).strip())
    if not _INTEGER_RE.match(text):
        raise ValueError
    return int(text)


def _clean_integer(param: Param, raw: Any) -> int:
    try:
        value = _to_int(raw)
    except (TypeError, ValueError):
        raise ValueError(_("یک عدد صحیح وارد کنید (رقم فارسی یا لاتین).")) from None
    if value < 0 and (param.min is None or param.min >= 0):
        raise ValueError(_("مقدار منفی پذیرفته نیست."))
    if param.min is not None and value < param.min:
        raise ValueError(param.min_message or _("دست‌کم باید %(min)s باشد.") % {"min": _number_text(param, param.min)})
    if param.max is not None and value > param.max:
        raise ValueError(param.max_message or _("حداکثر %(max)s مجاز است.") % {"max": _number_text(param, param.max)})
    return value


def _match_choice(param: Param, raw: Any) -> str | int:
    text = to_latin_digits(str(raw)).strip()
    if text and text.lstrip("-").replace(",", "").replace(THOUSANDS_SEPARATOR, "").isdigit():
        text = _SEPARATORS.sub("", text)
    for choice in param.choices:
        if text == str(choice.value):
            return choice.value
    raise ValueError(
        _("گزینه «%(value)s» معتبر نیست؛ یکی از این‌ها را بفرستید: %(choices)s")
        % {"value": str(raw)[:40], "choices": LIST_SEPARATOR.join(str(choice.value) for choice in param.choices)}
    )


def _clean_multi_choice(param: Param, raw: Any) -> tuple:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ValueError(_("فهرستی از کدها بفرستید."))
    cleaned: list = []
    for item in items:
        if _is_blank(item):
            continue
        value = _match_choice(param, item)
        if value not in cleaned:
            cleaned.append(value)
    return tuple(cleaned)


def _clean_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = to_latin_digits(str(raw)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("بله یا خیر (true/false) بفرستید."))


def _clean_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueError(_("تاریخ را به شکل ۱۴۰۴/۰۸/۳۰ یا 2025-11-21 بفرستید."))
    return parse_date(raw)


def _clean_text(param: Param, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(_("متن بفرستید."))
    text = raw.strip()
    if param.max is not None and len(text) > param.max:
        raise ValueError(_("حداکثر %(max)s نویسه مجاز است.") % {"max": to_persian_digits(param.max)})
    return text


class ListError(ValueError):
    """Every entry's problem at once, one message each."""

    def __init__(self, messages: list[str]):
        super().__init__(messages[0])
        self.messages = messages


def entry_name(param: Param, index: int) -> str:
    """«مسافر ۲» for the second entry (1-based)."""
    return (param.item_label or _("مورد %(n)s")) % {"n": to_persian_digits(index)}


def _clean_list(param: Param, raw: Any) -> tuple[dict, ...]:
    if not isinstance(raw, list | tuple):
        raise ValueError(_("فهرستی از موارد بفرستید."))
    if param.min is not None and len(raw) < param.min:
        count = to_persian_digits(param.min)
        raise ValueError(param.min_message or _("دست‌کم %(min)s مورد لازم است.") % {"min": count})
    if param.max is not None and len(raw) > param.max:
        count = to_persian_digits(param.max)
        raise ValueError(param.max_message or _("حداکثر %(max)s مورد مجاز است.") % {"max": count})
    labels = {item.name: item.label for item in param.items}
    entries, problems = [], []
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(_("%(entry)s: باید یک شیء JSON باشد.") % {"entry": entry_name(param, index)})
            continue
        values, errors = clean_params(param.items, entry)
        for name, messages in errors.items():
            problems.append(
                _("%(entry)s، %(field)s: %(message)s")
                % {"entry": entry_name(param, index), "field": labels.get(name, name), "message": messages[0]}
            )
        entries.append(values)
    if problems:
        raise ListError(problems)
    return tuple(entries)


def clean_value(param: Param, raw: Any) -> Any:
    """One raw value → its typed value; ValueError with a Persian message if it does not fit."""
    if param.type in (INTEGER, MONEY):
        return _clean_integer(param, raw)
    if param.type == CHOICE:
        return _match_choice(param, raw)
    if param.type == MULTI_CHOICE:
        return _clean_multi_choice(param, raw)
    if param.type == BOOLEAN:
        return _clean_boolean(raw)
    if param.type == DATE:
        return _clean_date(raw)
    if param.type == TEXT:
        return _clean_text(param, raw)
    if param.type == LIST:
        return _clean_list(param, raw)
    raise AssertionError(f"unknown parameter type {param.type}")


def clean_params(params: tuple[Param, ...], raw: Any) -> tuple[dict, dict[str, list[str]]]:
    """Raw input → (cleaned values with defaults filled in, errors per field)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("پارامترها باید یک شیء JSON با نام و مقدار باشند.")]}
    known = {param.name for param in params}
    errors: dict[str, list[str]] = {
        name: [_("این پارامتر برای این رشته شناخته نیست.")] for name in raw if name not in known
    }
    cleaned: dict = {}
    for param in params:
        value = raw.get(param.name)
        if _is_blank(value):
            if param.required:
                errors[param.name] = [_("این مورد لازم است.")]
            else:
                cleaned[param.name] = param.default
            continue
        try:
            cleaned[param.name] = clean_value(param, value)
        except ListError as exc:
            errors[param.name] = list(exc.messages)
        except ValueError as exc:
            errors[param.name] = [str(exc)]
    return cleaned, errors
