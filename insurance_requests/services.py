"""Writes of the marketplace: submit, route, respond, accept, end, repost, cancel, expire, remind, rate."""

import datetime as dt
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify
from agents.models import Agent
from agents.selectors import gateway_active
from core import contact_details
from core.exceptions import ApplicationError, ConflictError, ForbiddenError, NotFoundError
from core.jalali import format_jalali
from core.models import AuditLog
from core.services import audit_record
from core.text import LIST_SEPARATOR, to_persian_digits
from insurance_requests import conf
from insurance_requests.models import (
    AgentRating,
    ContactDetailsRefusal,
    ContactReveal,
    Delivery,
    InsuranceRequest,
    LeadResponse,
)
from insurance_requests.selectors import (
    agents_for_routing,
    agents_for_routing_sql,
    insurers_with_active_agents,
    lead_for_agent,
    offer_expired,
    offer_pricing,
    request_for_customer,
)
from insurers.models import InsuranceLine, Insurer
from insurers.selectors import active_insurers_by_code, line_by_code
from pricing.core.installments import installment_schedule
from sms.services import sms_send_after_commit, sms_text

logger = logging.getLogger(__name__)


def _jsonable(value):
    """Cleaned params (dates, tuples) back to JSON for storage."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def _clean_params(line_code: str, params, *, today: dt.date) -> dict:
    from pricing.services import validate_params

    if line_code == InsuranceLine.OTHER:
        # "Other" is free-form: what the customer needs is written in the note.
        return {}
    return _jsonable(validate_params(line_code, params or {}, today=today))


@dataclass(frozen=True)
class PricedParams:
    """A request's cleaned params and the quote they were priced at when it was posted."""

    params: dict
    quote: dict
    tariff_year: int | None


def _price_request(*, line_code: str, params, insurers: list[Insurer], today: dt.date) -> PricedParams:
    """Clean the params and quote the chosen insurers with them, now, from the tariff in force.

    The quote is the server's own (a premium sent by the client is never read): what the
    customer was shown is recomputed with the same pure calculator from the cached snapshot,
    so it costs no query. When the tariff changed since the quote page, the stored quote and
    its year are those of the tariff in force at posting (issue 14 point 2). The "other"
    line has no calculator and stores nothing.
    """
    from pricing.core.engine import CALCULATORS
    from pricing.selectors import tariff_snapshot
    from pricing.services import quote_compare

    if line_code not in CALCULATORS:
        return PricedParams(params=_clean_params(line_code, params, today=today), quote={}, tariff_year=None)
    # An insurer added after the snapshot was cached is not in it yet: it gets no quote
    # rather than refusing the request.
    known = {terms.code for terms in tariff_snapshot(on=today).insurers}
    codes = [insurer.code for insurer in insurers if insurer.code in known]
    if not codes:
        return PricedParams(params=_clean_params(line_code, params, today=today), quote={}, tariff_year=None)
    comparison = quote_compare(line=line_code, params=params or {}, insurers=codes, today=today)
    quotes = [
        {
            "insurer": quote["insurer"],
            "insurer_name": quote["insurer_name"],
            "premium": quote["premium"],
            "breakdown": [dict(line) for line in quote["breakdown"]],
        }
        for quote in comparison.quotes_payload
    ]
    return PricedParams(
        params=_jsonable(comparison.params), quote={"quotes": quotes}, tariff_year=comparison.solar_year
    )


def _insurers_from_codes(codes) -> list[Insurer]:
    if not isinstance(codes, (list, tuple)) or not codes:
        raise ApplicationError(_("دست‌کم یک بیمه‌گر را انتخاب کنید."), field="insurers")
    wanted = list(dict.fromkeys(str(code).strip() for code in codes))
    found = active_insurers_by_code()
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ApplicationError(
            _("این بیمه‌گر(ها) شناخته نیست: %(codes)s") % {"codes": LIST_SEPARATOR.join(unknown[:5])}, field="insurers"
        )
    return [found[code] for code in wanted]


def _contact_kind_labels() -> dict[str, str]:
    return {
        contact_details.PHONE: _("شماره تلفن"),
        contact_details.EMAIL: _("نشانی ایمیل"),
        contact_details.LINK: _("پیوند یا شناسه پیام‌رسان"),
        contact_details.HANDLE: _("پیوند یا شناسه پیام‌رسان"),
        contact_details.CODE: _("کد نمایندگی"),
    }


def contact_details_refusal_record(
    *, user: User | None, where: str, findings, agent: Agent | None = None, request: InsuranceRequest | None = None
) -> ContactDetailsRefusal:
    """Log a refused text for staff: the kinds found and a masked excerpt, never the text.

    Durable: the caller raises right after, and the log must outlive the refused request.
    A caller inside a transaction would lose the row on its rollback, so that is an error.
    """
    kinds = list(dict.fromkeys(finding.kind for finding in findings))
    excerpt = " | ".join(contact_details.masked(finding.fragment) for finding in findings[:5])
    with transaction.atomic(durable=True):
        return ContactDetailsRefusal.objects.create(
            user=user, agent=agent, request=request, where=where, kinds=",".join(kinds), excerpt=excerpt[:200]
        )


def _refuse_contact_details(
    *,
    text: str,
    field: str,
    where: str,
    message: str,
    user: User | None,
    agent: Agent | None = None,
    request: InsuranceRequest | None = None,
    extra_codes=(),
) -> None:
    """Before acceptance the two sides stay anonymous: free text with contact details is refused.

    The attempt is recorded (in its own transaction) before the refusal is raised. `message`
    takes `%(found)s`: what was found, in Persian ("شماره تلفن و نشانی ایمیل").
    """
    findings = contact_details.find_contact_details(text or "", extra_codes=extra_codes)
    if not findings:
        return
    contact_details_refusal_record(user=user, where=where, findings=findings, agent=agent, request=request)
    labels = _contact_kind_labels()
    found = list(dict.fromkeys(labels[finding.kind] for finding in findings))
    found_text = (
        found[0]
        if len(found) == 1
        else _("%(rest)s و %(last)s") % {"rest": LIST_SEPARATOR.join(found[:-1]), "last": found[-1]}
    )
    raise ApplicationError(message % {"found": found_text}, code="contact_details", field=field)


def _refuse_contact_details_in_request(
    *, customer: User, note: str, city: str, request: InsuranceRequest | None = None
) -> None:
    """A request's note and city go to every matching agent before any acceptance."""
    message = _(
        "پیش از پذیرش، این متن به همه نمایندگان فرستاده می‌شود و نباید اطلاعات تماس داشته باشد؛ "
        "در آن %(found)s پیدا شد. شماره شما پس از پذیرش پاسخ، خودکار به همان نماینده نشان داده می‌شود."
    )
    if request is not None:  # a repost copies the text; the customer cannot edit it there
        message += " " + _("درخواست تازه‌ای بدون این اطلاعات ثبت کنید.")
    common = {"user": customer, "message": message, "request": request, "extra_codes": [customer.mobile]}
    _refuse_contact_details(text=note, field="note", where=ContactDetailsRefusal.Where.REQUEST_NOTE, **common)
    _refuse_contact_details(text=city, field="city", where=ContactDetailsRefusal.Where.REQUEST_CITY, **common)


class NoActiveAgentError(ApplicationError):
    """None of the chosen insurers has an active agent in the province: the request would reach
    nobody, so it is refused, naming the insurers that do have one there (issue 14 point 10)."""

    code = "no_active_agent"

    def __init__(self, *, province, covered: list[Insurer]):
        if covered:
            message = _(
                "هیچ‌یک از بیمه‌گران انتخابی شما اکنون نماینده فعالی در استان %(province)s ندارد و "
                "درخواست به کسی نمی‌رسد. این بیمه‌گران در این استان نماینده فعال دارند: %(names)s."
            ) % {"province": province.name, "names": LIST_SEPARATOR.join(insurer.name for insurer in covered)}
        else:
            message = _(
                "هیچ بیمه‌گری اکنون نماینده فعالی در استان %(province)s ندارد و درخواست به کسی نمی‌رسد؛ "
                "بعداً دوباره امتحان کنید."
            ) % {"province": province.name}
        super().__init__(message, field="insurers")
        self.covered = [insurer.code for insurer in covered]

    def as_payload(self):
        return {**super().as_payload(), "code": self.code, "insurers_with_active_agents": self.covered}


@dataclass(frozen=True)
class RoutingResult:
    delivered: int
    insurers_without_agents: list[str]
    insurers: list[Insurer]


def insurance_request_submit(
    *,
    customer: User,
    line_code: str,
    insurer_codes,
    params,
    province,
    city: str,
    note: str = "",
    previous: InsuranceRequest | None = None,
    preferred_agent: Agent | None = None,
) -> tuple[InsuranceRequest, RoutingResult]:
    """Post a request to the chosen insurers and deliver it to their active agents.

    An insurer with no active agent in the province still stays on the request (shown to
    the customer as "no agent yet"); nothing is delivered for it, and it is reported back.
    With `preferred_agent` (a renewal, issue 14 point 6) it goes to that agent alone for the
    head start (`insurance_request_route`).
    When none of the chosen insurers has one, the request is refused (`NoActiveAgentError`).
    The chosen insurers' quotes for the params are stored on the request (`_price_request`).
    """
    line = line_by_code(line_code)
    if line is None:
        raise ApplicationError(_("رشته بیمه نامعتبر است."), field="line")
    insurers = _insurers_from_codes(insurer_codes)
    priced = _price_request(line_code=line_code, params=params, insurers=insurers, today=timezone.localdate())
    if line_code == InsuranceLine.OTHER and not (note or "").strip():
        raise ApplicationError(_("برای «سایر بیمه‌ها» نیاز خود را در توضیحات بنویسید."), field="note")
    if not (city or "").strip():
        raise ApplicationError(_("شهر را وارد کنید."), field="city")
    if previous is None:  # a repost checked its copied text before opening its transaction
        _refuse_contact_details_in_request(customer=customer, note=note, city=city)
    now = timezone.now()
    with transaction.atomic():
        request = InsuranceRequest.objects.create(
            customer=customer,
            line=line,
            params=priced.params,
            quote=priced.quote,
            quote_tariff_year=priced.tariff_year,
            province=province,
            city=city.strip(),
            note=(note or "").strip(),
            previous=previous,
            expires_at=now + timedelta(days=conf.request_lifetime_days()),
            preferred_agent=preferred_agent,
            preferred_until=now + timedelta(hours=conf.renewal_head_start_hours()) if preferred_agent else None,
        )
        # A new row has no links yet: insert them without the read `set()` makes first.
        InsuranceRequest.insurers.through.objects.bulk_create(
            InsuranceRequest.insurers.through(insurancerequest=request, insurer=insurer) for insurer in insurers
        )
        if previous is not None:
            request.excluded_agents.set(previous.excluded_agents.all())
        # The audit row comes with the deliveries (one statement on PostgreSQL), written
        # only when someone received the request.
        audit = RoutingAudit(
            actor=customer, action="request.submitted", data={"previous": previous.pk if previous else None}
        )
        routing = insurance_request_route(request=request, insurers=insurers, audit=audit)
        if len(routing.insurers_without_agents) == len(insurers):
            # Nobody would ever see it. Asked of the routing itself (not a check before it),
            # so the answer cannot disagree with who was served and costs no query when
            # someone was; the rollback undoes the request and its links.
            transaction.set_rollback(True)
    if len(routing.insurers_without_agents) == len(insurers):
        excluded = list(previous.excluded_agents.values_list("pk", flat=True)) if previous is not None else ()
        raise NoActiveAgentError(
            province=province, covered=insurers_with_active_agents(province=province, excluded_agents=excluded)
        )
    return request, routing


@dataclass(frozen=True)
class RoutingAudit:
    """An audit row the fan-out writes with its own rows: `data` plus `delivered`, the count."""

    actor: User | None
    action: str
    data: dict


def insurance_request_route(
    *, request: InsuranceRequest, insurers: list[Insurer] | None = None, audit: RoutingAudit | None = None
) -> RoutingResult:
    """Fan out: one Delivery and one in-app notice per active agent; SMS after commit.

    The writes are INSERT … SELECT statements over the routing SELECT, so the rows never
    pass through Python: a constant handful of queries and a few hundred milliseconds for
    5,000 agents (docs/BENCHMARKS.md). Creating 10,000 model instances for bulk_create cost
    more than the database work itself. With `audit`, its row is written when this routing
    delivered to someone, in the same statement on PostgreSQL (`_deliver_and_notify`).

    A renewal request in its head start (`preferred_until` ahead) goes to the preferred
    agent alone; the others receive it when `insurance_requests_release_preferred` routes it
    again. When that agent can no longer receive leads (gateway closed, another province,
    excluded), the head start ends here and everyone receives it at once. Routing twice
    delivers nothing twice: deliveries are an upsert, notices and SMS go to new rows only.
    """
    now = timezone.now()
    today = timezone.localdate()
    head_start = bool(request.preferred_agent_id and request.preferred_until and request.preferred_until > now)
    if head_start:
        preferred = agents_for_routing(request=request, today=today, now=now).filter(pk=request.preferred_agent_id)
        if preferred.exists():
            agents_sql, agents_params = preferred.values("pk", "user_id", "insurer_id").query.sql_with_params()
        else:
            head_start = False
            InsuranceRequest.objects.filter(pk=request.pk).update(preferred_until=None)
            request.preferred_until = None
    if not head_start:
        agents_sql, agents_params = agents_for_routing_sql(request=request, today=today, now=now, connection=connection)
    # Who had it already (the preferred agent, when a head start ends): they get no second SMS.
    # Only a request with a preferred agent is ever routed twice; a new one costs no query here.
    already = (
        set(Delivery.objects.filter(request=request).values_list("agent_id", flat=True))
        if request.preferred_agent_id
        else set()
    )
    delivered, served = _deliver_and_notify(
        request=request,
        agents=(agents_sql, agents_params),
        text=_("درخواست تازه %(line)s در %(province)s")
        % {"line": request.line.name, "province": request.province.name},
        url=reverse("leads:detail", args=[request.pk]),
        now=now,
        audit=audit,
    )
    if delivered and not already:
        from insurance_requests.tasks import notify_new_lead

        # A broker that is down loses only the SMS (logged); the leads are in the inboxes.
        notify_new_lead.delay_on_commit(request.pk)
    elif delivered:  # the end of a head start: the preferred agent had its SMS already
        text = _("بیمه مال: درخواست تازه %(line)s در %(province)s. برای پاسخ به پنل نمایندگی سر بزنید.") % {
            "line": request.line.name,
            "province": request.province.name,
        }
        mobiles = (
            Delivery.objects.filter(request=request)
            .exclude(agent_id__in=already)
            .values_list("agent__user__mobile", flat=True)
        )
        for mobile in mobiles:
            sms_send_after_commit(to=mobile, text=text)
    if head_start:
        # The others are only waiting: an insurer counts as served when it has an agent who
        # will receive the request.
        served = set(agents_for_routing(request=request, today=today, now=now).values_list("insurer_id", flat=True))
    if insurers is None:
        insurers = list(request.insurers.all())
    missing = [insurer.code for insurer in insurers if insurer.pk not in served]
    return RoutingResult(delivered=delivered, insurers_without_agents=missing, insurers=insurers)


def _audit_actor_id(actor) -> int | None:
    """As `audit_record` stores it: an anonymous or missing actor is none."""
    return actor.pk if actor is not None and actor.is_authenticated else None


def _deliver_and_notify(
    *, request: InsuranceRequest, agents: tuple[str, list], text: str, url: str, now, audit: RoutingAudit | None
) -> tuple[int, set[int]]:
    """Deliveries to `agents` (a SELECT of `pk, user_id, insurer_id`), a notice per new
    delivery, and `audit` when something was delivered. Returns how many deliveries are
    new and the insurers of all the request's deliveries.

    On PostgreSQL it is one statement: data-modifying CTEs, whose RETURNING feeds the
    notices and the answer (a WITH sub-statement does not see the others' rows, so the
    notices join `delivered`, and earlier deliveries are read as they were before it).
    Elsewhere (SQLite in tests and on a laptop) the same writes are three statements.
    """
    agents_sql, agents_params = agents
    quote = connection.ops.quote_name
    delivery_table = quote(Delivery._meta.db_table)
    agent_table = quote(Agent._meta.db_table)
    notice_table = quote(Notification._meta.db_table)
    audit_table = quote(AuditLog._meta.db_table)
    if connection.vendor == "postgresql":
        audit_sql, audit_params = "", []
        if audit is not None:
            audit_sql = (
                f", audited AS (INSERT INTO {audit_table} (actor_id, action, target_type, target_id, data, created_at) "  # noqa: S608  # nosec B608  # names from _meta, values bound
                "SELECT %s, %s, %s, %s, %s::jsonb || jsonb_build_object('delivered', count(*)), %s "
                "FROM delivered HAVING count(*) > 0)"
            )
            audit_params = [
                _audit_actor_id(audit.actor),
                audit.action,
                request._meta.label_lower,
                str(request.pk),
                json.dumps(audit.data),
                now,
            ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH routed AS ({agents_sql}), "  # noqa: S608  # nosec B608  # names from _meta, values bound
                f"delivered AS (INSERT INTO {delivery_table} (request_id, agent_id, created_at) "
                "SELECT %s, routed.pk, %s FROM routed ON CONFLICT (request_id, agent_id) DO NOTHING "
                "RETURNING agent_id), "
                f"noticed AS (INSERT INTO {notice_table} (user_id, text, url, created_at) "
                "SELECT routed.user_id, %s, %s, %s FROM delivered JOIN routed ON routed.pk = delivered.agent_id)"
                f"{audit_sql} "
                "SELECT (SELECT count(*) FROM delivered), served.insurer_id FROM ("
                "SELECT routed.insurer_id FROM delivered JOIN routed ON routed.pk = delivered.agent_id UNION "
                f"SELECT agent.insurer_id FROM {delivery_table} AS delivery "
                f"JOIN {agent_table} AS agent ON agent.id = delivery.agent_id WHERE delivery.request_id = %s"
                ") AS served",
                [*agents_params, request.pk, now, text, url, now, *audit_params, request.pk],
            )
            rows = cursor.fetchall()
        # No row: nothing delivered now or before (each delivery gives its insurer a row).
        return (rows[0][0] if rows else 0), {insurer_id for _, insurer_id in rows}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery_table} (request_id, agent_id, created_at) "  # noqa: S608  # nosec B608  # names from _meta, values bound
            # WHERE true: SQLite needs it to parse an upsert after INSERT … SELECT.
            f"SELECT %s, routed.pk, %s FROM ({agents_sql}) AS routed WHERE true "
            "ON CONFLICT (request_id, agent_id) DO NOTHING",
            [request.pk, now, *agents_params],
        )
        delivered = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {notice_table} (user_id, text, url, created_at) "  # noqa: S608  # nosec B608  # names from _meta, values bound
            f"SELECT agent.user_id, %s, %s, %s FROM {delivery_table} AS delivery "
            f"JOIN {agent_table} AS agent ON agent.id = delivery.agent_id "
            "WHERE delivery.request_id = %s AND delivery.created_at = %s",
            [text, url, now, request.pk, now],
        )
    served = set(
        Delivery.objects.filter(request=request).order_by().values_list("agent__insurer_id", flat=True).distinct()
    )
    if audit is not None and delivered:
        audit_record(
            actor=audit.actor, action=audit.action, target=request, data={**audit.data, "delivered": delivered}
        )
    return delivered, served


def insurance_requests_release_preferred(*, now=None) -> int:
    """End the head starts that have run out: the other agents receive those requests now.

    Run by the frequent expiry job. Each request is claimed by a conditional UPDATE that
    clears `preferred_until` (the preferred agent stays on the row), so overlapping runs
    route it once; routing itself delivers nothing twice either.
    """
    now = now or timezone.now()
    due = list(
        InsuranceRequest.objects.filter(status=InsuranceRequest.Status.OPEN, preferred_until__lte=now).values_list(
            "pk", flat=True
        )
    )
    released = 0
    for request_id in due:
        with transaction.atomic():
            claimed = InsuranceRequest.objects.filter(
                pk=request_id, status=InsuranceRequest.Status.OPEN, preferred_until__lte=now
            ).update(preferred_until=None)
            if not claimed:
                continue
            request = InsuranceRequest.objects.select_related("line", "province").get(pk=request_id)
            routing = insurance_request_route(request=request)
            audit_record(
                actor=None,
                action="request.head_start_ended",
                target=request,
                data={"preferred_agent": request.preferred_agent_id, "delivered": routing.delivered},
            )
        released += 1
    return released


def lead_notify_agents(*, request_id: int) -> int:
    """SMS every agent the request was delivered to (from a task, after commit)."""
    from sms.tasks import send_text

    request = InsuranceRequest.objects.select_related("line", "province").filter(pk=request_id).first()
    if request is None or request.status != InsuranceRequest.Status.OPEN:
        return 0
    text = _("بیمه مال: درخواست تازه %(line)s در %(province)s. برای پاسخ به پنل نمایندگی سر بزنید.") % {
        "line": request.line.name,
        "province": request.province.name,
    }
    mobiles = Delivery.objects.filter(request=request).values_list("agent__user__mobile", flat=True)
    count = 0
    for mobile in mobiles.iterator():
        send_text.delay(mobile, sms_text(text))
        count += 1
    return count


def _agent_contact_codes(agent: Agent) -> list[str]:
    """What identifies the agency outright: its code and its office phone, with and without area code."""
    codes = [agent.agency_code, agent.office_phone]
    phone_digits = "".join(ch for ch in contact_details.normalise(agent.office_phone or "") if ch.isdigit())
    if len(phone_digits) > 8:
        codes.append(phone_digits[-8:])
    return [code for code in codes if code]


# An offer is good for a week unless the agent says otherwise, and for a month at most: a
# priced offer holds the insurer to today's tariff and adjustment, which Central Insurance
# and the insurer revise (a new tariff every solar year, circulars in between), and a car's
# or a building's value moves month to month; a customer coming back after a month should
# ask again rather than hold an agent to a stale price.
OFFER_DEFAULT_VALID_DAYS = 7
OFFER_MAX_VALID_DAYS = 30


def _toman_text(rial: int) -> str:
    """A rial amount as the customer reads it, rounded up to the next whole toman."""
    from core.text import group_thousands

    return _("%(amount)s تومان") % {"amount": to_persian_digits(group_thousands(-(-rial // 10)))}


@dataclass(frozen=True)
class _Offer:
    premium: int
    quoted_premium: int | None
    payment_plan: str
    installments: list
    covers: list
    valid_until: dt.date


def _offer_checked(
    *, request: InsuranceRequest, insurer: Insurer, premium, payment_plan, covers, valid_until, today: dt.date
) -> _Offer:
    """The offer's terms against the tariff of the day, or a Persian 400 naming the field."""
    if valid_until is None:
        valid_until = today + timedelta(days=OFFER_DEFAULT_VALID_DAYS)
    if valid_until < today:
        raise ApplicationError(
            _("تاریخ اعتبار پیشنهاد گذشته است؛ امروز یا روزی پس از آن را بنویسید."), field="valid_until"
        )
    latest = today + timedelta(days=OFFER_MAX_VALID_DAYS)
    if valid_until > latest:
        raise ApplicationError(
            _("اعتبار پیشنهاد حداکثر %(days)s روز است؛ تا %(date)s.")
            % {"days": to_persian_digits(OFFER_MAX_VALID_DAYS), "date": to_persian_digits(format_jalali(latest))},
            field="valid_until",
        )
    if covers is None:
        covers = list((request.params or {}).get("covers") or [])
    pricing = offer_pricing(request=request, insurer_code=insurer.code, covers=covers, today=today)
    bounds = pricing.bounds
    if premium is None:
        if bounds is None:
            raise ApplicationError(_("حق‌بیمه پیشنهادی را بنویسید."), field="premium")
        premium = bounds.tariff_premium
    if not isinstance(premium, int) or isinstance(premium, bool) or premium <= 0:
        raise ApplicationError(_("حق‌بیمه پیشنهادی باید مبلغی بیش از صفر باشد."), field="premium")
    if bounds is not None and premium < bounds.floor_premium:
        raise ApplicationError(
            _(
                "این مبلغ کمتر از حداقلی است که تعرفه اجازه می‌دهد؛ کمترین حق‌بیمه %(insurer)s برای این درخواست "
                "%(floor)s است (حق‌بیمه طبق تعرفه %(tariff)s)."
            )
            % {
                "insurer": insurer.name,
                "floor": _toman_text(bounds.floor_premium),
                "tariff": _toman_text(bounds.tariff_premium),
            },
            code="below_floor",
            field="premium",
        )
    if payment_plan not in LeadResponse.PaymentPlan.values:
        raise ApplicationError(_("شیوه پرداخت را نقدی یا اقساطی انتخاب کنید."), field="payment_plan")
    if payment_plan == LeadResponse.PaymentPlan.INSTALLMENTS:
        terms = pricing.installment_terms
        if terms is None:
            raise ApplicationError(
                _("%(insurer)s این رشته را اقساطی نمی‌فروشد؛ شیوه پرداخت نقدی را انتخاب کنید.")
                % {"insurer": insurer.name},
                field="payment_plan",
            )
        count = pricing.installments_count
        count = terms.max_count if count is None else max(0, min(count, terms.max_count))
        schedule = installment_schedule(terms, premium=premium, first_due_on=today, count=count)
        installments = [installment.as_dict() for installment in schedule]
    else:
        installments = [{"due_on": today.isoformat(), "amount": premium}]
    return _Offer(
        premium=premium,
        quoted_premium=bounds.tariff_premium if bounds else None,
        payment_plan=payment_plan,
        installments=installments,
        covers=list(dict.fromkeys(str(code) for code in covers)),
        valid_until=valid_until,
    )


def lead_respond(
    *,
    agent: Agent | None,
    request_id: int,
    message: str = "",
    premium: int | None = None,
    payment_plan: str = LeadResponse.PaymentPlan.CASH,
    covers: list[str] | None = None,
    valid_until: dt.date | None = None,
) -> LeadResponse:
    """Declare readiness with an offer. The first agent of an insurer wins; the database decides, atomically.

    The offer (issue 14 point 1): `premium` in rial, at least the floor the tariff allows
    (`pricing.offers`); left out, the insurer's tariff premium (a line without a tariff needs
    it). `covers` default to the request's; `valid_until` to a week from today.
    """
    if agent is None or not gateway_active(agent):
        raise ForbiddenError(
            _("درگاه ارتباطی شما فعال نیست؛ احراز پروانه، اشتراک فعال و پذیرش مقررات لازم است."),
            code="gateway_inactive",
        )
    delivery = lead_for_agent(agent=agent, request_id=request_id)
    request = delivery.request
    if request.status != InsuranceRequest.Status.OPEN:
        raise ConflictError(_("این درخواست دیگر باز نیست."), code="request_closed")
    _refuse_contact_details(
        text=message,
        field="message",
        where=ContactDetailsRefusal.Where.LEAD_RESPONSE,
        message=_(
            "پیام پیش از پذیرش نباید اطلاعات تماس داشته باشد؛ در آن %(found)s پیدا شد. "
            "اطلاعات نمایندگی شما پس از پذیرش، خودکار به بیمه‌گذار نشان داده می‌شود؛ بقیه پیشنهاد را بنویسید."
        ),
        user=agent.user,
        agent=agent,
        request=request,
        extra_codes=_agent_contact_codes(agent),
    )
    offer = _offer_checked(
        request=request,
        insurer=agent.insurer,
        premium=premium,
        payment_plan=payment_plan,
        covers=covers,
        valid_until=valid_until,
        today=timezone.localdate(),
    )
    now = timezone.now()
    text = _("بیمه مال: %(insurer)s برای درخواست %(line)s شما اعلام آمادگی کرد.") % {
        "insurer": agent.insurer.name,
        "line": request.line.name,
    }
    # The answer, its audit row and the customer's notice stand or fall together; the SMS
    # goes out only after the commit. The inner block is the savepoint the "first wins"
    # constraint needs, so a lost race is a 409 and nothing else of this answer remains.
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = LeadResponse.objects.create(
                    request=request,
                    agent=agent,
                    insurer_id=agent.insurer_id,
                    message=(message or "").strip(),
                    response_seconds=max(0, int((now - delivery.created_at).total_seconds())),
                    premium=offer.premium,
                    quoted_premium=offer.quoted_premium,
                    payment_plan=offer.payment_plan,
                    installments=offer.installments,
                    covers=offer.covers,
                    valid_until=offer.valid_until,
                )
        except IntegrityError:
            raise ConflictError(
                _("نماینده دیگری از %(insurer)s پیش‌تر برای این درخواست اعلام آمادگی کرده است.")
                % {"insurer": agent.insurer.name},
                code="insurer_already_responded",
            ) from None
        audit_record(
            actor=agent.user,
            action="lead.responded",
            target=request,
            data={
                "response": response.pk,
                "agent": agent.pk,
                "insurer": agent.insurer_id,
                "premium": offer.premium,
                "quoted_premium": offer.quoted_premium,
            },
        )
        notify(request.customer, text, url=reverse("requests:detail", args=[request.pk]), sms=True)
    return response


def insurance_request_accept(*, customer: User, request_id: int, response_id: int) -> LeadResponse:
    """Accept one response: both sides' contact details are revealed, and each reveal is logged."""
    with transaction.atomic():
        request = request_for_customer(user=customer, request_id=request_id)
        request = InsuranceRequest.objects.select_for_update().get(pk=request.pk)
        response = (
            LeadResponse.objects.select_related("agent__user", "insurer")
            .filter(request=request, pk=response_id)
            .first()
        )
        if response is None:
            raise NotFoundError(_("پیشنهاد پیدا نشد."))
        if request.status != InsuranceRequest.Status.OPEN:
            raise ConflictError(_("این درخواست در وضعیتی نیست که پاسخی پذیرفته شود."), code="not_open")
        if offer_expired(response):
            raise ConflictError(
                _("اعتبار این پیشنهاد در %(date)s به پایان رسیده و دیگر پذیرفتنی نیست؛ پیشنهاد دیگری را انتخاب کنید.")
                % {"date": to_persian_digits(format_jalali(response.valid_until))},
                code="offer_expired",
            )
        now = timezone.now()
        request.status = InsuranceRequest.Status.ACCEPTED
        request.accepted_response = response
        request.accepted_at = now
        request.save(update_fields=["status", "accepted_response", "accepted_at"])
        response.status = LeadResponse.Status.ACCEPTED
        response.save(update_fields=["status"])
        agent_user = response.agent.user
        ContactReveal.objects.bulk_create(
            [
                ContactReveal(request=request, response=response, viewer=customer, subject=agent_user),
                ContactReveal(request=request, response=response, viewer=agent_user, subject=customer),
            ]
        )
        audit_record(actor=customer, action="request.accepted", target=request, data={"response": response.pk})
        text = _("بیمه مال: بیمه‌گذار پاسخ شما به درخواست شماره %(id)s را پذیرفت؛ اطلاعات تماس در پنل شماست.") % {
            "id": to_persian_digits(request.pk)
        }
        notify(agent_user, text, url=reverse("leads:detail", args=[request.pk]), sms=True)
    return response


def insurance_request_end_cooperation(*, customer: User, request_id: int, reason: str) -> InsuranceRequest:
    """قطع همکاری: the accepted agent is excluded from this request and every repost of it."""
    if not (reason or "").strip():
        raise ApplicationError(_("دلیل پایان همکاری را بنویسید."), field="reason")
    with transaction.atomic():
        request = request_for_customer(user=customer, request_id=request_id)
        # No select_related here: PostgreSQL cannot lock the nullable side of an outer join.
        request = InsuranceRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != InsuranceRequest.Status.ACCEPTED:
            raise ConflictError(_("همکاری فعالی برای این درخواست وجود ندارد."), code="not_accepted")
        response = request.accepted_response
        request.status = InsuranceRequest.Status.ENDED
        request.ended_at = timezone.now()
        request.end_reason = reason.strip()
        request.save(update_fields=["status", "ended_at", "end_reason"])
        LeadResponse.objects.filter(pk=response.pk).update(status=LeadResponse.Status.ENDED)
        request.excluded_agents.add(response.agent_id)
        audit_record(
            actor=customer,
            action="request.cooperation_ended",
            target=request,
            data={"agent": response.agent_id, "reason": request.end_reason},
        )
    return request


REPOSTABLE = (InsuranceRequest.Status.ENDED, InsuranceRequest.Status.EXPIRED, InsuranceRequest.Status.CANCELLED)


def insurance_request_repost(*, customer: User, request_id: int) -> tuple[InsuranceRequest, RoutingResult]:
    """A new open request with the same details, linked to the old one, without the excluded agents.

    The copied note and city are checked before the transaction, so a refusal's log survives it.
    """
    old = request_for_customer(user=customer, request_id=request_id)
    _refuse_contact_details_in_request(customer=customer, note=old.note, city=old.city, request=old)
    with transaction.atomic():
        old = request_for_customer(user=customer, request_id=request_id)
        old = InsuranceRequest.objects.select_for_update().get(pk=old.pk)
        if old.status not in REPOSTABLE:
            raise ConflictError(
                _("فقط درخواستی که همکاری آن پایان یافته، منقضی یا لغو شده دوباره ارسال می‌شود."), code="not_repostable"
            )
        if InsuranceRequest.objects.filter(previous=old).exists():
            raise ConflictError(_("این درخواست پیش‌تر دوباره ارسال شده است."), code="already_reposted")
        return insurance_request_submit(
            customer=customer,
            line_code=old.line.code,
            insurer_codes=list(old.insurers.values_list("code", flat=True)),
            params=old.params,
            province=old.province,
            city=old.city,
            note=old.note,
            previous=old,
        )


def insurance_request_renewal_submit(
    *,
    customer: User,
    policy,
    insurer_codes,
    params,
    province,
    city: str,
    note: str = "",
) -> tuple[InsuranceRequest, RoutingResult]:
    """Renew by a new request (issue 14 point 6): the policy's line, offered first to the agent
    who issued it when the customer keeps that insurer, to the others after the head start.

    The caller finds the policy through its chokepoint, `policies.selectors.
    renewal_policy_for_customer` (the customer's own, a renewable line): policies sits above
    the marketplace, which may not look policies up itself (issue 15 point 6). A policy of
    someone else is refused here too, as not found. The inputs are the customer's to change
    (the page shows them prefilled, `policies.selectors.renewal_request_initial`); the
    pricing validator judges them as for any request.
    """
    if policy.customer_id != customer.pk:
        raise NotFoundError(_("بیمه‌نامه پیدا نشد."))
    preferred = policy.agent if policy.insurer.code in {str(code).strip() for code in insurer_codes or []} else None
    with transaction.atomic():
        request, routing = insurance_request_submit(
            customer=customer,
            line_code=policy.line.code,
            insurer_codes=insurer_codes,
            params=params,
            province=province,
            city=city,
            note=note,
            preferred_agent=preferred,
        )
        audit_record(
            actor=customer,
            action="request.renewal",
            target=request,
            data={"policy": policy.pk, "preferred_agent": preferred.pk if preferred else None},
        )
    return request, routing


def insurance_request_cancel(*, customer: User, request_id: int) -> InsuranceRequest:
    with transaction.atomic():
        request = request_for_customer(user=customer, request_id=request_id)
        updated = InsuranceRequest.objects.filter(pk=request.pk, status=InsuranceRequest.Status.OPEN).update(
            status=InsuranceRequest.Status.CANCELLED, cancelled_at=timezone.now()
        )
        if not updated:
            raise ConflictError(_("فقط درخواست باز لغو می‌شود."), code="not_open")
        request.refresh_from_db()
        audit_record(actor=customer, action="request.cancelled", target=request)
    return request


def insurance_requests_expire_stale(*, now=None) -> int:
    """Open requests past their lifetime become expired. One conditional UPDATE: safe to run twice."""
    now = now or timezone.now()
    return InsuranceRequest.objects.filter(status=InsuranceRequest.Status.OPEN, expires_at__lte=now).update(
        status=InsuranceRequest.Status.EXPIRED
    )


def leads_remind_unanswered(*, now=None) -> int:
    """Remind each agent once of a lead nobody of their insurer has answered after the set time.

    Each reminder is claimed by a conditional UPDATE of its delivery before the SMS goes
    out, so overlapping runs never send one twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=conf.lead_reminder_hours())
    from django.db.models import Exists, OuterRef

    answered = LeadResponse.objects.filter(request_id=OuterRef("request_id"), insurer_id=OuterRef("agent__insurer_id"))
    candidates = (
        Delivery.objects.filter(
            reminded_at__isnull=True,
            created_at__lte=cutoff,
            request__status=InsuranceRequest.Status.OPEN,
        )
        .exclude(Exists(answered))
        .values_list("pk", "agent__user__mobile", "request_id")
    )
    sent = 0
    for delivery_id, mobile, request_id in candidates.iterator():
        claimed = Delivery.objects.filter(pk=delivery_id, reminded_at__isnull=True).update(reminded_at=now)
        if not claimed:
            continue
        sms_send_after_commit(
            to=mobile,
            text=_("بیمه مال: درخواست شماره %(id)s هنوز بی‌پاسخ است. برای اعلام آمادگی به پنل نمایندگی سر بزنید.")
            % {"id": to_persian_digits(request_id)},
        )
        sent += 1
    return sent


def agent_rate(*, customer: User, request_id: int, score: int, comment: str = "") -> AgentRating:
    """Once per request, after a cooperation (accepted or ended)."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ApplicationError(_("امتیاز باید عددی از ۱ تا ۵ باشد."), field="score")
    request = request_for_customer(user=customer, request_id=request_id)
    if request.accepted_response_id is None:
        raise ConflictError(_("پس از همکاری با نماینده می‌توانید به او امتیاز دهید."), code="no_cooperation")
    agent_id = request.accepted_response.agent_id
    # The rating, its audit row and the agent's notice in one transaction; the inner block is
    # the savepoint the one-rating-per-request constraint needs.
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = AgentRating.objects.create(
                    request=request,
                    agent_id=agent_id,
                    score=score,
                    comment=(comment or "").strip(),
                )
        except IntegrityError:
            raise ConflictError(_("برای این درخواست پیش‌تر امتیاز داده‌اید."), code="already_rated") from None
        audit_record(actor=customer, action="agent.rated", target=request, data={"agent": agent_id, "score": score})
        agent_user_id = Agent.objects.filter(pk=agent_id).values_list("user_id", flat=True).get()
        notify(
            agent_user_id,
            _("بیمه مال: بیمه‌گذار درخواست شماره %(id)s به شما امتیاز %(score)s از ۵ داد.")
            % {"id": to_persian_digits(request.pk), "score": to_persian_digits(score)},
            url=reverse("leads:detail", args=[request.pk]),
        )
    return rating
