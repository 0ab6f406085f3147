"""The issue rules of the fire process [001] and the FAQ [004] that decide whether a
recorded policy may be issued: double insurance, partners' shares, the special cases that
need the supervision office's authorisation. Pure functions over plain values; the
services call them and turn a problem into an `ApplicationError`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.text import DECIMAL_SEPARATOR, PERCENT_SIGNS, to_latin_digits, to_persian_digits
from insurers.lines import LineCode

FIRE = LineCode.FIRE.value
BODY = LineCode.BODY.value
THIRD_PARTY = LineCode.THIRD_PARTY.value
ELECTRONICS = LineCode.ELECTRONICS.value

# --- double insurance (بیمه مضاعف) [004] -----------------------------------------------------
#
# "بیمه نمودن یک محل مشخص در برابر خطرات معین نزد دو یا چند شرکت بیمه امکان پذیر نیست."
# The property's identity, per line:
# - fire: the postal code (10 digits) plus the unit, when the building has several units;
# - body: the chassis number (VIN), else the plate;
# - electronics: the device's serial number (or IMEI).
# Third-party is left out on purpose: [003] allows buying the next third-party policy before
# the current one ends ("در مدت زمانی که بیمه نامه قبلی و بعد هم پوشانی دارند … از بیمه نامه
# قبلی استفاده می شود"), so an overlap there is an early renewal, not double insurance.
# Travel insures a person, not property.


def _clean(value) -> str:
    text = to_latin_digits(str(value or "")).strip().upper()
    return re.sub(r"[\s\-_/]+", "", text)


def property_key(line: str, params: dict) -> str:
    """The insured property's identity for `line`, or "" when the line has none or it is not given."""
    params = params or {}
    if line == FIRE:
        postal_code = _clean(params.get("postal_code"))
        if not postal_code:
            return ""
        unit = _clean(params.get("unit"))
        return f"fire:{postal_code}:{unit}"
    if line == BODY:
        vin = _clean(params.get("vin"))
        if vin:
            return f"body:vin:{vin}"
        plate = _clean(params.get("plate"))
        return f"body:plate:{plate}" if plate else ""
    if line == ELECTRONICS:
        serial = _clean(params.get("serial"))
        return f"electronics:{serial}" if serial else ""
    return ""


def property_key_problems(line: str, params: dict) -> dict[str, str]:
    """Shape checks on the identity fields the agent typed (field → message)."""
    params = params or {}
    problems = {}
    if line == FIRE and params.get("postal_code"):
        if not re.fullmatch(r"\d{10}", _clean(params["postal_code"])):
            problems["postal_code"] = _("کد پستی مورد بیمه باید ۱۰ رقم باشد.")
    if line == BODY and params.get("vin"):
        if not re.fullmatch(r"[A-Z0-9]{6,20}", _clean(params["vin"])):
            problems["vin"] = _("شماره شاسی (VIN) فقط حروف لاتین و رقم است، ۶ تا ۲۰ نویسه.")
    return problems


def double_insurance_message(*, number: str, insurer: str) -> str:
    return _(
        "بیمه مضاعف ممکن نیست: همین مورد بیمه برای دوره‌ای هم‌پوشان در بیمه‌نامه %(number)s (%(insurer)s) "
        "بیمه شده است؛ یک محل یا مال مشخص را نمی‌توان نزد دو بیمه‌گر یا دو بار بیمه کرد."
    ) % {"number": number, "insurer": insurer}


# --- partners' shares (سهم شرکا) [004] -------------------------------------------------------
#
# "نام و میزان سهم شرکا از اموال بیمه‌شده باید در زمان صدور بیمه‌نامه به بیمه‌گر اعلام گردد تا در
# بیمه‌نامه صادر شده مشخص شود." Each partner: a name, an optional national code, and a share in
# percent (up to two decimals, so a third is 33.33 + 33.33 + 33.34); the shares sum to 100.

HUNDRED = Decimal(100)


def _share(value) -> Decimal | None:
    text = to_latin_digits(str(value if value is not None else "")).strip()
    text = text.replace(DECIMAL_SEPARATOR, ".").rstrip(PERCENT_SIGNS).strip()
    try:
        share = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not share.is_finite() or share.as_tuple().exponent < -2:
        return None
    return share


def partners_clean(partners) -> tuple[list[dict], str]:
    """(the partners as stored, a problem message or "").

    Stored rows: {"name", "national_code", "share"} with the share as a string ("33.33").
    """
    if not partners:
        return [], ""
    if not isinstance(partners, list):
        return [], _("شرکا باید فهرستی از نام و سهم باشد.")
    rows = []
    total = Decimal(0)
    for partner in partners:
        if not isinstance(partner, dict):
            return [], _("برای هر شریک نام و سهم را بدهید.")
        name = str(partner.get("name") or "").strip()
        if not name:
            return [], _("نام هر شریک را وارد کنید.")
        share = _share(partner.get("share"))
        if share is None or share <= 0 or share > HUNDRED:
            return [], _("سهم «%(name)s» باید درصدی بیشتر از صفر و تا ۱۰۰ باشد (حداکثر دو رقم اعشار).") % {"name": name}
        total += share
        rows.append(
            {
                "name": name[:120],
                "national_code": to_latin_digits(str(partner.get("national_code") or "")).strip()[:10],
                "share": f"{share.normalize():f}",
            }
        )
    if len(rows) < 2:
        return [], _("سهم شرکا برای مالکیت مشترک است: دست‌کم دو شریک با سهم هر یک وارد کنید.")
    if total != HUNDRED:
        return [], _(
            "جمع سهم شرکا باید ۱۰۰ درصد باشد (اکنون %(total)s درصد)؛ نام و سهم هر شریک در بیمه‌نامه درج می‌شود."
        ) % {"total": to_persian_digits(f"{total.normalize():f}")}
    return rows, ""


# --- special cases: the supervision office's authorisation [001] -------------------------------
#
# "اداره صدور … جهت دریافت هر گونه مجوز صدور بیمه‌نامه خاص (از جمله مورد بیمه جدید، موضوع فعالیت
# جدید، درخواست تخفیف برای مشتری و...)، بالا بودن حجم سرمایه و یا ریسک بالای خطرات مورد درخواست
# مشتری، درخواست خود را … برای اداره نظارت بر صدور بیمه‌نامه‌ها ارسال می‌نماید."
# The source names no figure for "high capital". The only figure it gives for the branch's own
# authority is 10 billion rial ("کمتر از ده میلیارد ریال … مسئولیت آن برعهده خود شعبه"), so a fire
# policy above that needs the authorisation (setting POLICY_AUTHORISATION_CAPITAL to change it).

DISCOUNT_REQUEST = "discount_request"
HIGH_CAPITAL = "high_capital"
HIGH_RISK = "high_risk"
NEW_SUBJECT = "new_subject"
NEW_ACTIVITY = "new_activity"

DECLARED_CASES = (DISCOUNT_REQUEST, HIGH_RISK, NEW_SUBJECT, NEW_ACTIVITY)


def special_case_labels() -> dict[str, str]:
    return {
        DISCOUNT_REQUEST: _("درخواست تخفیف برای مشتری"),
        HIGH_CAPITAL: _("بالا بودن حجم سرمایه"),
        HIGH_RISK: _("ریسک بالای خطرات درخواستی"),
        NEW_SUBJECT: _("مورد بیمه جدید"),
        NEW_ACTIVITY: _("موضوع فعالیت جدید"),
    }


def authorisation_reasons(*, line: str, sum_insured: int, declared, capital_threshold: int) -> list[str]:
    """The special cases of a policy, in a fixed order: the ones the agent declared plus high capital."""
    declared = set(declared or ())
    reasons = [code for code in (DISCOUNT_REQUEST, NEW_SUBJECT, NEW_ACTIVITY) if code in declared]
    if line == FIRE and sum_insured > capital_threshold:
        reasons.append(HIGH_CAPITAL)
    if HIGH_RISK in declared:
        reasons.append(HIGH_RISK)
    return reasons
