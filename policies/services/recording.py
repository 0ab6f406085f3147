"""Recording a policy (from a request, an offer or by hand) and attaching its document."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from core.exceptions import ApplicationError, ConflictError
from core.services import audit_record
from core.text import LIST_SEPARATOR
from core.uploads import CleanUpload
from insurers.models import InsuranceLine, Insurer
from policies import issue_rules, relationships, rules, selectors
from policies.models import (
    Installment,
    Policy,
)
from policies.services.common import (
    _check_dates,
    _check_line_limits,
    _input_field,
    _locked,
    _policy_url,
    _resolve_customer,
    _schedule,
    fire_inspection_required,
    require_issuer_or_staff,
)
from policies.services.payments import installment_pay

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
        notify(
            customer,
            _("بیمه‌نامه %(line)s شماره %(number)s به نام شما در بیمه مال ثبت شد.")
            % {"line": line_obj.name, "number": number},
            url=_policy_url(policy),
            sms=True,
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
            _("این مورد خاص شناخته نیست: %(codes)s") % {"codes": LIST_SEPARATOR.join(sorted(map(str, unknown)))},
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


def refuse_third_party_duplicate(policy: Policy) -> None:
    """[003] no duplicate (المثنی) of a third-party policy: see `policies.certificates`."""
    from policies.certificates import refuse_third_party_duplicate as refuse

    refuse(policy)
