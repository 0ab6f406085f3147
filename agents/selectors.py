"""Reads for agents: profile lookups, the gateway rule, subscription state, dashboard data."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agents.models import Agent, Invoice, Plan, Subscription, TermsAcceptance, TermsVersion
from core.exceptions import NotFoundError
from core.raw_sql import columns_of, one_with_related, sql_names


def agent_for_user(user) -> Agent | None:
    """The caller's agent profile, or None (anonymous users and customers have none)."""
    if user is None or not user.is_authenticated:
        return None
    return Agent.objects.select_related("insurer", "province", "chosen_plan").filter(user=user).first()


def agent_for_staff(agent_id) -> Agent:
    """An agent by id for staff screens; 404 when there is none."""
    agent = Agent.objects.select_related("user", "insurer", "province").filter(pk=agent_id).first()
    if agent is None:
        raise NotFoundError(_("نماینده پیدا نشد."))
    return agent


def agent_for_licence_view(*, user, agent_id) -> Agent:
    """The permission chokepoint for licence files: staff or the owner, else 404.

    A stranger gets the same 404 as for an agent that does not exist, so ids reveal nothing.
    """
    if user is None or not user.is_authenticated:
        raise NotFoundError(_("پروانه نمایندگی پیدا نشد."))
    queryset = Agent.objects.exclude(licence_file="")
    if not user.is_staff:
        queryset = queryset.filter(user=user)
    agent = queryset.filter(pk=agent_id).first()
    if agent is None:
        raise NotFoundError(_("پروانه نمایندگی پیدا نشد."))
    return agent


def _terms_in_force(*, now: dt.datetime | None = None) -> QuerySet[TermsVersion]:
    return TermsVersion.objects.filter(published_at__lte=now or timezone.now()).order_by("-version")


def terms_current() -> TermsVersion | None:
    """The terms in force: the highest version already published."""
    return _terms_in_force().first()


def terms_accepted_version(agent: Agent) -> int | None:
    acceptance = agent.acceptances.select_related("terms").order_by("-terms__version").first()
    return acceptance.terms.version if acceptance else None


def plan_list() -> list[Plan]:
    return list(Plan.objects.filter(is_active=True))


def plan_by_code(code) -> Plan | None:
    return Plan.objects.filter(is_active=True, code=str(code or "").strip()).first()


# --- The gateway rule -------------------------------------------------------------------


def agents_gateway_active(*, today: dt.date | None = None, now: dt.datetime | None = None) -> QuerySet[Agent]:
    """Agents whose communication gateway (درگاه ارتباطی) is open today (Asia/Tehran).

    The one definition of "may see and answer leads", used for a single agent
    (`gateway_active`) and for delivering a request to many agents alike:
    verified by staff, a trial or paid period covering today, licence not expired,
    and the current terms version accepted. `agent_with_gateway_active` states the same
    rule in plain SQL for the per-request check: change both
    (tests/agents/test_gateway_check_sql.py holds them equal).
    """
    today = today or timezone.localdate()
    # The terms in force as a subquery, not a query of its own: one round trip per check.
    # With no terms published it is NULL and nobody's acceptance matches it.
    current = _terms_in_force(now=now).values("pk")[:1]
    covering = Subscription.objects.filter(agent=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today)
    accepted = TermsAcceptance.objects.filter(agent=OuterRef("pk"), terms=Subquery(current))
    return Agent.objects.filter(
        Q(status=Agent.Status.VERIFIED) & Q(licence_expires_on__gte=today) & Exists(covering) & Exists(accepted)
    )


def agent_with_gateway_active(user) -> Agent | None:
    """The caller's agent profile (its insurer loaded) if its gateway is open now, else None:
    `agents_gateway_active().select_related("insurer").filter(user=user).first()` as one
    plain statement. Every lead endpoint asks it on every call, and building and compiling
    that queryset (two Exists, a Subquery) cost about 5 ms of Django CPU against well under
    one of PostgreSQL's (issue 16, docs/issue16/inbox.md)."""
    if user is None or not user.is_authenticated:
        return None
    ops = connection.ops
    today = timezone.localdate()
    params = [
        user.pk,
        Agent.Status.VERIFIED.value,
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        ops.adapt_datetimefield_value(timezone.now()),
    ]
    return one_with_related(Agent, "insurer", _gateway_check_sql(connection.vendor), params)


@functools.cache
def _gateway_check_sql(vendor: str) -> str:
    """`agents_gateway_active`'s rule for one user, with `%s` for the user, the verified
    status, today three times and now (for the terms in force)."""
    insurer = Agent._meta.get_field("insurer").related_model
    names = sql_names(g=Agent, i=insurer, s=Subscription, t=TermsAcceptance, v=TermsVersion)
    columns = columns_of("g", Agent, names) + columns_of("i", insurer, names)
    return (  # noqa: S608  # nosec B608  # names from _meta, values bound
        "SELECT {columns}"
        " FROM {g_table} g INNER JOIN {i_table} i ON i.{i_id} = g.{g_insurer}"
        " WHERE g.{g_user} = %s AND g.{g_status} = %s AND g.{g_licence_expires_on} >= %s"
        " AND EXISTS (SELECT 1 FROM {s_table} s WHERE s.{s_agent} = g.{g_id}"
        " AND s.{s_starts_on} <= %s AND s.{s_ends_on} >= %s)"
        " AND EXISTS (SELECT 1 FROM {t_table} t WHERE t.{t_agent} = g.{g_id} AND t.{t_terms} ="
        " (SELECT v.{v_id} FROM {v_table} v WHERE v.{v_published_at} <= %s ORDER BY v.{v_version} DESC LIMIT 1))"
        " ORDER BY g.{g_created_at} DESC LIMIT 1"
    ).format(columns=", ".join(columns), **names)


def gateway_active(agent: Agent | None, *, today: dt.date | None = None) -> bool:
    """Whether this agent may receive and answer leads now. Every lead endpoint asks this."""
    if agent is None or agent.pk is None:
        return False
    return agents_gateway_active(today=today).filter(pk=agent.pk).exists()


# --- Subscription state -------------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionState:
    """What the agent sees: `status` is trial | active | expired | none (API.md).

    `paid` says a paid plan is in force or bought and queued to follow the current period
    (issue 14 point 10): an agent who pays during the free trial is a paying subscriber
    from that moment, with `plan` the plan paid for and `paid_from` the day it takes over.
    """

    status: str
    plan: Plan | None
    ends_on: dt.date | None
    days_left: int
    trial_used: bool
    paid: bool = False
    paid_from: dt.date | None = None
    today: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("trial", "active")

    @property
    def trial_until(self) -> dt.date | None:
        """While a bought plan waits for the trial to end: the trial's last day."""
        if self.paid and self.paid_from is not None and self.paid_from > self.today:
            return self.paid_from - dt.timedelta(days=1)
        return None


def subscription_state(agent: Agent, *, today: dt.date | None = None) -> SubscriptionState:
    today = today or timezone.localdate()
    periods = list(agent.subscriptions.select_related("plan").order_by("starts_on", "id"))
    trial_used = any(period.kind == Subscription.Kind.TRIAL for period in periods)
    if not periods:
        return SubscriptionState("none", None, None, 0, trial_used)
    current = next((p for p in periods if p.starts_on <= today <= p.ends_on), None)
    # Coverage runs to the end of the last period: renewals queue up after the current one.
    ends_on = max(period.ends_on for period in periods)
    if current is None:
        last = periods[-1]
        return SubscriptionState("expired", last.plan, ends_on, 0, trial_used)
    days_left = (ends_on - today).days + 1  # today counts: the last day is `ends_on` itself
    # A plan bought during the trial starts when the trial ends (renewals lose no day), but
    # it is paid for now: the agent is shown as a paying subscriber, not as on trial.
    paid_period = next((p for p in periods if p.kind == Subscription.Kind.PAID and p.ends_on >= today), None)
    if paid_period is not None:
        return SubscriptionState(
            "active",
            paid_period.plan,
            ends_on,
            days_left,
            trial_used,
            paid=True,
            paid_from=paid_period.starts_on,
            today=today,
        )
    return SubscriptionState("trial", None, ends_on, days_left, trial_used)


def coverage_end(agent: Agent) -> dt.date | None:
    last = agent.subscriptions.order_by("-ends_on").first()
    return last.ends_on if last else None


def invoice_list(agent: Agent) -> list[Invoice]:
    return list(agent.invoices.select_related("plan").order_by("-created_at", "-id"))


def invoice_for_agent(*, agent: Agent, invoice_id) -> Invoice:
    """The one way an agent reaches an invoice: their own. Another agent's is a 404, like a missing one."""
    invoice = agent.invoices.select_related("plan").filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFoundError(_("صورتحساب پیدا نشد."))
    return invoice


def invoice_by_authority(authority: str) -> Invoice | None:
    if not authority:
        return None
    return Invoice.objects.select_related("agent", "plan").filter(authority=authority).first()


# --- Dashboard ----------------------------------------------------------------------------


def service_province_list(agent: Agent):
    """The provinces the agent serves; their own province when none were declared."""
    provinces = list(agent.service_provinces.all())
    return provinces or [agent.province]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str  # done | current | todo | failed


ONBOARDING_ORDER = ("profile", "terms", "documents", "verification", "gateway")


def onboarding_steps(agent: Agent | None, *, gateway_open: bool | None = None) -> list[Step]:
    """The wizard's stepper: every stage with done / current / todo, for the current user."""
    titles = {
        "profile": _("فرم اولیه"),
        "terms": _("مقررات و انتخاب اشتراک"),
        "documents": _("ارسال مدارک"),
        "verification": _("بررسی کارشناس"),
        "gateway": _("فعال شدن درگاه"),
    }
    if agent is None:
        current = "profile"
    elif agent.status == Agent.Status.PENDING_TERMS:
        current = "terms"
    elif agent.status in (Agent.Status.PENDING_DOCUMENTS, Agent.Status.REJECTED):
        current = "documents"
    elif agent.status == Agent.Status.PENDING_VERIFICATION:
        current = "verification"
    else:
        current = "done" if (gateway_open if gateway_open is not None else gateway_active(agent)) else "gateway"
    steps = []
    reached = False
    for key in ONBOARDING_ORDER:
        if current == "done":
            state = "done"
        elif key == current:
            state = "failed" if agent is not None and agent.status == Agent.Status.REJECTED else "current"
            reached = True
        else:
            state = "todo" if reached else "done"
        steps.append(Step(key, titles[key], state))
    return steps


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str | None
    label: str | None


def onboarding_next_step(agent: Agent | None, *, state: SubscriptionState | None = None) -> NextStep:
    """One sentence telling the agent what to do now, and where."""
    if agent is None:
        return NextStep(_("فرم اولیه نمایندگی را تکمیل کنید."), reverse("agents:register"), _("تکمیل فرم اولیه"))
    status = agent.status
    if status == Agent.Status.PENDING_TERMS:
        return NextStep(
            _("مقررات و ضوابط پرداخت را بخوانید، بپذیرید و نوع اشتراک را انتخاب کنید."),
            reverse("agents:terms"),
            _("مطالعه مقررات"),
        )
    if status == Agent.Status.PENDING_DOCUMENTS:
        return NextStep(
            _("تصویر اصل پروانه فعالیت و مشخصات آن را بفرستید."), reverse("agents:documents"), _("ارسال مدارک")
        )
    if status == Agent.Status.REJECTED:
        return NextStep(
            _("مدارک شما تأیید نشد؛ پس از رفع ایراد دوباره بفرستید."),
            reverse("agents:documents"),
            _("ارسال دوباره مدارک"),
        )
    if status == Agent.Status.PENDING_VERIFICATION:
        return NextStep(_("مدارک شما در صف بررسی کارشناسان است؛ نتیجه با پیامک اطلاع داده می‌شود."), None, None)
    current = terms_current()
    if current is not None and not agent.acceptances.filter(terms=current).exists():
        return NextStep(
            _("نسخه تازه مقررات منتشر شده است؛ برای باز ماندن درگاه آن را بپذیرید."),
            reverse("agents:terms"),
            _("مطالعه مقررات"),
        )
    if agent.licence_expires_on and agent.licence_expires_on < timezone.localdate():
        return NextStep(
            _("پروانه فعالیت شما منقضی شده است؛ پروانه تمدیدشده را بفرستید."),
            reverse("agents:documents"),
            _("ارسال مدارک"),
        )
    state = state or subscription_state(agent)
    if not state.is_open:
        if not state.trial_used and not agent.subscriptions.exists():
            return NextStep(_("اشتراک آزمایشی رایگان را فعال کنید یا اشتراک بخرید."), None, None)
        return NextStep(_("برای باز شدن درگاه ارتباطی اشتراک بخرید یا تمدید کنید."), None, None)
    return NextStep(_("درگاه ارتباطی شما فعال است."), None, None)
