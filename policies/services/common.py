"""What every policy write shares: the row lock, notices, date and limit checks, the schedule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.validation import normalize_mobile
from agents.models import Agent
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.jalali import format_jalali
from core.text import group_thousands, to_persian_digits
from insurance_requests.models import InsuranceRequest
from insurers.models import InsuranceLine
from policies import relationships, rules, selectors
from policies.models import (
    Policy,
)

# --- helpers -------------------------------------------------------------------------------


NEW_OWNER_NO_RELATIONSHIP = gettext_lazy(
    "مالک جدید باید ابتدا ارتباط خود را با نماینده این بیمه‌نامه تأیید کند؛ از صفحه «بیمه‌گذاران من» "
    "برای شماره او درخواست ارتباط بفرستید."
)


def _locked(policy: Policy) -> Policy:
    """Re-read the policy under a row lock: its status decides the write that follows."""
    return (
        Policy.objects.select_for_update(of=("self",))
        .select_related("customer", "agent", "agent__user", "insurer", "line")
        .get(pk=policy.pk)
    )


def _toman(rial: int) -> str:
    return to_persian_digits(group_thousands(rial // 10))


def _policy_url(policy: Policy) -> str:
    return reverse("policies:detail", args=[policy.pk])


def require_issuer_or_staff(user, policy: Policy) -> None:
    """Changes to a policy are the issuing agent's (or staff's), never the customer's."""
    if selectors.policy_role(user, policy) == selectors.CUSTOMER:
        raise ForbiddenError(_("این کار را نماینده صادرکننده بیمه‌نامه انجام می‌دهد."), code="issuer_only")


def _require_open(policy: Policy) -> None:
    if policy.is_closed:
        raise ConflictError(_("این بیمه‌نامه فسخ یا باطل شده است."), code="policy_closed")


def _min_down_and_max_count(line_code: str, insurer_code: str | None = None):
    """The instalment terms a schedule must keep (`pricing.core.installments.InstallmentTerms`:
    minimum down payment, most instalments, months between them).

    Body and third party: the insurer's own plan in the tariff (issue 14 point 4), refused
    when it sells the line for cash only. Otherwise the tariff's rule (fire carries it
    [004]); the document's figures when no tariff is loaded.
    """
    from pricing.core.installments import PER_INSURER_LINES, InstallmentTerms, installment_terms

    document_terms = InstallmentTerms(min_down_percent=rules.MIN_DOWN_PERCENT, max_count=rules.MAX_INSTALLMENTS)
    try:
        from pricing.selectors import tariff_snapshot

        snapshot = tariff_snapshot()
    except ApplicationError:
        return document_terms
    if line_code in PER_INSURER_LINES and insurer_code:
        terms = installment_terms(snapshot, line_code, insurer_code)
        if terms is None:
            raise ApplicationError(
                _("این بیمه‌گر این رشته را فقط نقدی می‌فروشد؛ پرداخت اقساطی ممکن نیست."),
                field="payment_plan",
                code="cash_only",
            )
        return terms
    fire = snapshot.line(rules.FIRE)
    return InstallmentTerms(
        min_down_percent=fire.get("installments", "min_down_percent", rules.MIN_DOWN_PERCENT),
        max_count=int(fire.get("installments", "max_count", Decimal(rules.MAX_INSTALLMENTS))),
    )


def _tariff(on: dt.date):
    """The pricing tariff in force on a date; today's for a date before any tariff was loaded
    (a policy recorded after the fact)."""
    from pricing.selectors import TariffMissingError, tariff_snapshot

    try:
        return tariff_snapshot(on=on)
    except TariffMissingError:
        return tariff_snapshot()


def _short_term_bands(on: dt.date):
    """The short-term scale from the pricing tariff in force (pricing owns the numbers)."""
    return _tariff(on).general.int_bands("short_term")


def fire_inspection_required(*, params: dict, sum_insured: int, covers, starts_on: dt.date) -> bool:
    """The pricing engine's inspection rule for fire [004], applied to a recorded policy."""
    from pricing.core.lines.fire import FireInput, inspection_required

    building = int(params.get("building_value") or 0)
    contents = int(params.get("contents_value") or 0)
    if building + contents == 0:
        building = sum_insured
    inp = FireInput(
        property_type=str(params.get("property_type") or "residential"),
        construction_type=str(params.get("construction_type") or "concrete"),
        building_value=building,
        contents_value=contents,
        start_date=starts_on,
        covers=tuple(covers),
    )
    return inspection_required(inp, _tariff(starts_on).line(rules.FIRE))


def _resolve_customer(*, agent: Agent, request_id, customer_mobile: str | None, line: InsuranceLine):
    """From an accepted request this agent won, or by the mobile of a customer in a relationship
    with this agent (`policies.relationships`)."""
    if request_id:
        request = (
            InsuranceRequest.objects.select_related("customer", "line", "accepted_response")
            .filter(pk=request_id)
            .first()
        )
        won = (
            request is not None
            and request.status == InsuranceRequest.Status.ACCEPTED
            and request.accepted_response is not None
            and request.accepted_response.agent_id == agent.pk
        )
        if not won:
            raise ApplicationError(
                _("این درخواست پیدا نشد یا بیمه‌گذار پاسخ شما را نپذیرفته است."), field="request", code="bad_request"
            )
        if request.line_id != line.pk:
            raise ApplicationError(_("رشته بیمه‌نامه با رشته درخواست یکی نیست."), field="line")
        return request.customer, request
    if not customer_mobile:
        raise ApplicationError(_("شماره موبایل بیمه‌گذار را وارد کنید."), field="customer_mobile")
    try:
        mobile = normalize_mobile(customer_mobile)
    except Exception:
        raise ApplicationError(_("شماره موبایل بیمه‌گذار معتبر نیست."), field="customer_mobile") from None
    # Only a customer in a relationship with this agent; one query and one refusal for a
    # registered stranger and an unknown number alike (issue 13 point 1).
    customer = relationships.customer_for_agent(agent=agent, mobile=mobile)
    if customer is None:
        raise ApplicationError(str(relationships.NO_RELATIONSHIP), field="customer_mobile", code="no_relationship")
    return customer, None


def _schedule(
    *,
    premium: int,
    payment_plan: str,
    installments: list[dict] | None,
    installments_count: int | None,
    first_due_on: dt.date,
    line_code: str,
    insurer_code: str | None = None,
) -> list[rules.ScheduledPayment]:
    if payment_plan == Policy.PaymentPlan.CASH:
        return [rules.ScheduledPayment(first_due_on, premium)]
    terms = _min_down_and_max_count(line_code, insurer_code)
    min_down, max_count = terms.min_down_percent, terms.max_count
    if installments:
        schedule = [rules.ScheduledPayment(row["due_on"], int(row["amount"])) for row in installments]
    else:
        from pricing.core.installments import installment_schedule

        count = installments_count or max_count
        if not 1 <= count <= max_count:
            raise ApplicationError(
                _("تعداد اقساط باید بین ۱ و %(max)s باشد.") % {"max": to_persian_digits(max_count)},
                field="installments_count",
            )
        rows = installment_schedule(terms, premium=premium, first_due_on=first_due_on, count=count)
        schedule = [rules.ScheduledPayment(row.due_on, row.amount) for row in rows]
    problems = rules.installment_problems(premium, schedule, min_down_percent=min_down, max_installments=max_count)
    if problems:
        raise ApplicationError(" ".join(problems), field="installments", code="bad_installments")
    return schedule


def _check_dates(*, line_code: str, issued_on: dt.date, starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on <= starts_on:
        raise ApplicationError(_("تاریخ پایان باید بعد از تاریخ شروع باشد."), field="ends_on")
    if line_code == rules.THIRD_PARTY and starts_on < rules.earliest_third_party_start(issued_on):
        raise ApplicationError(
            _("پوشش شخص ثالث از ساعت ۰۰:۰۰ روز بعد از خرید شروع می‌شود؛ تاریخ شروع باید %(day)s یا بعد از آن باشد.")
            % {"day": format_jalali(rules.earliest_third_party_start(issued_on))},
            field="starts_on",
        )
    if (ends_on - starts_on).days > 3 * rules.DAYS_IN_YEAR:
        raise ApplicationError(_("مدت بیمه‌نامه بیش از حد طولانی است."), field="ends_on")


# The inputs a policy takes inside `params` (API.md): a refusal names them by their dotted
# path, `params.build_year`, so the API answers {"params": {"build_year": [...]}} as the
# quote does, and a page shows it on its own `build_year` input.
PARAMS_INPUTS = frozenset(
    {
        "build_year",
        "trip_type",
        "student_months",
        "property_type",
        "address",
        "postal_code",
        "unit",
        "vin",
        "plate",
        "serial",
    }
)


def _input_field(name: str) -> str:
    return f"params.{name}" if name in PARAMS_INPUTS else name


def _check_line_limits(*, line_code: str, params: dict, bought_on: dt.date, starts_on: dt.date, ends_on: dt.date):
    """The limits the quote applies (pricing.core.limits), held for a recorded or renewed policy
    too: body a year at least and no car over 20 years, travel's trip lengths, electronics a
    solar year [003][004]. The first problem becomes the refusal, on the field at fault."""
    if line_code not in (rules.BODY, rules.TRAVEL, rules.ELECTRONICS):
        return
    problems = rules.policy_limit_problems(
        line=line_code,
        params=params,
        bought_on=bought_on,
        starts_on=starts_on,
        ends_on=ends_on,
        tariff=_tariff(bought_on).line(line_code),
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=_input_field(field), code="line_limit")
