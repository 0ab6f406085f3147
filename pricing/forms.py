"""The quote form of each line, built from the same parameter description as the API.

No Django form validation here: raw values go to `pricing.services` (the one place that
validates), and its per-field Persian messages come back beside the fields. Amounts are
typed in toman, as customers think of them, and converted to rial before validation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from core.jalali import format_jalali
from core.text import NUMBER_GROUPING_RE, to_latin_digits, to_persian_digits
from pricing.core import params as p

_SEPARATORS = NUMBER_GROUPING_RE
_INTEGER = re.compile(r"^-?\d+$")
# Rows a list (travellers) offers without JavaScript; empty ones are ignored.
LIST_ROWS = 5


@dataclass
class FieldState:
    param: p.Param
    value: object
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.param.name

    @property
    def widget(self) -> str:
        return {
            p.CHOICE: "select",
            p.MULTI_CHOICE: "checkboxes",
            p.BOOLEAN: "switch",
            p.TEXT: "textarea",
            p.LIST: "rows",
        }.get(self.param.type, "text")

    @property
    def row_label_pattern(self) -> str:
        """«مسافر {n}»: how traveller_rows.js renumbers the rows it adds or removes."""
        return self.param.as_dict().get("item_label", "{n}")

    @property
    def rows(self) -> list[dict]:
        """A list's rows: what was typed, then blanks up to LIST_ROWS (never beyond the maximum)."""
        values = [value for value in (self.value or []) if value] if isinstance(self.value, list) else []
        count = max(LIST_ROWS, len(values))
        if self.param.max is not None:
            count = min(count, self.param.max)
        values = (values + [""] * count)[:count]
        return [
            {"number": number, "label": p.entry_name(self.param, number), "value": value}
            for number, value in enumerate(values, start=1)
        ]

    @property
    def unit_label(self) -> str:
        return {"rial": gettext("تومان"), "day": gettext("روز"), "year": gettext("سال"), "m2": gettext("متر مربع")}.get(
            self.param.unit, ""
        )

    @property
    def options(self) -> list[dict]:
        selected = {str(v) for v in self.value} if isinstance(self.value, list | tuple) else {str(self.value)}
        return [
            {
                "value": str(choice.value),
                "label": choice.label,
                "group": choice.group,
                "selected": str(choice.value) in selected,
            }
            for choice in self.param.choices
        ]

    @property
    def option_groups(self) -> list[dict]:
        """Options under their headings (a car's make → its models) for <optgroup>; empty when ungrouped."""
        if not any(choice.group for choice in self.param.choices):
            return []
        groups: dict[str, list[dict]] = {}
        for option in self.options:
            groups.setdefault(option["group"], []).append(option)
        return [{"label": label, "options": options} for label, options in groups.items()]


def raw_from_query(specs: tuple[p.Param, ...], query, *, submitted: bool) -> dict:
    """What the visitor typed (or the defaults before the first submit), per parameter."""
    raw = {}
    for param in specs:
        if param.type == p.MULTI_CHOICE:
            raw[param.name] = query.getlist(param.name) if submitted else list(param.default or ())
        elif param.type == p.LIST:
            # One text input per row (a traveller's birth date); empty rows are ignored.
            raw[param.name] = [value for value in query.getlist(param.name) if value.strip()] if submitted else []
        elif param.type == p.BOOLEAN:
            raw[param.name] = (param.name in query) if submitted else bool(param.default)
        elif submitted:
            raw[param.name] = query.get(param.name, "")
        else:
            raw[param.name] = _display_default(param)
    return raw


def _display_default(param: p.Param):
    default = param.default
    if default is None or (param.type == p.MONEY and default == 0):
        return ""
    if isinstance(default, dt.date):
        return to_persian_digits(format_jalali(default))
    if param.type == p.INTEGER:
        return to_persian_digits(default)
    return default


def params_for_service(specs: tuple[p.Param, ...], raw: dict) -> dict:
    """Raw form values → the API's params: toman amounts become rial, blanks are left out."""
    result = {}
    for param in specs:
        value = raw.get(param.name)
        if value in ("", None, []):
            continue
        if param.type == p.MONEY:
            value = toman_text_to_rial(value)
        if param.type == p.LIST:
            value = list_entries(param, value)
        result[param.name] = value
    return result


def list_entries(param: p.Param, values: list) -> list[dict]:
    """The rows of a one-field list (each a traveller's birth date) as the API's entries."""
    field_name = param.items[0].name
    return [{field_name: value} for value in values if str(value).strip()]


def toman_text_to_rial(value):
    """A typed toman amount ('۵۰۰٬۰۰۰', '500,000') as rial text; anything else unchanged for the validator."""
    if not isinstance(value, str):
        return value
    text = _SEPARATORS.sub("", to_latin_digits(value).strip())
    return str(int(text) * 10) if _INTEGER.match(text) else value


def field_states(specs: tuple[p.Param, ...], raw: dict, errors: dict[str, list[str]]) -> list[FieldState]:
    """The fields to show; a parameter with a single allowed value (body: one year) is not asked,
    nor one a newer parameter replaces (travel: the country, not the zone)."""
    return [
        FieldState(param, raw.get(param.name, ""), list(errors.get(param.name, [])))
        for param in specs
        if not ((param.min is not None and param.min == param.max) or param.superseded_by) or param.name in errors
    ]


def params_as_json(cleaned: dict) -> str:
    """Cleaned params for the request form's query string (rial, ISO dates, lists)."""

    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {name: plain(item) for name, item in value.items()}
        return value

    return json.dumps(
        {name: plain(value) for name, value in cleaned.items()}, ensure_ascii=False, separators=(",", ":")
    )
