"""How the admin shows stored values to staff: amounts with separators and ریال, codes as
their Persian labels, JSON as small tables, ISO dates as Jalali.

The admin's unit is the rial, the unit of every stored amount and of the field labels
("حق‌بیمه (ریال)"): staff compare these figures with insurers' letters and Saman exports,
which are in rial. The customer-facing pages keep showing toman.

Digits are left Latin here; `core.admin_digits` turns every digit of an admin page's text
into Persian in one pass, so that counts, ids and names printed by Django's own templates
are covered too.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.jalali import format_jalali
from core.text import LIST_SEPARATOR, group_thousands, to_persian_digits

RIAL = _("ریال")
EMPTY = "—"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# Keys of the JSON the project stores (claim assessments and panels, quotes and their
# breakdowns, policy and request parameters not described by a calculator, audit data,
# endorsement changes, instalments, partners, export counts).
KEY_LABELS: dict[str, str] = {
    # claims: assessment inputs, panel, payout
    "actual_value": _("ارزش واقعی"),
    "salvage": _("ارزش بازیافتی (سالوِیج)"),
    "depreciation": _("استهلاک"),
    "young_or_new_driver": _("راننده جوان یا تازه‌کار"),
    "invoice_value": _("ارزش فاکتور خرید"),
    "accessories_loss": _("خسارت لوازم جانبی"),
    "mitigation_cost": _("هزینه جلوگیری از گسترش خسارت"),
    "insured_fault_percent": _("درصد تقصیر بیمه‌گذار"),
    "debris_removal_cost": _("هزینه پاک‌سازی و برداشت آوار"),
    "diyeh": _("دیه"),
    "died_on": _("تاریخ فوت"),
    "haram_months": _("در ماه‌های حرام"),
    "previous_claims": _("خسارت‌های پیشین"),
    "premium_due": _("حق‌بیمه سررسیدشده"),
    "premium_paid": _("حق‌بیمه پرداخت‌شده"),
    "loss_kind": _("نوع خسارت"),
    "deductible_percent": _("درصد فرانشیز"),
    "settlement": _("شیوه تسویه"),
    "insurer_expert": _("کارشناس منتخب بیمه‌گر"),
    "insured_expert": _("کارشناس منتخب بیمه‌گذار"),
    "third_expert": _("کارشناس سوم"),
    "assessor_loss": _("خسارت به ارزیابی ارزیاب"),
    "panel_loss": _("خسارت به رأی هیئت"),
    "note": _("یادداشت"),
    "payout": _("مبلغ قابل پرداخت"),
    "repayment_due": _("مبلغ بازپرداخت"),
    # pricing: quotes and breakdowns
    "quotes": _("قیمت‌ها"),
    "insurer": _("بیمه‌گر"),
    "insurer_name": _("بیمه‌گر"),
    "premium": _("حق‌بیمه"),
    "breakdown": _("ریز محاسبه"),
    "code": _("کد"),
    "label": _("شرح"),
    "amount": _("مبلغ"),
    "line": _("رشته"),
    "tariff_year": _("سال تعرفه"),
    # policies and requests
    "number": _("شماره"),
    "request": _("درخواست"),
    "response": _("پاسخ"),
    "sum_insured": _("سرمایه بیمه‌شده"),
    "due_on": _("سررسید"),
    "paid_on": _("تاریخ پرداخت"),
    "name": _("نام"),
    "share": _("سهم (درصد)"),
    "title": _("عنوان"),
    "value": _("ارزش"),
    "kept": _("حق‌بیمه قطعی‌شده"),
    "refund": _("مبلغ برگشتی"),
    "reason": _("دلیل"),
    "from": _("از"),
    "to": _("به"),
    "on": _("تاریخ"),
    "days": _("روز"),
    "ended": _("پایان‌یافته"),
    "field": _("فیلد"),
    "fields": _("فیلدها"),
    "id": _("شناسه"),
    "kind": _("نوع"),
    "size": _("حجم (بایت)"),
    "ip": _("نشانی IP"),
    "mobile": _("شماره همراه"),
    "agent": _("نماینده"),
    "score": _("امتیاز"),
    "version": _("نسخه"),
    "status": _("وضعیت"),
    "policies": _("بیمه‌نامه‌ها"),
    "claims": _("خسارت‌ها"),
    "endorsements": _("الحاقی‌ها"),
    "installments": _("اقساط"),
    "building_type": _("نوع ساختمان"),
    "debris_removal_sum": _("سقف پوشش هزینه پاک‌سازی آوار"),
}

# Keys whose integer value is an amount of money (rial), besides those ending in a money word.
_MONEY_KEYS = {
    "premium",
    "amount",
    "payout",
    "diyeh",
    "salvage",
    "depreciation",
    "kept",
    "refund",
    "repayment_due",
    "premium_due",
    "premium_paid",
    "sum_insured",
    "assessor_loss",
    "panel_loss",
    "actual_value",
    "invoice_value",
    "value",
}
_MONEY_SUFFIXES = ("_loss", "_cost", "_sum", "_price", "_premium", "_value", "_amount")

VALUE_LABELS_EXTRA: dict[str, str] = {
    # claims.rules.body_loss_kind
    "partial": _("جزئی"),
    "total": _("کلی"),
    "theft": _("سرقت"),
    # claims settlement
    "cash": _("نقدی"),
    "repair": _("تعمیر"),
    "installments": _("اقساطی"),
    "residential": _("مسکونی"),
    # agents: payment gateways
    "zarinpal": _("زرین‌پال"),
    "sandbox": _("درگاه آزمایشی"),
}


def field_names(model) -> list[str]:
    """The model's fields for a read-only page, without the automatic id: the page's title and
    address already name the row, and "ID" is the one label Django does not translate."""
    return [field.name for field in model._meta.fields if not (field.primary_key and field.auto_created)]


def readable_fields(model, *, replace: Mapping[str, str] | None = None) -> list[str]:
    """`field_names` with some fields swapped for the display methods that show them; used as
    both `fields` and `readonly_fields`, so the raw field never appears as a form input."""
    replace = replace or {}
    return [replace.get(name, name) for name in field_names(model)]


# What the apps above core know and the admin shows: a line's quote parameters (pricing) and
# every code's Persian label (claims, policies, insurers, pricing). Core may not import them
# (the layers, issue 15 point 6); `portal.wiring` installs both at start-up.
def _no_line_parameters(line_code: str) -> list[dict]:
    raise LookupError(f"No line parameters installed (portal.wiring): {line_code}")


def _only_extra_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in VALUE_LABELS_EXTRA.items()}


_line_parameters: Callable[[str], list[dict]] = _no_line_parameters
_code_labels: Callable[[], dict[str, str]] = _only_extra_labels


def sources_install(*, line_parameters: Callable[[str], list[dict]], code_labels: Callable[[], dict[str, str]]) -> None:
    """Give the admin's display the line descriptions and the code catalogue (portal.wiring)."""
    global _line_parameters, _code_labels, _CATALOGUE_BUILT_AT
    _line_parameters = line_parameters
    _code_labels = code_labels
    _CATALOGUE_BUILT_AT = 0.0


def line_choice_labels(line_code: str, param_name: str) -> dict[str, str]:
    """The labels of one choice parameter of a line's quote form (covers, usage, …)."""
    try:
        described = _line_parameters(line_code)
    except Exception:  # noqa: BLE001 (a line without a calculator has no choices of its own)
        return {}
    for param in described:
        if param["name"] == param_name:
            return {str(choice["value"]): str(choice["label"]) for choice in param.get("choices", [])}
    return {}


def covers_text(line_code: str, codes) -> str:
    return codes_text(codes, line_choice_labels(line_code, "covers"))


def model_label(dotted: str) -> str:
    """'policies.policy' (an audit row's target) as its model's Persian name."""
    from django.apps import apps

    try:
        return str(apps.get_model(dotted)._meta.verbose_name)
    except (LookupError, ValueError):
        return dotted


def field_value(value, field):
    """A model field's stored value (not None) as staff read it: Jalali dates (with the time for a
    datetime), JSON as tables, amounts with separators and the unit, decimals without trailing zeros.
    `core.admin_site.shown_readably` says which fields come here."""
    if isinstance(field, models.DateField):
        return to_persian_digits(format_jalali(value, with_time=isinstance(field, models.DateTimeField)))
    if isinstance(field, models.JSONField):
        return readable(value)
    if isinstance(field, models.IntegerField):
        return money(value)
    return decimal_text(value)


def money(rial) -> str:
    """'12٬000٬000 ریال' (digits turn Persian with the rest of the page)."""
    if rial is None or rial == "":
        return EMPTY
    return f"{group_thousands(int(rial))} {RIAL}"


def decimal_text(value) -> str:
    """10.000000 → '10', 2.50 → '2.5': stored precision is not information for a reader."""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def is_money_field(field) -> bool:
    # A field whose label names the rial holds an amount: the labels already say which ones are money.
    return str(RIAL) in str(getattr(field, "verbose_name", ""))


def is_money_key(key: str) -> bool:
    return key in _MONEY_KEYS or key.endswith(_MONEY_SUFFIXES)


def key_label(key) -> str:
    return str(KEY_LABELS.get(str(key), code_label(key)))


# Code → label catalogue, built from the project's own catalogues (causes, documents,
# covers and every choice of the quote forms, lines, insurers, special cases).
_CATALOGUE: dict[str, str] = {}
_CATALOGUE_BUILT_AT = 0.0
_CATALOGUE_SECONDS = 60


def _build_catalogue() -> dict[str, str]:
    return _code_labels()


def code_label(code) -> str:
    """The Persian label of a stored code, or the code itself when nothing names it."""
    global _CATALOGUE, _CATALOGUE_BUILT_AT
    if not isinstance(code, str):
        return str(code)
    if time.monotonic() - _CATALOGUE_BUILT_AT > _CATALOGUE_SECONDS:
        _CATALOGUE = _build_catalogue()
        _CATALOGUE_BUILT_AT = time.monotonic()
    return _CATALOGUE.get(code, code)


def codes_text(codes: Iterable, labels: Mapping[str, str] | None = None) -> str:
    """A list of codes as '«label»، «label»'."""
    names = [str((labels or {}).get(str(code)) or code_label(code)) for code in codes or ()]
    return LIST_SEPARATOR.join(names) or EMPTY


def scalar_text(value, *, key: str = "") -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return str(_("بله") if value else _("خیر"))
    if isinstance(value, int):
        return money(value) if is_money_key(key) else str(value)
    if isinstance(value, float | Decimal):
        return decimal_text(value)
    if isinstance(value, dt.datetime):
        return format_jalali(value, with_time=True)
    if isinstance(value, dt.date):
        return format_jalali(value)
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return format_jalali(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if _ISO_DATETIME.match(text):
        try:
            return format_jalali(dt.datetime.fromisoformat(text), with_time=True)
        except ValueError:
            return text
    return code_label(text)


def rows_table(rows: Iterable[tuple[object, object]]) -> SafeString:
    """(label, value) pairs as a two-column table; values may be HTML built by format_html."""
    rows = list(rows)
    if not rows:
        return format_html("{}", EMPTY)
    body = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", rows)
    return format_html('<table class="readable-data">{}</table>', body)


def grid_table(items: list[Mapping]) -> SafeString:
    """A list of objects with the same keys as one table with a header row."""
    keys: list[str] = []
    for item in items:
        keys += [key for key in item if key not in keys]
    if "insurer_name" in keys and "insurer" in keys:
        keys.remove("insurer")  # the code beside its name says nothing more
    head = format_html_join("", "<th scope='col'>{}</th>", ((key_label(key),) for key in keys))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (format_html_join("", "<td>{}</td>", ((readable(item.get(key), key=key),) for key in keys)),)
            for item in items
        ),
    )
    return format_html('<table class="readable-data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body)


def readable(value, *, key: str = ""):
    """Any stored JSON value as text or a table staff can read."""
    if isinstance(value, Mapping):
        return rows_table((key_label(k), readable(v, key=str(k))) for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return EMPTY
        if all(isinstance(item, Mapping) for item in value):
            if all({"label", "amount"} <= set(item) for item in value):
                # a breakdown: its own Persian labels, each with its amount
                return rows_table((item["label"], money(item["amount"])) for item in value)
            return grid_table(list(value))
        return LIST_SEPARATOR.join(str(scalar_text(item, key=key)) for item in value)
    return scalar_text(value, key=key)


def params_table(*, line_code: str, params: Mapping) -> SafeString:
    """A request's or a policy's parameters in the calculator's order, with its labels and
    choice names (money in rial, like every amount in the admin)."""
    if not params:
        return format_html("{}", EMPTY)
    try:
        described = _line_parameters(line_code)
    except Exception:  # noqa: BLE001 (a line without a calculator: every key through the catalogue)
        described = []
    rows = []
    for param in described:
        if param["name"] not in params:
            continue
        value = params[param["name"]]
        choices = {str(choice["value"]): choice["label"] for choice in param.get("choices", [])}
        if isinstance(value, list) and choices:
            text = codes_text(value, choices)
        elif not isinstance(value, bool) and str(value) in choices:
            text = choices[str(value)]
        elif param["type"] == "money" and isinstance(value, int):
            text = money(value)
        else:
            text = readable(value, key=param["name"])
        rows.append((param["label"], text))
    known = {param["name"] for param in described}
    rows += [(key_label(name), readable(value, key=name)) for name, value in params.items() if name not in known]
    return rows_table(rows)
