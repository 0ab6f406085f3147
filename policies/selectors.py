"""Reads for policies: the permission chokepoint, lists, money totals, cover state."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotFoundError
from core.text import LIST_SEPARATOR, PERSIAN_COMMA, to_latin_digits, to_persian_letters
from insurance_requests.models import InsuranceRequest
from policies import conf, issue_rules, rules
from policies.models import Endorsement, Inspection, Installment, Policy, Recommendation

CUSTOMER = "customer"
AGENT = "agent"
STAFF = "staff"


def _base() -> QuerySet[Policy]:
    return Policy.objects.select_related("customer", "agent", "agent__user", "insurer", "line")


def _not_found() -> NotFoundError:
    return NotFoundError(_("بیمه‌نامه پیدا نشد."))


def policy_visible_q(user) -> Q:
    """Who may see a policy: its customer, the agent who issued it, staff."""
    if user.is_staff:
        return Q()
    return Q(customer=user) | Q(agent__user=user)


def policy_for_user(user, policy_id, *, for_update: bool = False) -> Policy:
    """The permission chokepoint for policies: 404 for anyone who may not see it.

    A stranger gets the same 404 as for a policy that does not exist, so ids reveal nothing.
    With `for_update` the row is locked: callers read state from it to decide a write.
    """
    if user is None or not user.is_authenticated:
        raise _not_found()
    try:
        policy_id = int(policy_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    queryset = _base().filter(policy_visible_q(user))
    if for_update:
        # select_for_update cannot lock the nullable side of an outer join (PostgreSQL).
        queryset = Policy.objects.select_for_update().filter(policy_visible_q(user))
    policy = queryset.filter(pk=policy_id).first()
    if policy is None:
        raise _not_found()
    return policy


def policy_role(user, policy: Policy) -> str:
    """How the caller relates to a visible policy; the issuing agent wins over staff."""
    if policy.agent.user_id == user.pk:
        return AGENT
    if policy.customer_id == user.pk:
        return CUSTOMER
    return STAFF


def policy_list_for_user(user) -> QuerySet[Policy]:
    """The caller's own policies (customer) and the ones they issued (agent)."""
    if user is None or not user.is_authenticated:
        return Policy.objects.none()
    return (
        _base()
        .filter(Q(customer=user) | Q(agent__user=user))
        .prefetch_related("installments")
        .order_by("-created_at", "-id")
    )


def accepted_requests_for_agent(agent) -> QuerySet[InsuranceRequest]:
    """Requests this agent won and may now record a policy for."""
    return (
        InsuranceRequest.objects.filter(status=InsuranceRequest.Status.ACCEPTED, accepted_response__agent=agent)
        .select_related("customer", "line", "accepted_response__insurer")
        .order_by("-accepted_at", "-id")
    )


def policy_detail(policy_id) -> Policy:
    """A policy with everything its page shows (call after the chokepoint)."""
    return (
        _base()
        .prefetch_related(
            "installments",
            Prefetch("endorsements", queryset=Endorsement.objects.order_by("number")),
            Prefetch(
                "inspections",
                queryset=Inspection.objects.prefetch_related("recommendations").order_by("inspected_on", "id"),
            ),
        )
        .get(pk=policy_id)
    )


# --- money ---------------------------------------------------------------------------------


def policy_total_premium(policy: Policy) -> int:
    """The premium with every endorsement's difference (additional +, refund −)."""
    delta = policy.endorsements.aggregate(total=Sum("premium_delta"))["total"] or 0
    return policy.premium + delta


def policy_paid_total(policy: Policy, *, by: dt.date | None = None) -> int:
    """What the insured has paid net of refund endorsements (optionally by a date)."""
    paid = policy.installments.filter(paid_at__isnull=False)
    refunds = policy.endorsements.filter(premium_delta__lt=0)
    if by is not None:
        paid = paid.filter(paid_on__lte=by)
        refunds = refunds.filter(effective_on__lte=by)
    paid_total = paid.aggregate(total=Sum("amount"))["total"] or 0
    refund_total = refunds.aggregate(total=Sum("premium_delta"))["total"] or 0
    return paid_total + refund_total


def policy_due_total(policy: Policy, *, by: dt.date) -> int:
    """Premium that should have been paid by a date (instalments due, net of refunds)."""
    due = policy.installments.filter(due_on__lte=by).aggregate(total=Sum("amount"))["total"] or 0
    refunds = (
        policy.endorsements.filter(premium_delta__lt=0, effective_on__lte=by).aggregate(total=Sum("premium_delta"))[
            "total"
        ]
        or 0
    )
    return due + refunds


def policy_outstanding(policy: Policy) -> int:
    """Unpaid instalments, whatever their due date."""
    return policy.installments.filter(paid_at__isnull=True).aggregate(total=Sum("amount"))["total"] or 0


def next_unpaid_installment(policy: Policy) -> Installment | None:
    return policy.installments.filter(paid_at__isnull=True).order_by("number").first()


# --- cover state ---------------------------------------------------------------------------


def policy_cover_window(policy: Policy) -> rules.CoverWindow:
    return rules.cover_window(policy.line.code, policy.starts_on, policy.ends_on)


def policy_covers_day(policy: Policy, day: dt.date) -> bool:
    """Was the insurer bound on `day`? Issued, first instalment paid by then, inside the window,
    and not cancelled before (an annulment voids it from the start)."""
    if policy.status == Policy.Status.ANNULLED or policy.first_paid_at is None:
        return False
    if policy.status == Policy.Status.PENDING_ISSUE:
        return False
    if timezone.localdate(policy.first_paid_at) > day:
        return False
    if policy.status == Policy.Status.CANCELLED and policy.cancellation_on and day > policy.cancellation_on:
        return False
    return policy_cover_window(policy).covers(day)


def policy_state(policy: Policy, *, today: dt.date | None = None) -> dict:
    """What the customer's list shows: in force or why not, and days left."""
    today = today or timezone.localdate()
    window = policy_cover_window(policy)
    if policy.status == Policy.Status.ANNULLED:
        code, label = "annulled", _("باطل‌شده")
    elif policy.status == Policy.Status.CANCELLED:
        code, label = "cancelled", _("فسخ‌شده")
    elif policy.status == Policy.Status.PENDING_ISSUE:
        code, label = "pending_issue", _("در انتظار صدور")
    elif policy.first_paid_at is None:
        code, label = "awaiting_payment", _("در انتظار پرداخت قسط اول؛ هنوز معتبر نیست")
    elif today > window.last_day:
        code, label = "expired", _("منقضی‌شده")
    elif today < window.first_day:
        code, label = "not_started", _("هنوز شروع نشده")
    else:
        code, label = "in_force", _("معتبر")
    return {
        "code": code,
        "label": label,
        "in_force": code == "in_force",
        "days_left": rules.days_left(policy.ends_on, today) if code in ("in_force", "not_started") else 0,
        "cover_first_day": window.first_day,
        "cover_last_day": window.last_day,
    }


# --- inspections ---------------------------------------------------------------------------


def open_recommendations(policy: Policy) -> QuerySet[Recommendation]:
    """Safety recommendations no secondary inspection has confirmed yet [001].

    The insured saying a recommendation was met (`complied_at`) is not enough: the issuing
    office sends an inspector again (بازدید ثانویه) to check it before issue.
    """
    return Recommendation.objects.filter(inspection__policy=policy, verified_by_inspection__isnull=True)


def unconfirmed_recommendations_blocker(policy: Policy) -> str | None:
    """The issue blocker of the second-inspection rule [001], or None."""
    if not open_recommendations(policy).exists():
        return None
    return _(
        "توصیه‌های ایمنی بازدید اولیه هنوز با بازدید ثانویه تأیید نشده‌اند؛ بیمه‌نامه پیش از بازدید ثانویه صادر نمی‌شود."
    )


def issue_blockers(policy: Policy) -> list[str]:
    """Why a recorded policy cannot be marked issued yet [001]: the inspection and its safety
    recommendations, the bank's letter for mortgaged property, the supervision office's
    authorisation for a special case."""
    blockers = []
    if policy.inspection_required:
        if not policy.inspections.filter(kind=Inspection.Kind.INITIAL).exists():
            blockers.append(_("گزارش بازدید اولیه ثبت نشده است."))
    # Recommendations wait for the secondary inspection even where no inspection was required.
    recommendations_blocker = unconfirmed_recommendations_blocker(policy)
    if recommendations_blocker:
        blockers.append(recommendations_blocker)
    if policy.mortgaged and not policy.bank_letter:
        blockers.append(_("مورد بیمه در رهن بانک است: تا نامه بانک پیوست نشود، بیمه‌نامه صادر نمی‌شود."))
    if policy.authorisation_reasons and policy.authorised_at is None:
        labels = issue_rules.special_case_labels()
        blockers.append(
            _("بیمه‌نامه خاص (%(reasons)s) پیش از صدور مجوز اداره نظارت بر صدور بیمه‌نامه‌ها را لازم دارد.")
            % {"reasons": LIST_SEPARATOR.join(labels.get(code, code) for code in policy.authorisation_reasons)}
        )
    return blockers


def authorisation_capital() -> int:
    """A fire policy above this capital (rial) needs the supervision office's authorisation
    before issue [001]: the branch's own authority ends at 10 billion rial."""
    return conf.authorisation_capital()


def pending_authorisation_queryset() -> QuerySet[Policy]:
    """Special cases waiting for the supervision office (staff's list)."""
    return (
        _base()
        .filter(status=Policy.Status.PENDING_ISSUE, authorised_at__isnull=True)
        .exclude(authorisation_reasons=[])
        .order_by("created_at", "id")
    )


# --- double insurance ----------------------------------------------------------------------


def overlapping_insurance(
    *, line: str, key: str, starts_on: dt.date, ends_on: dt.date, exclude_pk=None
) -> Policy | None:
    """A live policy of the same line on the same property whose cover overlaps [004].

    Overlap is on the cover windows (24:00 to 24:00 [001]), so a renewal that starts where
    the old cover ends does not overlap. An annulled policy never covered anything; a
    cancelled one covered until its cancellation date.
    """
    if not key:
        return None
    new_window = rules.cover_window(line, starts_on, ends_on)
    candidates = (
        _base()
        .filter(line__code=line, property_key=key, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(status=Policy.Status.ANNULLED)
        .order_by("starts_on", "id")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    for other in candidates:
        window = rules.cover_window(line, other.starts_on, other.ends_on)
        last_day = window.last_day
        if other.status == Policy.Status.CANCELLED and other.cancellation_on:
            last_day = min(last_day, other.cancellation_on)
        if window.first_day <= new_window.last_day and new_window.first_day <= last_day:
            return other
    return None


def address_change_needs_inspections(policy: Policy) -> bool:
    """Whether moving the insured place needs visits of the old and the new site [004].

    Fire only, and only for a place that needs an inspection at all: [004] also says a
    residential, commercial or office place without theft, pipe burst or glass cover needs
    no visit, so a house move of such a policy is endorsed without one.
    """
    if policy.line.code != rules.FIRE:
        return False
    return policy.inspection_required or bool(set(policy.covers) & rules.REINSPECTION_COVERS)


def address_change_inspections(policy: Policy) -> dict[str, Inspection]:
    """The latest visit of each site recorded for an address change not endorsed yet."""
    visits = {}
    for visit in policy.inspections.filter(reason=Inspection.Reason.ENDORSEMENT, endorsement__isnull=True).order_by(
        "inspected_on", "id"
    ):
        visits[visit.site] = visit
    return visits


def normalized_address(text: str) -> str:
    """An address compared as written by different hands: digits, Arabic letters, spaces."""
    text = to_persian_letters(to_latin_digits(str(text or ""))).replace("\u200c", " ")
    text = re.sub(rf"[\s,{PERSIAN_COMMA}.]+", " ", text)
    return text.strip()


def endorsement_cover_inspection_day(endorsement: Endorsement) -> dt.date | None:
    """The day the new inspection an endorsement's added covers wait for took place, if any."""
    first = endorsement.inspections.order_by("inspected_on").first()
    return first.inspected_on if first is not None else None


def endorsement_added_reinspection_covers(endorsement: Endorsement) -> frozenset[str]:
    """Covers this endorsement added that work only after a new inspection [001]."""
    if not endorsement.needs_inspection or "covers" not in endorsement.changes:
        return frozenset()
    added = set(endorsement.changes["covers"]) - set(endorsement.previous.get("covers") or [])
    return frozenset(added & rules.REINSPECTION_COVERS)


def endorsement_pending_covers(endorsement: Endorsement) -> frozenset[str]:
    """Added covers still waiting for their inspection (not in force, not on the policy yet)."""
    if endorsement_cover_inspection_day(endorsement) is not None:
        return frozenset()
    return endorsement_added_reinspection_covers(endorsement)


def covers_in_force(policy: Policy, on: dt.date) -> frozenset[str]:
    """The additional covers (fire) the insurer was bound for on `on` [001].

    Replays the cover changes of the endorsements effective by then, starting from the
    covers the policy was recorded with. A pipe burst, rain and snow, theft, landslide,
    well collapse or avalanche cover added by endorsement counts only from its new
    inspection (and never before the endorsement's effective date): until then a loss by
    that peril is not the insurer's. The claims side asks this, not `policy.covers`.
    """
    changes = [row for row in policy.endorsements.order_by("number") if "covers" in row.changes]
    if not changes:
        return frozenset(policy.covers)
    current = set(changes[0].previous.get("covers") or [])
    for endorsement in changes:
        if endorsement.effective_on > on:
            continue
        old = set(endorsement.previous.get("covers") or [])
        new = set(endorsement.changes["covers"])
        added, removed = new - old, old - new
        waiting = endorsement_added_reinspection_covers(endorsement)
        if waiting:
            inspected_on = endorsement_cover_inspection_day(endorsement)
            if inspected_on is None or inspected_on > on:
                added -= waiting
        current = (current | added) - removed
    return frozenset(current)


def last_site_visit_or_issue(policy: Policy) -> dt.date:
    """The last inspection along the renewal chain, else the first policy's issue date."""
    chain = [policy]
    while chain[-1].renewal_of_id:
        chain.append(Policy.objects.get(pk=chain[-1].renewal_of_id))
    last = Inspection.objects.filter(policy__in=chain).order_by("-inspected_on").first()
    if last is not None:
        return last.inspected_on
    return chain[-1].issued_on


# --- capital review ------------------------------------------------------------------------


def capital_review_levels(sum_insured: int) -> list[str]:
    """Every review list a fire capital falls on [001] (none below 10 billion rial: branch only)."""
    thresholds = conf.capital_thresholds()
    return [level for level in ("monthly", "central", "daily") if sum_insured > thresholds[level]]


def policy_capital_review_levels(policy: Policy) -> list[str]:
    """The review lists of one policy: they are the fire issuing office's rules [001], so a
    body or third-party policy of any capital is on none of them."""
    if policy.line.code != rules.FIRE:
        return []
    return capital_review_levels(policy.sum_insured)


def capital_review_queryset(level: str) -> QuerySet[Policy]:
    """The fire policies ISSUED over the level's capital: the office sends "a copy of the issued
    policy" [001], so one still waiting for its inspection or authorisation is not on a list yet."""
    threshold = conf.capital_thresholds()[level]
    return (
        _base()
        .filter(line__code=rules.FIRE, sum_insured__gt=threshold, issued_at__isnull=False)
        .exclude(status=Policy.Status.ANNULLED)
    )


# --- from an offer to a policy (issue 14 point 3) ------------------------------------------


def accepted_request_for_agent(*, agent, request_id) -> InsuranceRequest:
    """The request this agent's offer won, else 404: another agent, another insurer's agent,
    an open, ended or cancelled request all get the same answer as a missing one."""
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        raise NotFoundError(_("درخواست پیدا نشد.")) from None
    found = accepted_requests_for_agent(agent).select_related("province").filter(pk=request_id).first()
    if found is None:
        raise NotFoundError(_("درخواست پیدا نشد."))
    return found


def _params_money(params: dict, *names: str) -> int | None:
    total = 0
    for name in names:
        try:
            total += int(params.get(name) or 0)
        except (TypeError, ValueError):
            continue
    return total or None


# What the insured amount is for each line, read from the request's inputs. Third party has
# none among them (its covers are statutory): the agent types the figure of the policy.
SUM_INSURED_PARAMS = {
    rules.FIRE: ("building_value", "contents_value"),
    rules.BODY: ("car_value",),
    rules.ELECTRONICS: ("device_value",),
}


def _iso_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def policy_draft_from_offer(*, agent, request_id, today: dt.date | None = None) -> dict:
    """Every field of a policy as the accepted offer and its request state them, for the agent
    to confirm (issue 14 point 3). 404 unless this agent's offer was accepted on the request.

    The dates: third party starts the day after purchase [003], other lines today or on the
    start date the customer asked for if that is later; the end is the start plus the
    request's duration, a year by default. Cash is one payment on the day of purchase; an
    instalment offer keeps its own schedule.
    """
    request = accepted_request_for_agent(agent=agent, request_id=request_id)
    offer = request.accepted_response
    today = today or timezone.localdate()
    params = dict(request.params or {})
    line = request.line.code
    if line == rules.THIRD_PARTY:
        starts_on = rules.earliest_third_party_start(today)
    else:
        asked = _iso_date(params.get("start_date"))
        starts_on = asked if asked and asked > today else today
    try:
        duration = int(params.get("duration_days") or params.get("days") or rules.DAYS_IN_YEAR)
    except (TypeError, ValueError):
        duration = rules.DAYS_IN_YEAR
    installments = []
    if offer.payment_plan == Policy.PaymentPlan.INSTALLMENTS:
        installments = [
            {"due_on": _iso_date(row.get("due_on")), "amount": int(row.get("amount") or 0)}
            for row in offer.installments or []
        ]
    return {
        "request": request.pk,
        "customer": request.customer,
        "line": line,
        "insurer": offer.insurer.code,
        "issued_on": today,
        "starts_on": starts_on,
        "ends_on": starts_on + dt.timedelta(days=max(duration, 1)),
        "premium": offer.premium,
        "sum_insured": _params_money(params, *SUM_INSURED_PARAMS.get(line, ())),
        "covers": list(offer.covers or params.get("covers") or []),
        "params": params,
        "payment_plan": offer.payment_plan,
        "installments": installments,
        "valid_until": offer.valid_until,
    }


# --- renewal in one click (issue 14 point 6) ---------------------------------------------


def renewal_policy_for_customer(*, user, policy_id) -> Policy:
    """The customer's own policy to renew by a new request, else 404 (the issuing agent and
    staff renew on the policy's own page; a stranger learns nothing)."""
    from pricing.core import limits

    policy = policy_for_user(user, policy_id)
    if policy.customer_id != user.pk or policy.line.code in limits.NOT_RENEWABLE:
        raise _not_found()
    return policy


def _paid_claim_causes(policy: Policy) -> list[str]:
    # claims sits above policies (issue 15 point 6): the Claim model is reached through the
    # relation claims declares on Policy, never imported.
    claim_model = policy.claims.model
    return list(policy.claims.filter(status=claim_model.Status.PAID).values_list("cause", flat=True))


def _param_max(line: str, name: str) -> int | None:
    from pricing.selectors import line_parameters

    for param in line_parameters(line):
        if param["name"] == name:
            return param.get("max")
    return None


def renewal_params(policy: Policy, *, on: dt.date | None = None) -> dict:
    """The policy's inputs for its renewal request, the no-claim years moved forward.

    A year without a paid claim earns one more no-claim year, third party [004] and body
    [003] alike, up to the input's maximum (the tariff caps the discount itself). With paid
    claims: third party keeps its years and states the claims, property and bodily, so the
    tariff takes its steps off the discount (R-083); body loses its discount (back to 0
    years). The start moves to the end of the old cover; the late days of the old policy no
    longer apply.
    """
    from pricing.selectors import line_parameters

    line = policy.line.code
    try:
        names = {param["name"] for param in line_parameters(line, on=on)}
    except Exception:  # a line without a calculator: nothing to carry
        return {}
    params = {name: value for name, value in (policy.params or {}).items() if name in names}
    if "start_date" in names:
        params["start_date"] = max(policy.ends_on, on or timezone.localdate()).isoformat()
    params.pop("late_days", None)
    if "no_claim_years" not in names:
        return params
    try:
        years = int(params.get("no_claim_years") or 0)
    except (TypeError, ValueError):
        years = 0
    causes = _paid_claim_causes(policy)
    if line == rules.THIRD_PARTY:
        params["property_claims"] = sum(1 for cause in causes if cause == "property")
        params["bodily_claims"] = sum(1 for cause in causes if cause != "property")
    if not causes:
        years += 1
        cap = _param_max(line, "no_claim_years")
        if cap is not None:
            years = min(years, int(cap))
    elif line == rules.BODY:
        years = 0
    params["no_claim_years"] = years
    return params


def renewal_request_initial(*, policy: Policy) -> dict:
    """The new request as the reminder's link fills it: the policy's line, inputs and insurer,
    and the province and city of the request it came from (else the customer's own)."""
    origin = policy.request
    province = origin.province if origin is not None else policy.customer.province
    city = origin.city if origin is not None else policy.customer.city
    return {
        "line": policy.line,
        "insurer_codes": [policy.insurer.code],
        "params": renewal_params(policy),
        "province": province,
        "city": city or "",
        "preferred_agent": policy.agent,
    }
