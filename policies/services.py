"""Writes for policies: recording, payments, issue, inspections, endorsements, cancellation,
renewal and renewal invitations.

Each state change has exactly one function here; the API views, the browser views, the
admin and the Celery task call these. Every write runs in one transaction, re-reads the
policy under a row lock when what it reads decides what it writes, and leaves an audit row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification, User
from accounts.validation import normalize_mobile
from agents.models import Agent
from core.exceptions import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from core.jalali import format_jalali, solar_year
from core.services import audit_record
from core.text import group_thousands, to_persian_digits
from core.uploads import CleanUpload
from insurance_requests.models import InsuranceRequest
from insurers.models import InsuranceLine, Insurer
from policies import conf, issue_rules, relationships, rules, selectors
from policies.models import (
    CapitalReview,
    Endorsement,
    Inspection,
    Installment,
    Policy,
    Recommendation,
    RenewalReminder,
)
from pricing.core import limits
from sms.services import sms_send_after_commit

logger = logging.getLogger(__name__)


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


def _tell(user, text: str, url: str = "") -> None:
    """An in-app notice and an SMS (after commit)."""
    Notification.objects.create(user=user, text=text[:300], url=url)
    sms_send_after_commit(to=user.mobile, text=text)


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


# --- recording -----------------------------------------------------------------------------


def policy_record(
    *,
    user,
    line: str,
    insurer: str,
    policy_number: str,
    starts_on: dt.date,
    ends_on: dt.date,
    premium: int,
    sum_insured: int,
    request: int | None = None,
    customer_mobile: str | None = None,
    issued_on: dt.date | None = None,
    actual_value: int | None = None,
    insured_items: list | None = None,
    covers: list | None = None,
    params: dict | None = None,
    payment_plan: str = Policy.PaymentPlan.CASH,
    installments: list[dict] | None = None,
    installments_count: int | None = None,
    paid_on: dt.date | None = None,
    payment_reference: str = "",
    inspection_required: bool = False,
    document: CleanUpload | None = None,
    renewal_of: Policy | None = None,
    mortgaged: bool = False,
    bank_letter: CleanUpload | None = None,
    partners: list | None = None,
    special_cases: list | None = None,
) -> Policy:
    """An agent records a policy for a customer (from an accepted request, or by mobile).

    Issued at once unless something [001] asks for before issue is missing: an inspection
    (fire: the pricing rule [004]) and its recommendations, the bank's letter for mortgaged
    property, the supervision office's authorisation for a special case; then it waits
    (`issue_blockers` says why). It is in force only once the first instalment is paid
    (`paid_on`, or a later payment) [001]. The same property may not be insured twice for
    an overlapping period [004]; co-owners' shares are stated and sum to 100% [004].
    """
    # Recording needs an open gateway: verified, a subscription in force (issue 13 point 1).
    agent = relationships.require_recording_agent(user)
    line_obj = InsuranceLine.objects.filter(code=line).first()
    if line_obj is None:
        raise ApplicationError(_("رشته بیمه «%(line)s» شناخته نیست.") % {"line": line}, field="line")
    insurer_obj = Insurer.objects.filter(code=insurer).first()
    if insurer_obj is None or insurer_obj.pk != agent.insurer_id:
        raise ApplicationError(_("شما فقط برای بیمه‌گر خود بیمه‌نامه ثبت می‌کنید."), field="insurer")
    customer, request_obj = _resolve_customer(
        agent=agent, request_id=request, customer_mobile=customer_mobile, line=line_obj
    )
    if customer.pk == user.pk:
        raise ApplicationError(_("نماینده نمی‌تواند برای خودش بیمه‌نامه ثبت کند."), field="customer_mobile")
    issued_on = issued_on or timezone.localdate()
    _check_dates(line_code=line, issued_on=issued_on, starts_on=starts_on, ends_on=ends_on)
    if premium <= 0:
        raise ApplicationError(_("حق‌بیمه باید بیشتر از صفر باشد."), field="premium")
    if sum_insured <= 0:
        raise ApplicationError(_("سرمایه بیمه‌شده باید بیشتر از صفر باشد."), field="sum_insured")
    number = policy_number.strip()
    if not number:
        raise ApplicationError(_("شماره بیمه‌نامه را وارد کنید."), field="policy_number")
    params = dict(params or {})
    _check_line_limits(line_code=line, params=params, bought_on=issued_on, starts_on=starts_on, ends_on=ends_on)
    if line == rules.BODY:
        params["build_year"] = rules.build_year_of(params)
    covers = sorted(set(covers or []))
    property_key, partners_rows, reasons = _issue_rule_checks(
        line=line,
        params=params,
        starts_on=starts_on,
        ends_on=ends_on,
        sum_insured=sum_insured,
        partners=partners,
        special_cases=special_cases,
    )
    schedule = _schedule(
        premium=premium,
        payment_plan=payment_plan,
        installments=installments,
        installments_count=installments_count,
        first_due_on=issued_on,
        line_code=line,
        insurer_code=insurer,
    )
    # A renewal is re-inspected on the two-year rule alone (the caller decides) [001].
    needs_inspection = inspection_required or (
        renewal_of is None
        and line == rules.FIRE
        and fire_inspection_required(params=params, sum_insured=sum_insured, covers=covers, starts_on=starts_on)
    )
    waits = needs_inspection or (mortgaged and bank_letter is None) or bool(reasons)
    now = timezone.now()
    with transaction.atomic():
        if property_key:
            # Two agents recording the same property at once: the second waits here, then sees
            # the first one's row and is refused like any double insurance [004].
            _lock_property(property_key)
            _refuse_double_insurance(line=line, key=property_key, params=params, starts_on=starts_on, ends_on=ends_on)
        policy = _policy_create(
            renewal_of=renewal_of,
            fields=dict(
                customer=customer,
                agent=agent,
                request=request_obj,
                insurer=insurer_obj,
                line=line_obj,
                number=number,
                status=Policy.Status.PENDING_ISSUE if waits else Policy.Status.ISSUED,
                insured_items=insured_items or [],
                sum_insured=sum_insured,
                actual_value=actual_value or sum_insured,
                covers=covers,
                params=params,
                issued_on=issued_on,
                starts_on=starts_on,
                ends_on=ends_on,
                premium=premium,
                payment_plan=payment_plan,
                inspection_required=needs_inspection,
                issued_at=None if waits else now,
                **(
                    {}
                    if waits
                    else _issued_terms(sum_insured=sum_insured, premium=premium, ends_on=ends_on, customer=customer)
                ),
                property_key=property_key,
                partners=partners_rows,
                mortgaged=bool(mortgaged),
                authorisation_reasons=reasons,
                created_by=user,
            ),
        )
        Installment.objects.bulk_create(
            Installment(policy=policy, number=index, due_on=row.due_on, amount=row.amount)
            for index, row in enumerate(schedule)
        )
        for index, row in enumerate(installments or []):
            if row.get("paid_on"):
                installment_pay(user=user, policy=policy, number=index, paid_on=row["paid_on"])
        if paid_on and not (installments and installments[0].get("paid_on")):
            installment_pay(user=user, policy=policy, number=0, paid_on=paid_on, reference=payment_reference)
        if document is not None:
            policy.document.save(document.content.name, document.content, save=False)
            policy.document_content_type = document.content_type
            policy.save(update_fields=["document", "document_content_type"])
        if bank_letter is not None:
            policy.bank_letter.save(bank_letter.content.name, bank_letter.content, save=False)
            policy.bank_letter_content_type = bank_letter.content_type
            policy.save(update_fields=["bank_letter", "bank_letter_content_type"])
        audit_record(
            actor=user,
            action="policy.record",
            target=policy,
            data={"number": number, "request": request_obj.pk if request_obj else None, "premium": premium},
        )
        _tell(
            customer,
            _("بیمه‌نامه %(line)s شماره %(number)s به نام شما در بیمه مال ثبت شد.")
            % {"line": line_obj.name, "number": number},
            _policy_url(policy),
        )
    policy.refresh_from_db()
    return policy


def _issue_rule_checks(
    *, line: str, params: dict, starts_on, ends_on, sum_insured: int, partners, special_cases
) -> tuple[str, list[dict], list[str]]:
    """The issue rules checked before anything is written: (property key, partners, special cases)."""
    problems = issue_rules.property_key_problems(line, params)
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=_input_field(field))
    key = issue_rules.property_key(line, params)
    _refuse_double_insurance(line=line, key=key, params=params, starts_on=starts_on, ends_on=ends_on)
    partners_rows, problem = issue_rules.partners_clean(partners)
    if problem:
        raise ApplicationError(problem, field="partners", code="partner_shares")
    unknown = set(special_cases or ()) - set(issue_rules.DECLARED_CASES)
    if unknown:
        raise ApplicationError(
            _("این مورد خاص شناخته نیست: %(codes)s") % {"codes": "، ".join(sorted(map(str, unknown)))},
            field="special_cases",
        )
    reasons = issue_rules.authorisation_reasons(
        line=line,
        sum_insured=sum_insured,
        declared=special_cases,
        capital_threshold=selectors.authorisation_capital(),
    )
    return key, partners_rows, reasons


def _refuse_double_insurance(*, line: str, key: str, params: dict, starts_on, ends_on) -> None:
    """No second live policy on the same property for an overlapping cover [004]."""
    other = selectors.overlapping_insurance(line=line, key=key, starts_on=starts_on, ends_on=ends_on)
    if other is not None:
        field = {"fire": "postal_code", "body": "vin" if params.get("vin") else "plate"}.get(line, "serial")
        raise ApplicationError(
            issue_rules.double_insurance_message(number=other.number, insurer=other.insurer.name),
            field=_input_field(field),
            code="double_insurance",
        )


def _lock_property(key: str) -> None:
    """A transaction-scoped PostgreSQL advisory lock on the property's identity (SQLite writes
    one transaction at a time anyway)."""
    if connection.vendor != "postgresql":
        return
    lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _issued_terms(*, sum_insured: int, premium: int, ends_on: dt.date, customer) -> dict:
    """The policy as issued, kept for the month's Saman file whatever endorsements change later."""
    return {
        "issued_sum_insured": sum_insured,
        "issued_premium": premium,
        "issued_ends_on": ends_on,
        "issued_national_code": customer.national_code or "",
    }


def _policy_create(*, renewal_of: Policy | None, fields: dict) -> Policy:
    """Insert the row; a clash on the policy number (or a second renewal) becomes a 409."""
    try:
        with transaction.atomic():
            return Policy.objects.create(renewal_of=renewal_of, **fields)
    except IntegrityError:
        if renewal_of is not None and Policy.objects.filter(renewal_of=renewal_of).exists():
            raise ConflictError(_("این بیمه‌نامه پیش‌تر تمدید شده است."), code="already_renewed") from None
        raise ConflictError(
            _("بیمه‌نامه‌ای با این شماره برای این بیمه‌گر پیش‌تر ثبت شده است."),
            field="policy_number",
            code="policy_number_taken",
        ) from None


def policy_document_attach(*, user, policy: Policy, document: CleanUpload) -> Policy:
    """The policy document (scan or PDF) as a private upload; replaces the previous one."""
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        refuse_third_party_duplicate(policy)  # [003] a lost third-party policy gets a certificate
        policy.document.save(document.content.name, document.content, save=False)
        policy.document_content_type = document.content_type
        policy.save(update_fields=["document", "document_content_type", "updated_at"])
        audit_record(actor=user, action="policy.document", target=policy, data={"size": document.size})
    return policy


# --- payments ------------------------------------------------------------------------------


def installment_pay(
    *, user, policy: Policy, paid_on: dt.date, number: int | None = None, reference: str = ""
) -> Installment:
    """Record a payment received: the given instalment, or the next unpaid one.

    Paying the first instalment is what puts the cover in force [001]. Decided on the
    locked policy: the same instalment paid twice at once is recorded once (409
    `already_paid`), and a receipt or cheque number already recorded on this policy is
    a 409 `duplicate_reference`, so a double submit of "the next unpaid one" does not
    pay two instalments with one receipt.
    """
    reference = reference.strip()
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        queryset = Installment.objects.select_for_update().filter(policy=policy)
        if reference and queryset.filter(reference=reference, paid_at__isnull=False).exists():
            raise ConflictError(
                _("پرداختی با این شماره فیش/چک پیش‌تر برای این بیمه‌نامه ثبت شده است."),
                field="reference",
                code="duplicate_reference",
            )
        if number is None:
            installment = queryset.filter(paid_at__isnull=True).order_by("number").first()
            if installment is None:
                raise ConflictError(_("همه اقساط این بیمه‌نامه پرداخت شده است."), code="all_paid")
        else:
            installment = queryset.filter(number=number).first()
            if installment is None:
                raise ApplicationError(_("چنین قسطی در این بیمه‌نامه نیست."), field="number")
            if installment.paid_at is not None:
                raise ConflictError(_("این قسط پیش‌تر پرداخت شده است."), code="already_paid")
        if paid_on > timezone.localdate():
            raise ApplicationError(_("تاریخ پرداخت نمی‌تواند در آینده باشد."), field="paid_on")
        now = timezone.now()
        installment.paid_at = now
        installment.paid_on = paid_on
        installment.reference = reference
        installment.recorded_by = user
        installment.save(update_fields=["paid_at", "paid_on", "reference", "recorded_by"])
        if policy.first_paid_at is None and installment.number == 0:
            # The paid_on date, at the moment of recording if that is today: cover binds from then.
            stamp = now if paid_on == timezone.localdate() else _start_of(paid_on)
            Policy.objects.filter(pk=policy.pk).update(first_paid_at=stamp)
        audit_record(
            actor=user,
            action="policy.installment_pay",
            target=policy,
            data={"number": installment.number, "amount": installment.amount, "paid_on": paid_on.isoformat()},
        )
    return installment


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- issue and inspections -----------------------------------------------------------------


def policy_mark_issued(*, user, policy: Policy) -> Policy:
    """Issue a policy that waited for its inspection: only once every recommendation is met [001]."""
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if policy.status == Policy.Status.ISSUED:
            raise ConflictError(_("این بیمه‌نامه پیش‌تر صادر شده است."), code="already_issued")
        blockers = selectors.issue_blockers(policy)
        if blockers:
            raise ConflictError(" ".join(blockers), code="issue_blocked")
        policy.status = Policy.Status.ISSUED
        policy.issued_at = timezone.now()
        terms = _issued_terms(
            sum_insured=policy.sum_insured, premium=policy.premium, ends_on=policy.ends_on, customer=policy.customer
        )
        for name, value in terms.items():
            setattr(policy, name, value)
        policy.save(update_fields=["status", "issued_at", *terms, "updated_at"])
        audit_record(actor=user, action="policy.issue", target=policy)
        _tell(
            policy.customer,
            _("بیمه‌نامه شماره %(number)s صادر شد.") % {"number": policy.number},
            _policy_url(policy),
        )
    return policy


def policy_bank_letter_attach(*, user, policy: Policy, document: CleanUpload) -> Policy:
    """The bank's letter for mortgaged property (نامه بانک), a private upload [001]; replaces
    the previous one. Without it a mortgaged policy is not issued."""
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        policy.bank_letter.save(document.content.name, document.content, save=False)
        policy.bank_letter_content_type = document.content_type
        fields = ["bank_letter", "bank_letter_content_type", "updated_at"]
        if not policy.mortgaged:
            # A letter only exists for mortgaged property: attaching one states it.
            policy.mortgaged = True
            fields.append("mortgaged")
        policy.save(update_fields=fields)
        audit_record(actor=user, action="policy.bank_letter", target=policy, data={"size": document.size})
    return policy


def policy_authorise(*, user, policy: Policy, reference: str, note: str = "") -> Policy:
    """Staff record the supervision office's authorisation (مجوز صدور) of a special case [001].

    Only staff: the agent asks, the supervision office decides. The letter's number is kept.
    """
    if not (user.is_active and user.is_staff):
        raise ForbiddenError(_("مجوز اداره نظارت را فقط کارکنان بیمه مال ثبت می‌کنند."), code="staff_only")
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(_("شماره نامه مجوز اداره نظارت را وارد کنید."), field="reference")
    with transaction.atomic():
        policy = _locked(policy)
        _require_open(policy)
        if not policy.authorisation_reasons:
            raise ConflictError(_("این بیمه‌نامه مورد خاصی ندارد که مجوز بخواهد."), code="no_authorisation_needed")
        if policy.authorised_at is not None:
            raise ConflictError(_("مجوز این بیمه‌نامه پیش‌تر ثبت شده است."), code="already_authorised")
        policy.authorised_at = timezone.now()
        policy.authorised_by = user
        policy.authorisation_reference = reference[:60]
        policy.save(update_fields=["authorised_at", "authorised_by", "authorisation_reference", "updated_at"])
        audit_record(
            actor=user,
            action="policy.authorise",
            target=policy,
            data={"reference": policy.authorisation_reference, "reasons": policy.authorisation_reasons, "note": note},
        )
        Notification.objects.create(
            user=policy.agent.user,
            text=_("مجوز اداره نظارت برای بیمه‌نامه %(number)s ثبت شد.") % {"number": policy.number},
            url=_policy_url(policy),
        )
    return policy


def inspection_record(
    *,
    user,
    policy: Policy,
    kind: str,
    inspected_on: dt.date,
    inspector: str,
    report: str,
    recommendations: list[str] | None = None,
    complied: list[int] | None = None,
    reason: str = Inspection.Reason.ISSUE,
    endorsement: Endorsement | int | None = None,
    site: str = Inspection.Site.CURRENT,
    site_address: str = "",
) -> Inspection:
    """An inspection report: the initial one lists safety recommendations; a secondary visit
    confirms which were complied with [001].

    Only a secondary inspection confirms recommendations (`complied`), and only ones an
    earlier visit made: the insured's word alone does not lift them before issue. An
    inspection for an endorsement (`endorsement`, its number on the policy) puts the
    covers that waited for it (pipe burst, rain and snow, theft, …) on the policy [001].
    Everything is checked before the first row is written.
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if kind not in Inspection.Kind.values:
            raise ApplicationError(_("نوع بازدید نامعتبر است."), field="kind")
        if kind == Inspection.Kind.SECONDARY and not policy.inspections.filter(kind=Inspection.Kind.INITIAL).exists():
            raise ApplicationError(_("بازدید ثانویه پس از بازدید اولیه ثبت می‌شود."), field="kind")
        if inspected_on > timezone.localdate():
            raise ApplicationError(_("تاریخ بازدید نمی‌تواند در آینده باشد."), field="inspected_on")
        complied = sorted(set(complied or []))
        to_confirm = _recommendations_to_confirm(policy=policy, kind=kind, inspected_on=inspected_on, ids=complied)
        endorsement = _endorsement_for_inspection(policy=policy, endorsement=endorsement)
        if endorsement is not None:
            reason = Inspection.Reason.ENDORSEMENT
        site_address = (site_address or "").strip()
        if site not in Inspection.Site.values:
            raise ApplicationError(_("محل بازدید نامعتبر است."), field="site")
        if site == Inspection.Site.NEW:
            # A visit of the site an address change moves to, before that endorsement [004].
            if endorsement is not None:
                raise ApplicationError(
                    _("بازدید محل جدید پیش از صدور الحاقی تغییر نشانی ثبت می‌شود."), field="endorsement"
                )
            if not site_address:
                raise ApplicationError(_("نشانی محل جدید را بنویسید."), field="site_address")
            reason = Inspection.Reason.ENDORSEMENT
        inspection = Inspection.objects.create(
            policy=policy,
            endorsement=endorsement,
            kind=kind,
            reason=reason,
            inspected_on=inspected_on,
            inspector=inspector.strip(),
            report=report.strip(),
            site=site,
            site_address=site_address[:300],
            created_by=user,
        )
        texts = [text.strip() for text in (recommendations or []) if text and text.strip()]
        Recommendation.objects.bulk_create(Recommendation(inspection=inspection, text=text[:300]) for text in texts)
        if to_confirm:
            now = timezone.now()
            for recommendation in to_confirm:
                recommendation.verified_by_inspection = inspection
                if recommendation.complied_at is None:
                    recommendation.complied_at = now
                    recommendation.complied_by = user
            Recommendation.objects.bulk_update(to_confirm, ["verified_by_inspection", "complied_at", "complied_by"])
        activated = _activate_inspected_covers(policy=policy, endorsement=endorsement)
        audit_record(
            actor=user,
            action="policy.inspection",
            target=policy,
            data={
                "inspection": inspection.pk,
                "kind": kind,
                "recommendations": len(texts),
                "complied": complied,
                "endorsement": endorsement.number if endorsement else None,
                "covers_in_force": activated,
            },
        )
    return inspection


def _recommendations_to_confirm(*, policy: Policy, kind: str, inspected_on: dt.date, ids: list[int]):
    """The recommendations a secondary inspection confirms; refused when any cannot be [001]."""
    if not ids:
        return []
    if kind != Inspection.Kind.SECONDARY:
        raise ApplicationError(
            _("رعایت توصیه‌های ایمنی را فقط بازدید ثانویه تأیید می‌کند؛ نوع بازدید را «بازدید ثانویه» بگذارید."),
            field="complied",
        )
    found = list(
        selectors.open_recommendations(policy).select_for_update().filter(pk__in=ids).select_related("inspection")
    )
    if len(found) != len(ids):
        raise ApplicationError(_("برخی توصیه‌ها پیدا نشدند یا پیش‌تر تأیید شده‌اند."), field="complied")
    if any(row.inspection.inspected_on > inspected_on for row in found):
        raise ApplicationError(
            _("بازدید ثانویه نمی‌تواند پیش از بازدیدی باشد که توصیه را داده است."), field="inspected_on"
        )
    return found


def _endorsement_for_inspection(*, policy: Policy, endorsement) -> Endorsement | None:
    if endorsement is None or endorsement == "":
        return None
    if isinstance(endorsement, Endorsement):
        found = endorsement if endorsement.policy_id == policy.pk else None
    else:
        found = policy.endorsements.filter(number=endorsement).first()
    if found is None:
        raise ApplicationError(_("این الحاقی در این بیمه‌نامه نیست."), field="endorsement")
    return found


def _activate_inspected_covers(*, policy: Policy, endorsement: Endorsement | None) -> list[str]:
    """The endorsement's covers that waited for this inspection go on the policy now [001]."""
    if endorsement is None:
        return []
    waiting = selectors.endorsement_added_reinspection_covers(endorsement)
    added = sorted(waiting - set(policy.covers))
    if added:
        policy.covers = sorted(set(policy.covers) | waiting)
        policy.save(update_fields=["covers", "updated_at"])
    return added


def recommendation_comply(*, user, policy: Policy, recommendation_id: int) -> Recommendation:
    """Note that the insured says one safety recommendation is met.

    The note does not lift it: the policy is issued only once a secondary inspection has
    confirmed it (`inspection_record` with `complied`) [001].
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        recommendation = (
            Recommendation.objects.select_for_update().filter(pk=recommendation_id, inspection__policy=policy).first()
        )
        if recommendation is None:
            raise NotFoundError(_("توصیه ایمنی پیدا نشد."))
        if recommendation.complied_at is not None:
            raise ConflictError(_("این توصیه پیش‌تر رعایت‌شده ثبت شده است."), code="already_complied")
        recommendation.complied_at = timezone.now()
        recommendation.complied_by = user
        recommendation.save(update_fields=["complied_at", "complied_by"])
        audit_record(actor=user, action="policy.recommendation_comply", target=policy, data={"id": recommendation.pk})
    return recommendation


# --- endorsements --------------------------------------------------------------------------

CHANGE_KEYS = (
    "address",
    "sum_insured",
    "covers",
    "owner_mobile",
    "insured_name",
    "insured_items",
    "conditions",
    "vehicle",
    "postal_code",
    "unit",
)
# What a car change (`vehicle`) may carry; `owner` says whose name the new car is in.
VEHICLE_KEYS = ("build_year", "owner", "vin", "plate")


def _clean_changes(policy: Policy, changes: dict) -> dict:
    if not isinstance(changes, dict) or not changes:
        raise ApplicationError(_("دست‌کم یک تغییر را وارد کنید."), field="changes")
    unknown = set(changes) - set(CHANGE_KEYS)
    if unknown:
        raise ApplicationError(
            _("این تغییرها شناخته نیستند: %(keys)s") % {"keys": "، ".join(sorted(unknown))}, field="changes"
        )
    cleaned = dict(changes)
    if "sum_insured" in cleaned:
        try:
            cleaned["sum_insured"] = int(cleaned["sum_insured"])
        except (TypeError, ValueError):
            raise ApplicationError(_("سرمایه جدید باید عدد (ریال) باشد."), field="changes") from None
        if cleaned["sum_insured"] <= 0:
            raise ApplicationError(_("سرمایه جدید باید بیشتر از صفر باشد."), field="changes")
    if "covers" in cleaned:
        if not isinstance(cleaned["covers"], list):
            raise ApplicationError(_("پوشش‌ها باید فهرستی از کدها باشد."), field="changes")
        cleaned["covers"] = sorted({str(code) for code in cleaned["covers"]})
    if "owner_mobile" in cleaned:
        try:
            cleaned["owner_mobile"] = normalize_mobile(cleaned["owner_mobile"])
        except Exception:
            raise ApplicationError(_("شماره موبایل مالک جدید معتبر نیست."), field="changes") from None
        refused = limits.owner_transfer(policy.line.code)
        if refused:
            raise ApplicationError(refused, field="changes", code="owner_transfer_refused")
        # The new owner is a customer like any other (issue 13 point 1): only someone in a
        # relationship with the issuing agent, and one answer whether the number is
        # registered or not, so an owner change cannot probe who has an account.
        if relationships.customer_for_agent(agent=policy.agent, mobile=cleaned["owner_mobile"]) is None:
            raise ApplicationError(str(NEW_OWNER_NO_RELATIONSHIP), field="changes", code="no_relationship")
    if "vehicle" in cleaned:
        cleaned["vehicle"] = _clean_vehicle(policy, cleaned["vehicle"])
    _clean_site_identity(policy, cleaned)
    return cleaned


def _clean_site_identity(policy: Policy, cleaned: dict) -> None:
    """A fire policy that moves names the new site's postal code (and unit), when the policy
    was identified by one: the double-insurance rule follows the place insured [004]."""
    if {"postal_code", "unit"} & set(cleaned) and policy.line.code != rules.FIRE:
        raise ApplicationError(_("کد پستی و واحد فقط در تغییر نشانی بیمه‌نامه آتش‌سوزی است."), field="changes")
    if "address" in cleaned and policy.params.get("postal_code") and not cleaned.get("postal_code"):
        raise ApplicationError(
            _("بیمه‌نامه آتش‌سوزی با نشانی جدید به کد پستی محل جدید ثبت می‌شود؛ کد پستی ده‌رقمی محل جدید را وارد کنید."),
            field="changes",
            code="site_postal_code_missing",
        )
    if ("postal_code" in cleaned or "unit" in cleaned) and "address" not in cleaned:
        raise ApplicationError(_("کد پستی محل جدید همراه نشانی جدید تغییر می‌کند."), field="changes")
    for key in ("postal_code", "unit"):
        if key in cleaned:
            cleaned[key] = str(cleaned[key] or "").strip()
    problems = issue_rules.property_key_problems(policy.line.code, {"postal_code": cleaned.get("postal_code")})
    if problems:
        raise ApplicationError(next(iter(problems.values())), field="changes", code="bad_site_postal_code")


def _clean_vehicle(policy: Policy, vehicle) -> dict:
    """The policy moves to another car: body only, to a car of the insured or the spouse,
    and the new car is held to the same age limit as a new policy [004]."""
    if not isinstance(vehicle, dict) or set(vehicle) - set(VEHICLE_KEYS):
        raise ApplicationError(
            _("خودروی جدید را با سال ساخت، مالک (insured یا spouse)، شماره شاسی یا پلاک بفرستید."), field="changes"
        )
    owner = str(vehicle.get("owner") or "")
    refused = limits.car_transfer(policy.line.code, owner=owner)
    if refused:
        raise ApplicationError(refused, field="changes", code="car_transfer_refused")
    build_year = rules.build_year_of(vehicle)
    if build_year is None:
        raise ApplicationError(limits.build_year_missing_message(), field="changes", code="car_too_old")
    today = timezone.localdate()
    too_old = limits.car_age(
        policy.line.code,
        build_year=build_year,
        this_solar_year=solar_year(today),
        tariff=_tariff(today).line(rules.BODY),
    )
    if too_old:
        raise ApplicationError(too_old, field="changes", code="car_too_old")
    cleaned = {"owner": owner, "build_year": build_year}
    for key in ("vin", "plate"):
        if vehicle.get(key):
            cleaned[key] = str(vehicle[key]).strip()
    return cleaned


def _new_property_key(policy: Policy, changes: dict) -> str:
    """The identity of what the policy moves to: the car of a body policy (`changes.vehicle`),
    the new site of a fire policy (`changes.postal_code`); "" when it does not move."""
    params = _params_with_property(policy.params, changes)
    return issue_rules.property_key(policy.line.code, params) if params is not None else ""


def _params_with_property(params: dict, changes: dict) -> dict | None:
    if "vehicle" in changes:
        return _params_with_car(params, changes["vehicle"])
    if changes.get("postal_code"):
        site = {"postal_code": changes["postal_code"], "unit": changes.get("unit", "")}
        return {**params, **site}
    return None


def _params_with_car(params: dict, vehicle: dict) -> dict:
    """The params of a body policy moved to `vehicle`: the old car's chassis number and plate
    go with it (the new car is known by its own, or is not identified at all)."""
    kept = {key: value for key, value in params.items() if key not in ("vin", "plate")}
    car = {name: vehicle[name] for name in ("build_year", "vin", "plate") if name in vehicle}
    return {**kept, **car}


def _refuse_new_property_double_insurance(policy: Policy, changes: dict, *, effective_on: dt.date) -> None:
    """The car a body policy moves to, or the site a fire policy moves to, may not be insured
    already for the rest of the term: the same double-insurance rule as a new policy [004]."""
    if "vehicle" in changes:
        car = {name: changes["vehicle"][name] for name in ("vin", "plate") if name in changes["vehicle"]}
        problems = issue_rules.property_key_problems(policy.line.code, car)
        if problems:
            raise ApplicationError(next(iter(problems.values())), field="changes", code="bad_vehicle_identity")
    other = selectors.overlapping_insurance(
        line=policy.line.code,
        key=_new_property_key(policy, changes),
        starts_on=effective_on,
        ends_on=policy.ends_on,
        exclude_pk=policy.pk,
    )
    if other is not None:
        raise ApplicationError(
            issue_rules.double_insurance_message(number=other.number, insurer=other.insurer.name),
            field="changes",
            code="double_insurance",
        )


def endorsement_preview(
    *,
    policy: Policy,
    changes: dict,
    effective_on: dt.date | None = None,
    annual_premium_delta: int | None = None,
) -> dict:
    """The premium difference for the remaining period, shown before the agent confirms."""
    cleaned = _clean_changes(policy, changes)
    effective_on = effective_on or timezone.localdate()
    if not policy.starts_on <= effective_on <= policy.ends_on:
        raise ApplicationError(_("تاریخ اثر الحاقی باید در مدت بیمه‌نامه باشد."), field="effective_on")
    quote = rules.endorsement_premium_delta(
        premium=policy.premium,
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        effective_on=effective_on,
        old_sum_insured=policy.sum_insured,
        new_sum_insured=cleaned.get("sum_insured"),
        annual_premium_delta=annual_premium_delta,
    )
    _address_change_inspections(policy, cleaned)  # refused before any figure is shown [004]
    _refuse_new_property_double_insurance(policy, cleaned, effective_on=effective_on)
    needs_inspection = "covers" in cleaned and rules.needs_reinspection(policy.covers, cleaned["covers"])
    # Shown before confirming: these covers work only from the new inspection [001].
    waiting_covers = (
        sorted((set(cleaned["covers"]) - set(policy.covers)) & rules.REINSPECTION_COVERS) if needs_inspection else []
    )
    return {
        "kind": quote.kind,
        "premium_delta": quote.premium_delta,
        "amount": abs(quote.premium_delta),
        "remaining_days": quote.remaining_days,
        "term_days": quote.term_days,
        "basis": quote.basis,
        "effective_on": effective_on,
        "needs_inspection": needs_inspection,
        "waiting_covers": waiting_covers,
        "changes": cleaned,
    }


def endorsement_issue(
    *,
    user,
    policy: Policy,
    kind: str,
    changes: dict,
    premium_delta: int | None = None,
    effective_on: dt.date | None = None,
    annual_premium_delta: int | None = None,
    description: str = "",
    payment_plan: str = Policy.PaymentPlan.CASH,
    installments: list[dict] | None = None,
    installments_count: int | None = None,
) -> Endorsement:
    """Issue an endorsement (الحاقی): additional, refund, or without financial effect [001].

    Without `premium_delta` the previewed difference is used. The sign must match the
    kind: an additional endorsement collects (and becomes an instalment due on its
    effective date), a refund pays back, and "no financial effect" moves no money.
    An additional premium may be paid part in cash and the rest in instalments [001]
    (`payment_plan="installments"`), under the policy's own instalment rules.
    Covers that need a new inspection are recorded but wait for it (`inspection_record`).
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if policy.status != Policy.Status.ISSUED:
            raise ConflictError(_("الحاقی فقط برای بیمه‌نامه صادرشده صادر می‌شود."), code="not_issued")
        if kind not in (Endorsement.Kind.ADDITIONAL, Endorsement.Kind.REFUND, Endorsement.Kind.NO_FINANCIAL_EFFECT):
            raise ApplicationError(_("نوع الحاقی نامعتبر است."), field="kind")
        preview = endorsement_preview(
            policy=policy, changes=changes, effective_on=effective_on, annual_premium_delta=annual_premium_delta
        )
        delta = preview["premium_delta"] if premium_delta is None else int(premium_delta)
        if kind == Endorsement.Kind.REFUND:
            delta = -abs(delta)
        if kind == Endorsement.Kind.ADDITIONAL and delta <= 0:
            raise ApplicationError(_("الحاقی اضافی باید حق‌بیمه اضافه داشته باشد."), field="premium_delta")
        if kind == Endorsement.Kind.REFUND and delta == 0:
            raise ApplicationError(_("الحاقی برگشتی باید مبلغ برگشتی داشته باشد."), field="premium_delta")
        if kind == Endorsement.Kind.NO_FINANCIAL_EFFECT and delta != 0:
            raise ApplicationError(
                _("الحاقی بدون اثر مالی تفاوت حق‌بیمه ندارد؛ نوع اضافی یا برگشتی را انتخاب کنید."),
                field="premium_delta",
            )
        if delta < 0 and -delta > selectors.policy_paid_total(policy):
            raise ApplicationError(_("مبلغ برگشتی از حق‌بیمه پرداخت‌شده بیشتر است."), field="premium_delta")
        cleaned = preview["changes"]
        new_property_key = _new_property_key(policy, cleaned)
        if new_property_key:
            # Two agents moving policies to the same car or site at once: the second sees the first.
            _lock_property(new_property_key)
            _refuse_new_property_double_insurance(policy, cleaned, effective_on=preview["effective_on"])
        site_visits = _address_change_inspections(policy, cleaned)
        schedule = _endorsement_schedule(
            policy=policy,
            delta=delta,
            effective_on=preview["effective_on"],
            payment_plan=payment_plan,
            installments=installments,
            installments_count=installments_count,
        )
        endorsement = _endorsement_create(
            user=user,
            policy=policy,
            kind=kind,
            changes=cleaned,
            delta=delta,
            effective_on=preview["effective_on"],
            needs_inspection=preview["needs_inspection"],
            description=description,
            schedule=schedule,
        )
        if site_visits:
            # The visits of both sites belong to this endorsement (and are not used twice).
            Inspection.objects.filter(pk__in=[visit.pk for visit in site_visits]).update(endorsement=endorsement)
        _apply_changes(policy, cleaned, waiting_covers=selectors.endorsement_pending_covers(endorsement))
        audit_record(
            actor=user,
            action="policy.endorsement",
            target=policy,
            data={"number": endorsement.number, "kind": kind, "premium_delta": delta, "changes": cleaned},
        )
        _tell(
            policy.customer,
            _("الحاقی شماره %(n)s برای بیمه‌نامه %(number)s صادر شد.")
            % {"n": to_persian_digits(endorsement.number), "number": policy.number},
            _policy_url(policy),
        )
    return endorsement


def endorsement_premium_adjust(
    *, user, policy: Policy, premium_delta: int, effective_on: dt.date, details: dict, description: str = ""
) -> Endorsement:
    """An endorsement that only settles the premium: the end-of-period adjustment of a
    floating (declaration) policy to the premium computed from its declarations [004].

    Additional when the insured owes more, a refund when the deposit was higher, without
    financial effect when they match [001]. `details` is the computation, kept on the row.
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if premium_delta > 0:
            kind = Endorsement.Kind.ADDITIONAL
        elif premium_delta < 0:
            kind = Endorsement.Kind.REFUND
        else:
            kind = Endorsement.Kind.NO_FINANCIAL_EFFECT
        endorsement = _endorsement_create(
            user=user,
            policy=policy,
            kind=kind,
            changes=details,
            delta=premium_delta,
            effective_on=effective_on,
            needs_inspection=False,
            description=description,
        )
        audit_record(
            actor=user,
            action="policy.endorsement",
            target=policy,
            data={"number": endorsement.number, "kind": kind, "premium_delta": premium_delta, "changes": details},
        )
    return endorsement


def _address_change_inspections(policy: Policy, changes: dict) -> list[Inspection]:
    """An address change of a fire policy on a place that needs inspection is endorsed only
    after the old and the new site were inspected [004]; the visits of the new site name
    the address the policy moves to. Returns the visits the endorsement takes."""
    if "address" not in changes or not selectors.address_change_needs_inspections(policy):
        return []
    visits = selectors.address_change_inspections(policy)
    new_site = visits.get(Inspection.Site.NEW)
    missing = []
    if visits.get(Inspection.Site.CURRENT) is None:
        missing.append(_("محل فعلی"))
    if new_site is None:
        missing.append(_("محل جدید"))
    if missing:
        raise ApplicationError(
            _(
                "تغییر نشانی بیمه‌نامه آتش‌سوزی پس از بازدید از محل قبلی و محل جدید با الحاقی ثبت می‌شود؛ "
                "گزارش بازدید %(missing)s ثبت نشده است."
            )
            % {"missing": " و ".join(missing)},
            field="address",
            code="address_inspections_missing",
        )
    if selectors.normalized_address(new_site.site_address) != selectors.normalized_address(changes["address"]):
        raise ApplicationError(
            _("نشانی جدید با نشانی محلی که بازدید شده («%(address)s») یکی نیست.") % {"address": new_site.site_address},
            field="address",
            code="address_not_inspected",
        )
    return [visits[Inspection.Site.CURRENT], new_site]


def _endorsement_schedule(
    *,
    policy: Policy,
    delta: int,
    effective_on: dt.date,
    payment_plan: str,
    installments: list[dict] | None,
    installments_count: int | None,
) -> list[rules.ScheduledPayment] | None:
    """How an additional premium is collected: at once, or part cash and the rest in
    instalments under the same rules as a policy's premium (≥ 30% down, ≤ 8 instalments) [001][004]."""
    if payment_plan not in Policy.PaymentPlan.values:
        raise ApplicationError(_("نحوه پرداخت نامعتبر است."), field="payment_plan")
    if payment_plan == Policy.PaymentPlan.CASH:
        return None
    if delta <= 0:
        raise ApplicationError(_("فقط حق‌بیمه اضافی الحاقی اضافی را می‌توان قسطی پرداخت کرد."), field="payment_plan")
    schedule = _schedule(
        premium=delta,
        payment_plan=payment_plan,
        installments=installments,
        installments_count=installments_count,
        first_due_on=effective_on,
        line_code=policy.line.code,
        insurer_code=policy.insurer.code,
    )
    if schedule[-1].due_on > policy.ends_on:
        raise ApplicationError(
            _("آخرین قسط حق‌بیمه اضافی باید پیش از پایان بیمه‌نامه (%(day)s) سررسید شود.")
            % {"day": format_jalali(policy.ends_on)},
            field="installments_count" if not installments else "installments",
            code="bad_installments",
        )
    return schedule


def _endorsement_create(
    *,
    user,
    policy: Policy,
    kind: str,
    changes: dict,
    delta: int,
    effective_on,
    needs_inspection,
    description,
    schedule: list[rules.ScheduledPayment] | None = None,
) -> Endorsement:
    number = (policy.endorsements.aggregate(top=Max("number"))["top"] or 0) + 1
    previous = {}
    for key in changes:
        if key == "owner_mobile":
            previous[key] = policy.customer.mobile
        elif key == "vehicle":
            previous[key] = {name: policy.params.get(name) for name in ("build_year", "vin", "plate", "car_owner")}
        elif key in ("sum_insured", "covers", "insured_items"):
            previous[key] = getattr(policy, key)
        else:
            previous[key] = policy.params.get(key)
    endorsement = Endorsement.objects.create(
        policy=policy,
        number=number,
        kind=kind,
        changes=changes,
        previous=previous,
        premium_delta=delta,
        effective_on=effective_on,
        needs_inspection=needs_inspection,
        description=description,
        created_by=user,
    )
    if delta > 0:
        # Cash: one row due on the effective date; otherwise the down payment and instalments.
        schedule = schedule or [rules.ScheduledPayment(effective_on, delta)]
        next_number = (policy.installments.aggregate(top=Max("number"))["top"] or 0) + 1
        Installment.objects.bulk_create(
            Installment(
                policy=policy, number=next_number + index, due_on=row.due_on, amount=row.amount, endorsement=endorsement
            )
            for index, row in enumerate(schedule)
        )
    return endorsement


def endorsement_claim_use(*, user, policy: Policy, claim_number: int, on: dt.date) -> Endorsement:
    """[003] a third-party loss paid from the policy is written on it as an endorsement: the
    cover was used and the no-claim years it carried are lost ("الحاقیه ای تحت عنوان استفاده
    از بیمه شخص ثالث و از بین رفتن سال های تخفیف عدم خسارت"). No financial effect; the next
    quote cuts the discount by the claim steps. Runs inside the claim's payment transaction.
    """
    policy = _locked(policy)
    endorsement = _endorsement_create(
        user=user,
        policy=policy,
        kind=Endorsement.Kind.NO_FINANCIAL_EFFECT,
        changes={"no_claim_lost_by_claim": claim_number},
        delta=0,
        effective_on=on,
        needs_inspection=False,
        description=_("استفاده از بیمه شخص ثالث و از بین رفتن سال‌های تخفیف عدم خسارت"),
    )
    audit_record(
        actor=user,
        action="policy.endorsement",
        target=policy,
        data={"number": endorsement.number, "kind": endorsement.kind, "claim": claim_number},
    )
    return endorsement


def _apply_changes(policy: Policy, changes: dict, *, waiting_covers=frozenset()) -> None:
    """Write the endorsed changes on the policy; covers waiting for an inspection stay off [001]."""
    fields = ["updated_at"]
    if "sum_insured" in changes:
        # The declared real value follows the sum insured unless it was recorded higher.
        if policy.actual_value <= policy.sum_insured:
            policy.actual_value = changes["sum_insured"]
            fields.append("actual_value")
        policy.sum_insured = changes["sum_insured"]
        fields.append("sum_insured")
    if "covers" in changes:
        policy.covers = sorted(set(changes["covers"]) - set(waiting_covers))
        fields.append("covers")
    if "insured_items" in changes:
        policy.insured_items = changes["insured_items"]
        fields.append("insured_items")
    if "owner_mobile" in changes:
        policy.customer = User.objects.get(mobile=changes["owner_mobile"])
        fields.append("customer")
    if "vehicle" in changes:
        # The car is part of what is insured: its build year (and identity) replace the old car's.
        vehicle = changes["vehicle"]
        policy.params = {**_params_with_car(policy.params, vehicle), "car_owner": vehicle["owner"]}
        fields.append("params")
        # The policy now insures the new car: a later policy on it is double insurance [004].
        policy.property_key = issue_rules.property_key(policy.line.code, policy.params)
        fields.append("property_key")
    for key in ("address", "insured_name", "conditions"):
        if key in changes:
            policy.params = {**policy.params, key: changes[key]}
            if "params" not in fields:
                fields.append("params")
    if changes.get("postal_code"):
        # The policy now insures the new site: its postal code and unit are its identity [004].
        policy.params = {**policy.params, "postal_code": changes["postal_code"], "unit": changes.get("unit", "")}
        policy.property_key = issue_rules.property_key(policy.line.code, policy.params)
        fields += [name for name in ("params", "property_key") if name not in fields]
    policy.save(update_fields=fields)


# --- cancellation --------------------------------------------------------------------------


def policy_cancel_preview(
    *,
    user,
    policy: Policy,
    by: str,
    on: dt.date,
    kind: str = rules.CANCELLATION,
    reason: str = "",
    visa_expires_on: dt.date | None = None,
) -> rules.CancellationQuote:
    """The refund a cancellation would give, without writing anything."""
    _require_open(policy)
    if by not in (rules.INSURED, rules.INSURER):
        raise ApplicationError(_("درخواست‌کننده فسخ باید بیمه‌گذار یا بیمه‌گر باشد."), field="by")
    if kind not in (rules.CANCELLATION, rules.ANNULMENT):
        raise ApplicationError(_("نوع درخواست باید فسخ یا ابطال باشد."), field="kind")
    if by == rules.INSURER and selectors.policy_role(user, policy) == selectors.CUSTOMER:
        raise ApplicationError(_("بیمه‌گذار فقط از طرف خودش درخواست فسخ می‌دهد."), field="by")
    line = policy.line.code
    if line == rules.TRAVEL and reason in rules.TRAVEL_KEPT_PERCENT:
        kind = rules.ANNULMENT  # [004] calls each of the three travel cases ابطال
    problems = rules.cancellation_problems(
        line=line,
        by=by,
        kind=kind,
        reason=reason,
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        on=on,
        visa_expires_on=visa_expires_on,
        has_claims=policy.claims.exclude(status="rejected").exists(),
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=field, code="cancellation_refused")
    return rules.cancellation_quote(
        line=line,
        by=by,
        kind=kind,
        reason=reason,
        total_premium=selectors.policy_total_premium(policy),
        paid=selectors.policy_paid_total(policy),
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        on=on,
        bands=_short_term_bands(policy.starts_on),
    )


def policy_cancel(
    *,
    user,
    policy: Policy,
    by: str,
    on: dt.date,
    kind: str = rules.CANCELLATION,
    reason: str = "",
    visa_expires_on: dt.date | None = None,
) -> Policy:
    """Cancel (فسخ) or annul (ابطال) a policy and record the refund [004]."""
    with transaction.atomic():
        policy = _locked(policy)
        quote = policy_cancel_preview(
            user=user, policy=policy, by=by, on=on, kind=kind, reason=reason, visa_expires_on=visa_expires_on
        )
        details = quote.as_dict()
        if visa_expires_on:
            details["visa_expires_on"] = visa_expires_on.isoformat()
        _close(
            policy,
            status=Policy.Status.ANNULLED if quote.kind == rules.ANNULMENT else Policy.Status.CANCELLED,
            on=on,
            by=by,
            reason=reason,
            details=details,
        )
        audit_record(actor=user, action=f"policy.{quote.kind}", target=policy, data=quote.as_dict())
        text = _("بیمه‌نامه شماره %(number)s %(what)s شد؛ مبلغ برگشتی: %(refund)s تومان.") % {
            "number": policy.number,
            "what": _("باطل") if quote.kind == rules.ANNULMENT else _("فسخ"),
            "refund": _toman(quote.refund),
        }
        _tell(policy.customer, text, _policy_url(policy))
        if policy.agent.user_id != user.pk:
            Notification.objects.create(user=policy.agent.user, text=text[:300], url=_policy_url(policy))
    return policy


# --- renewal -------------------------------------------------------------------------------


def policy_renew(
    *,
    user,
    policy: Policy,
    ends_on: dt.date,
    premium: int | None = None,
    starts_on: dt.date | None = None,
    policy_number: str = "",
    sum_insured: int | None = None,
    covers: list | None = None,
    payment_plan: str = Policy.PaymentPlan.CASH,
    installments: list[dict] | None = None,
    installments_count: int | None = None,
    paid_on: dt.date | None = None,
    params: dict | None = None,
    partners: list | None = None,
    mortgaged: bool | None = None,
    bank_letter: CleanUpload | None = None,
) -> Policy | Endorsement:
    """Renew: under a year → a short-term renewal endorsement; otherwise a new policy [001].

    The new policy starts where the old cover ends; a fire policy needs a new inspection
    when two years have passed since the place was last inspected (or first issued) [001].
    Travel policies cannot be renewed [004].

    The renewal carries the policy as it stands, its endorsed changes included [001]: the
    partners and their shares (`partners` replaces them) and the mortgage (`mortgaged=False`
    says it was released). A mortgaged renewal is a new issue, so it waits for the bank's
    letter like any new policy (`bank_letter`, or attached later) [001]. `params` gives only
    what the old policy lacks and a new one needs: a body car's `build_year`.
    """
    if selectors.policy_role(user, policy) != selectors.AGENT:
        raise ForbiddenError(_("تمدید را نماینده صادرکننده بیمه‌نامه ثبت می‌کند."), code="issuer_only")
    # The short-term scale a renewal endorsement prices by is read before the row lock (a
    # cache read: the lock waits on no network); used only if the locked row still ends there.
    # A missing tariff is left for the endorsement to refuse, after the renewal's own checks.
    bands = None
    if premium is None and (ends_on - (starts_on or policy.ends_on)).days < rules.DAYS_IN_YEAR:
        try:
            bands = _short_term_bands(policy.ends_on)
        except ApplicationError:
            pass
    seen_ends_on = policy.ends_on
    # One renewal at a time: every decision below is taken on the locked row, so a double
    # submit makes one renewal and the other waits here, then sees it and gets a 409. The SMS
    # notices (`_tell`) go out after commit, never under the lock.
    with transaction.atomic():
        policy = _locked(policy)
        _require_not_renewed_meanwhile(policy, seen_ends_on=seen_ends_on, ends_on=ends_on)
        return _renew_locked(
            user=user,
            policy=policy,
            bands=bands,
            ends_on=ends_on,
            premium=premium,
            starts_on=starts_on,
            policy_number=policy_number,
            sum_insured=sum_insured,
            covers=covers,
            payment_plan=payment_plan,
            installments=installments,
            installments_count=installments_count,
            paid_on=paid_on,
            params=params,
            partners=partners,
            mortgaged=mortgaged,
            bank_letter=bank_letter,
        )


def _require_not_renewed_meanwhile(policy: Policy, *, seen_ends_on: dt.date, ends_on: dt.date) -> None:
    """On the locked row: the cover's end the caller decided on has not moved since it read the
    policy (a concurrent short renewal, say), and this is not the same short renewal again."""
    if policy.ends_on != seen_ends_on:
        raise ConflictError(
            _("این بیمه‌نامه در همین میان تمدید یا اصلاح شده است؛ صفحه را تازه کنید و دوباره بررسی کنید."),
            code="already_renewed",
        )
    if (
        ends_on == policy.ends_on
        and policy.endorsements.filter(kind=Endorsement.Kind.RENEWAL, changes__ends_on=ends_on.isoformat()).exists()
    ):
        raise ConflictError(_("این بیمه‌نامه پیش‌تر تا همین تاریخ تمدید شده است."), code="already_renewed")


def _renew_locked(
    *,
    user,
    policy: Policy,
    bands,
    ends_on: dt.date,
    premium: int | None,
    starts_on: dt.date | None,
    policy_number: str,
    sum_insured: int | None,
    covers: list | None,
    payment_plan: str,
    installments: list[dict] | None,
    installments_count: int | None,
    paid_on: dt.date | None,
    params: dict | None,
    partners: list | None,
    mortgaged: bool | None,
    bank_letter: CleanUpload | None,
) -> Policy | Endorsement:
    """policy_renew's decisions and writes, on the policy locked by the caller's transaction."""
    _require_open(policy)
    not_renewable = limits.renewal(policy.line.code)
    if not_renewable:
        raise ApplicationError(not_renewable, field="policy", code="not_renewable")
    if Policy.objects.filter(renewal_of=policy).exists():
        raise ConflictError(_("این بیمه‌نامه پیش‌تر تمدید شده است."), code="already_renewed")
    starts_on = starts_on or policy.ends_on
    if starts_on < policy.ends_on:
        raise ApplicationError(_("تمدید از پایان بیمه‌نامه فعلی شروع می‌شود."), field="starts_on")
    if ends_on <= starts_on:
        raise ApplicationError(_("تاریخ پایان باید بعد از تاریخ شروع باشد."), field="ends_on")
    renewal_params = _renewal_params(policy, params)
    # The same limits as a new policy, before choosing the way: a body policy is never
    # extended by less than a year, however it is written [004].
    _check_line_limits(
        line_code=policy.line.code,
        params=renewal_params,
        bought_on=timezone.localdate(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if (ends_on - starts_on).days < rules.DAYS_IN_YEAR and starts_on == policy.ends_on:
        return _renew_by_endorsement(user=user, policy=policy, ends_on=ends_on, premium=premium, bands=bands)
    if not policy_number:
        raise ApplicationError(_("شماره بیمه‌نامه جدید را وارد کنید."), field="policy_number")
    if premium is None:
        raise ApplicationError(_("حق‌بیمه بیمه‌نامه تمدیدی را وارد کنید."), field="premium")
    # A new inspection two years after the last visit [001], or when the renewal adds a cover
    # that an endorsement could add only after one (pipe burst, theft, …) [001]: a renewal
    # is no back door around the visit an endorsement would need.
    reinspect = policy.line.code == rules.FIRE and (
        rules.reinspection_due(selectors.last_site_visit_or_issue(policy), timezone.localdate())
        or (covers is not None and rules.needs_reinspection(policy.covers, covers))
    )
    new_policy = policy_record(
        user=user,
        line=policy.line.code,
        insurer=policy.insurer.code,
        policy_number=policy_number,
        customer_mobile=policy.customer.mobile,
        starts_on=starts_on,
        ends_on=ends_on,
        premium=premium,
        sum_insured=sum_insured or policy.sum_insured,
        actual_value=max(policy.actual_value, sum_insured or 0) or None,
        insured_items=policy.insured_items,
        covers=policy.covers if covers is None else covers,
        params=renewal_params,
        payment_plan=payment_plan,
        installments=installments,
        installments_count=installments_count,
        paid_on=paid_on,
        inspection_required=reinspect,
        renewal_of=policy,
        partners=policy.partners if partners is None else partners,
        mortgaged=policy.mortgaged if mortgaged is None else mortgaged,
        bank_letter=bank_letter,
    )
    audit_record(
        actor=user, action="policy.renew", target=policy, data={"new_policy": new_policy.pk, "reinspect": reinspect}
    )
    return new_policy


# What a renewal may add to the old policy's params: only what a new policy needs and a
# policy recorded before the rule did not carry.
RENEWAL_PARAMS = ("build_year",)


def _renewal_params(policy: Policy, given: dict | None) -> dict:
    """The old policy's params, plus a body car's build year when the old policy lacks it
    (recorded before it was required): the renewal is held to the 20-year rule [004]."""
    params = dict(policy.params)
    given = {key: value for key, value in (given or {}).items() if value not in (None, "")}
    unknown = set(given) - set(RENEWAL_PARAMS)
    if unknown:
        raise ApplicationError(
            _("در تمدید فقط سال ساخت خودرو (بدنه) را می‌توان افزود: %(keys)s") % {"keys": "، ".join(sorted(unknown))},
            field=f"params.{min(unknown)}",
        )
    if "build_year" in given:
        if policy.line.code != rules.BODY:
            raise ApplicationError(_("سال ساخت خودرو فقط برای بیمه بدنه است."), field="params.build_year")
        build_year = rules.build_year_of(given)
        if build_year is None:
            raise ApplicationError(limits.build_year_missing_message(), field="params.build_year")
        recorded = rules.build_year_of(params)
        if recorded is not None and recorded != build_year:
            raise ApplicationError(
                _("سال ساخت این خودرو در بیمه‌نامه قبلی %(year)s ثبت شده است.") % {"year": to_persian_digits(recorded)},
                field="params.build_year",
            )
        params["build_year"] = build_year
    return params


def _renew_by_endorsement(*, user, policy: Policy, ends_on: dt.date, premium: int | None, bands=None) -> Endorsement:
    """A renewal for less than a year is a renewal endorsement on the same policy [001].

    Its premium is the short-term percent of the year's premium for the days added [001],
    unless the agent gives the insurer's own figure (a new year's tariff, say). Runs inside
    policy_renew's transaction, on the policy it locked (`bands`: the short-term scale it read
    before the lock).
    """
    if premium is None:
        bands = bands if bands is not None else _short_term_bands(policy.ends_on)
        term = rules.term_days(policy.starts_on, policy.ends_on)
        annual = rules.annual_premium(policy.premium, term=term, bands=bands)
        premium = rules.short_renewal_premium(annual, days=(ends_on - policy.ends_on).days, bands=bands)
    if premium <= 0:
        raise ApplicationError(_("حق‌بیمه تمدید باید بیشتر از صفر باشد."), field="premium")
    with transaction.atomic():
        policy = _locked(policy)
        old_ends_on = policy.ends_on
        endorsement = _endorsement_create(
            user=user,
            policy=policy,
            kind=Endorsement.Kind.RENEWAL,
            changes={"ends_on": ends_on.isoformat()},
            delta=premium,
            effective_on=old_ends_on,
            needs_inspection=False,
            description=_("تمدید کوتاه‌مدت"),
        )
        endorsement.previous = {"ends_on": old_ends_on.isoformat()}
        endorsement.save(update_fields=["previous"])
        policy.ends_on = ends_on
        policy.save(update_fields=["ends_on", "updated_at"])
        audit_record(
            actor=user,
            action="policy.renew_endorsement",
            target=policy,
            data={"endorsement": endorsement.number, "ends_on": ends_on.isoformat(), "premium": premium},
        )
        _tell(
            policy.customer,
            _("بیمه‌نامه شماره %(number)s تا %(day)s تمدید شد.")
            % {"number": policy.number, "day": format_jalali(ends_on)},
            _policy_url(policy),
        )
    return endorsement


def renewal_reminders_send(*, today: dt.date | None = None) -> int:
    """Invite customers to renew: a month before expiry, third-party a week before [001][003].

    Once per policy and kind: the RenewalReminder row is written (unique) before the text
    goes out, so a second run, or two workers at once, send nothing twice. Not for
    cancelled, annulled or already renewed policies, nor travel (not renewable [004]).
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(rules.RENEWAL_NOTICE_DAYS.values()))
    candidates = (
        Policy.objects.filter(status=Policy.Status.ISSUED, ends_on__gte=today, ends_on__lte=horizon)
        .exclude(line__code__in=limits.NOT_RENEWABLE)
        .filter(renewed_by__isnull=True)
        .select_related("customer", "line", "insurer")
        .order_by("ends_on", "id")
    )
    sent = 0
    for policy in candidates[: conf.renewal_reminder_batch()]:
        if not rules.renewal_notice_due(policy.line.code, policy.ends_on, today):
            continue
        kind = rules.renewal_notice_kind(policy.line.code)
        ending = _("بیمه مال: بیمه‌نامه %(line)s شماره %(number)s (%(insurer)s) در %(day)s به پایان می‌رسد.") % {
            "line": policy.line.name,
            "number": to_persian_digits(policy.number),
            "insurer": policy.insurer.name,
            "day": to_persian_digits(format_jalali(policy.ends_on)),
        }
        # The link opens a request filled with this policy's inputs, offered first to the
        # agent who issued it (issue 14 point 6); the SMS needs it absolute.
        link = reverse("policies:renewal_request", args=[policy.pk])
        try:
            with transaction.atomic():
                RenewalReminder.objects.create(policy=policy, kind=kind)
                Notification.objects.create(
                    user=policy.customer,
                    text=(ending + " " + _("درخواست تمدید را با یک کلیک بفرستید."))[:300],
                    url=link,
                )
                sms_send_after_commit(
                    to=policy.customer.mobile,
                    text=ending + " " + _("تمدید با یک کلیک: %(link)s") % {"link": settings.SITE_URL + link},
                )
        except IntegrityError:
            continue  # already invited (this run raced another, or an earlier run)
        sent += 1
    return sent


# --- capital review ------------------------------------------------------------------------


def capital_review_mark(*, user, policy: Policy, level: str, note: str = "", defects: str = "") -> CapitalReview:
    """Staff review a policy on a capital review list, once per list [001].

    The lists are the fire issuing office's: a policy of another line is on none, and only an
    issued policy is reviewed. Without `defects` the policy is approved and filed. With them
    the issuing agent is told, and the review waits: "the issuing office applies the
    corrections by an endorsement" — marking the same list again approves it only once an
    endorsement was issued after the defects were recorded.
    """
    if not (user.is_active and user.is_staff):
        raise ForbiddenError(_("بررسی سرمایه را کارکنان اداره نظارت ثبت می‌کنند."), code="staff_only")
    if level not in selectors.policy_capital_review_levels(policy):
        raise ApplicationError(_("سرمایه این بیمه‌نامه در این فهرست بررسی نیست."), field="level")
    if policy.issued_at is None:
        raise ConflictError(_("بیمه‌نامه هنوز صادر نشده است؛ بررسی سرمایه پس از صدور است."), code="not_issued")
    defects = (defects or "").strip()
    now = timezone.now()
    try:
        with transaction.atomic():
            review = CapitalReview.objects.select_for_update().filter(policy=policy, level=level).first()
            if review is None:
                review = CapitalReview.objects.create(
                    policy=policy,
                    level=level,
                    reviewed_by=user,
                    note=note,
                    outcome=CapitalReview.Outcome.DEFECTS if defects else CapitalReview.Outcome.APPROVED,
                    defects=defects,
                    approved_at=None if defects else now,
                )
                if defects:
                    Notification.objects.create(
                        user=policy.agent.user,
                        text=(
                            _("ایرادات اداره نظارت بر بیمه‌نامه %(number)s: %(defects)s — با صدور الحاقی اصلاح کنید.")
                            % {"number": policy.number, "defects": defects}
                        )[:300],
                        url=_policy_url(policy),
                    )
            elif review.outcome == CapitalReview.Outcome.APPROVED:
                raise ConflictError(_("این بیمه‌نامه در این فهرست پیش‌تر بررسی شده است."), code="already_reviewed")
            else:
                if defects:
                    raise ConflictError(
                        _("ایرادات پیشین این بیمه‌نامه هنوز باز است؛ پس از الحاقی اصلاحی بررسی را تأیید کنید."),
                        code="defects_open",
                    )
                correction = (
                    policy.endorsements.filter(issued_at__gt=review.reviewed_at).order_by("issued_at", "id").first()
                )
                if correction is None:
                    raise ConflictError(
                        _("ایرادات این بیمه‌نامه هنوز با صدور الحاقی اصلاح نشده است؛ پس از الحاقی اصلاحی تأیید کنید."),
                        code="defects_open",
                    )
                review.outcome = CapitalReview.Outcome.APPROVED
                review.corrected_by = correction
                review.approved_at = now
                review.save(update_fields=["outcome", "corrected_by", "approved_at"])
            audit_record(
                actor=user,
                action="policy.capital_review",
                target=policy,
                data={"level": level, "outcome": review.outcome, "defects": defects},
            )
    except IntegrityError:
        raise ConflictError(_("این بیمه‌نامه در این فهرست پیش‌تر بررسی شده است."), code="already_reviewed") from None
    return review


FRAUDULENT_OVER_INSURANCE = "fraudulent_over_insurance"

# The fields every way of ending a policy (cancellation, annulment, a void by the insurer) writes.
_CLOSING_FIELDS = [
    "status",
    "cancelled_at",
    "cancellation_on",
    "cancellation_by",
    "cancellation_reason",
    "cancellation_kept",
    "cancellation_refund",
    "cancellation_details",
    "updated_at",
]


def _close(policy: Policy, *, status: str, on: dt.date, by: str, reason: str, details: dict) -> None:
    """Write the end of a locked policy; `details` carries kept, refund and the basis shown on its page."""
    policy.status = status
    policy.cancelled_at = timezone.now()
    policy.cancellation_on = on
    policy.cancellation_by = by
    policy.cancellation_reason = reason[:40]
    policy.cancellation_kept = details["kept"]
    policy.cancellation_refund = details["refund"]
    policy.cancellation_details = details
    policy.save(update_fields=_CLOSING_FIELDS)


def policy_void_for_fraud(*, user, policy: Policy, reason: str) -> Policy:
    """Fraudulent over-insurance proved at a claim [004]: the policy is void (annulled from its
    start), the premiums received are kept (nothing refunded) and no loss is paid on it.

    Called by `claims.services.claim_void_for_fraud`, inside its transaction.
    """
    basis = _("ابطال به سبب بیمه مازاد متقلبانه؛ حق‌بیمه‌های دریافتی مسترد نمی‌شود")
    return _void(user=user, policy=policy, reason_code=FRAUDULENT_OVER_INSURANCE, reason=reason, basis=basis)


def policy_void_by_insurer(
    *, user, policy: Policy, reason_code: str, reason: str, effective_on: dt.date | None = None
) -> Policy:
    """The insurer voids a policy for an event the sources name at a claim, premiums kept and
    nothing refunded. Without `effective_on` it is annulled from its start (an electronics
    voiding event [003], like fraud); with it, it ends on that day (the whole device replaced on
    a claim [003]: the defective device's policy ends with the payment).

    Called by `claims.services`, inside its transaction.
    """
    return _void(
        user=user, policy=policy, reason_code=reason_code, reason=reason, basis=reason, effective_on=effective_on
    )


def _void(
    *, user, policy: Policy, reason_code: str, reason: str, basis: str, effective_on: dt.date | None = None
) -> Policy:
    with transaction.atomic():
        policy = _locked(policy)
        if policy.is_closed:
            raise ConflictError(_("این بیمه‌نامه پیش‌تر فسخ یا باطل شده است."), code="already_cancelled")
        kept = selectors.policy_paid_total(policy)
        _close(
            policy,
            status=Policy.Status.ANNULLED if effective_on is None else Policy.Status.CANCELLED,
            on=effective_on or policy.starts_on,
            by=rules.INSURER,
            reason=reason_code,
            details={"kind": reason_code, "kept": kept, "refund": 0, "reason": reason, "basis": str(basis)},
        )
        fraud = reason_code == FRAUDULENT_OVER_INSURANCE
        audit_record(
            actor=user,
            action="policy.void_for_fraud" if fraud else "policy.void_by_insurer",
            target=policy,
            data={"kind": reason_code, "kept": kept, "reason": reason},
        )
    return policy


def refuse_third_party_duplicate(policy: Policy) -> None:
    """[003] no duplicate (المثنی) of a third-party policy: see `policies.certificates`."""
    from policies.certificates import refuse_third_party_duplicate as refuse

    refuse(policy)
