"""Renewal: renewing a policy and the reminders before it ends."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.jalali import format_jalali
from core.services import audit_record
from core.text import LIST_SEPARATOR, to_persian_digits
from core.uploads import CleanUpload
from policies import conf, rules, selectors
from policies.models import (
    Endorsement,
    Policy,
    RenewalReminder,
)
from policies.services.common import _check_line_limits, _locked, _policy_url, _require_open, _short_term_bands
from policies.services.endorsements import _endorsement_create
from policies.services.recording import policy_record
from pricing.core import limits
from sms.services import sms_send_after_commit

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
    # notices (`notify`) go out after commit, never under the lock.
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
            _("در تمدید فقط سال ساخت خودرو (بدنه) را می‌توان افزود: %(keys)s")
            % {"keys": LIST_SEPARATOR.join(sorted(unknown))},
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
        notify(
            policy.customer,
            _("بیمه‌نامه شماره %(number)s تا %(day)s تمدید شد.")
            % {"number": policy.number, "day": format_jalali(ends_on)},
            url=_policy_url(policy),
            sms=True,
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
                notify(policy.customer, ending + " " + _("درخواست تمدید را با یک کلیک بفرستید."), url=link)
                sms_send_after_commit(
                    to=policy.customer.mobile,
                    text=ending + " " + _("تمدید با یک کلیک: %(link)s") % {"link": settings.SITE_URL + link},
                )
        except IntegrityError:
            continue  # already invited (this run raced another, or an earlier run)
        sent += 1
    return sent
