"""Reads for policies: the permission chokepoint, lists, money totals, cover state."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotFoundError
from insurance_requests.models import InsuranceRequest
from policies import conf, rules
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
    return Recommendation.objects.filter(inspection__policy=policy, complied_at__isnull=True)


def issue_blockers(policy: Policy) -> list[str]:
    """Why a policy that needs an inspection cannot be marked issued yet [001]."""
    if not policy.inspection_required:
        return []
    blockers = []
    if not policy.inspections.filter(kind=Inspection.Kind.INITIAL).exists():
        blockers.append(_("گزارش بازدید اولیه ثبت نشده است."))
    if open_recommendations(policy).exists():
        blockers.append(_("توصیه‌های ایمنی بازدید هنوز رعایت نشده‌اند."))
    return blockers


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
    """Every review list a capital falls on [001] (none below 10 billion rial: branch only)."""
    thresholds = conf.capital_thresholds()
    return [level for level in ("monthly", "central", "daily") if sum_insured > thresholds[level]]


def capital_review_queryset(level: str) -> QuerySet[Policy]:
    threshold = conf.capital_thresholds()[level]
    return _base().filter(sum_insured__gt=threshold).exclude(status=Policy.Status.ANNULLED)
