"""Reads for the marketplace, including its permission chokepoints (404 for what the caller may not see)."""

import datetime as dt
import functools
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agents.models import Agent
from agents.selectors import agents_gateway_active, service_province_list
from core.db import replica
from core.exceptions import ApplicationError, NotFoundError
from core.raw_sql import convert_row, row_converters, sql_names
from core.text import LIST_SEPARATOR
from insurance_requests.models import AgentRating, Delivery, InsuranceRequest, LeadResponse
from insurers.models import Insurer
from insurers.selectors import line_list
from pricing.core.installments import InstallmentTerms
from pricing.offers import OfferBounds


def request_for_customer(*, user, request_id) -> InsuranceRequest:
    """The customer's own request, else 404 (another customer's request does not exist for them)."""
    if not user.is_authenticated:
        raise _request_not_found()
    found = (
        InsuranceRequest.objects.select_related("line", "province", "previous", "accepted_response")
        .filter(customer=user, pk=request_id)
        .first()
    )
    if found is None:
        raise _request_not_found()
    return found


def _request_not_found() -> NotFoundError:
    """One answer for a request that does not exist and one the caller may not see."""
    return NotFoundError(_("درخواست پیدا نشد."))


def request_list_for_customer(*, user):
    return (
        InsuranceRequest.objects.filter(customer=user)
        .select_related("line", "province")
        .prefetch_related("insurers")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )


def request_responses(*, request: InsuranceRequest) -> list[LeadResponse]:
    return list(request.responses.select_related("insurer", "agent__user"))


def request_history(*, request: InsuranceRequest) -> list[InsuranceRequest]:
    """The repost chain from the first request to the latest, oldest first."""
    chain = [request]
    seen = {request.pk}
    current = request
    while current.previous_id and current.previous_id not in seen:
        current = InsuranceRequest.objects.select_related("previous", "line").get(pk=current.previous_id)
        chain.insert(0, current)
        seen.add(current.pk)
    following = InsuranceRequest.objects.filter(previous=request).first()
    while following is not None and following.pk not in seen:
        chain.append(following)
        seen.add(following.pk)
        following = InsuranceRequest.objects.filter(previous=following).first()
    return chain


def agents_for_routing(*, request: InsuranceRequest, today: dt.date | None = None, now: dt.datetime | None = None):
    """Active agents of the chosen insurers serving the request's province, minus excluded ones.

    An agent serves the provinces they declared; one who declared none serves the
    province of their office.
    """
    through = Agent.service_provinces.through
    declared_here = through.objects.filter(agent_id=OuterRef("pk"), province_id=request.province_id)
    declared_any = through.objects.filter(agent_id=OuterRef("pk"))
    return (
        agents_gateway_active(today=today, now=now)
        .filter(insurer__in=request.insurers.all())
        .filter(Exists(declared_here) | (~Exists(declared_any) & Q(province_id=request.province_id)))
        .exclude(pk__in=request.excluded_agents.all())
    )


# Stand-ins compiled into the routing SELECT in place of the values that change per call.
# Nothing real has a negative id or a date in 1901, so no constant of the rule can be mistaken for one.
_ROUTING_REQUEST = -16_001
_ROUTING_PROVINCE = -16_002
_ROUTING_TODAY = dt.date(1901, 1, 16)
_ROUTING_NOW = dt.datetime(1901, 1, 16, 1, 2, 3, tzinfo=dt.UTC)
_ROUTING_SQL: dict[str, tuple[str, list]] = {}


@dataclass(frozen=True)
class _RoutingSlot:
    """A place in the compiled routing parameters that each call fills with its own value."""

    name: str


def agents_for_routing_sql(
    *, request: InsuranceRequest, today: dt.date, now: dt.datetime, connection
) -> tuple[str, list]:
    """`agents_for_routing(request)` as SQL text and parameters, columns `pk, user_id, insurer_id`.

    Building and compiling that queryset (four subqueries) cost a post more Django CPU than
    everything else in it (cProfile, docs/issue16/post.md), and its SQL is the same text for
    every request: only the request, its province, today and now change. So the queryset is
    compiled once per process and database with stand-ins for those four values, and each
    call only puts its own values in their places. The queryset stays the one definition
    of the rule (`test_post_path.py` checks both give the same agents).
    """
    ops = connection.ops
    compiled = _ROUTING_SQL.get(connection.alias)
    if compiled is None:
        stand_in = InsuranceRequest(pk=_ROUTING_REQUEST, province_id=_ROUTING_PROVINCE)
        queryset = agents_for_routing(request=stand_in, today=_ROUTING_TODAY, now=_ROUTING_NOW)
        sql, params = queryset.values("pk", "user_id", "insurer_id").query.sql_with_params()
        # Each stand-in as the compiler wrote it into the parameters (SQLite gets dates as text).
        slots = {
            _ROUTING_REQUEST: _RoutingSlot("request_id"),
            _ROUTING_PROVINCE: _RoutingSlot("province_id"),
            ops.adapt_datefield_value(_ROUTING_TODAY): _RoutingSlot("today"),
            ops.adapt_datetimefield_value(_ROUTING_NOW): _RoutingSlot("now"),
        }
        template = [_slot_for(param, slots) for param in params]
        missing = set(slots.values()) - {param for param in template if isinstance(param, _RoutingSlot)}
        if missing:  # the rule's shape changed under us: better no fan-out than a wrong one
            raise RuntimeError(f"routing SQL: no place found for {sorted(slot.name for slot in missing)}")
        compiled = _ROUTING_SQL[connection.alias] = (sql, template)
    sql, template = compiled
    values = {
        "request_id": request.pk,
        "province_id": request.province_id,
        "today": ops.adapt_datefield_value(today),
        "now": ops.adapt_datetimefield_value(now),
    }
    return sql, [values[param.name] if isinstance(param, _RoutingSlot) else param for param in template]


def _slot_for(param, slots: dict):
    try:
        return slots.get(param, param)
    except TypeError:  # an unhashable parameter (a list) is a constant of the rule
        return param


def _agents_serving(*, province):
    """Active agents serving `province`: the routing rule of `agents_for_routing`, without a request."""
    through = Agent.service_provinces.through
    declared_here = through.objects.filter(agent_id=OuterRef("pk"), province_id=province.pk)
    declared_any = through.objects.filter(agent_id=OuterRef("pk"))
    return agents_gateway_active().filter(Exists(declared_here) | (~Exists(declared_any) & Q(province_id=province.pk)))


def insurer_availability(*, province) -> list[dict]:
    """Every active insurer with whether it has an active agent serving `province` now."""
    with_agents = set(_agents_serving(province=province).values_list("insurer_id", flat=True))
    return [
        {"code": insurer.code, "name": insurer.name, "has_active_agents": insurer.pk in with_agents}
        for insurer in Insurer.objects.filter(is_active=True)
    ]


def insurers_with_active_agents(*, province, excluded_agents=()) -> list[Insurer]:
    """The active insurers with at least one active agent serving `province` now, in one query.

    What a customer whose chosen insurers have nobody there can choose instead (issue 14
    point 10); `excluded_agents` (a repost's) do not count, as routing skips them.
    """
    serving = _agents_serving(province=province).filter(insurer_id=OuterRef("pk"))
    if excluded_agents:
        serving = serving.exclude(pk__in=list(excluded_agents))
    return list(Insurer.objects.filter(is_active=True).filter(Exists(serving)))


def _agent_leads(agent: Agent):
    """The agent's deliveries with what every lead view shows, flags computed in SQL:
    `responded` (this agent answered) and `taken` (someone of their insurer did).

    Line, province and customer come by prefetch, not by join: PostgreSQL spent 4-6 ms
    planning the six-way join for a 0.3 ms page (EXPLAIN ANALYZE, docs/BENCHMARKS.md);
    three small lookups by primary key plan in microseconds.
    """
    mine = LeadResponse.objects.filter(request_id=OuterRef("request_id"), agent=agent)
    my_insurer = LeadResponse.objects.filter(request_id=OuterRef("request_id"), insurer_id=agent.insurer_id)
    return (
        Delivery.objects.filter(agent=agent)
        .select_related("request__accepted_response")
        .prefetch_related("request__line", "request__province", "request__customer")
        .annotate(responded=Exists(mine), taken=Exists(my_insurer))
    )


def lead_for_agent(*, agent: Agent, request_id) -> Delivery:
    """The one way an agent reaches a request: through a delivery made to them. Else 404."""
    delivery = _agent_leads(agent).filter(request_id=request_id).first()
    if delivery is None:
        raise _request_not_found()
    return delivery


LEAD_STATES = ("new", "responded", "accepted", "closed")


def lead_list_for_agent(*, agent: Agent, line=None, province=None, state=None):
    """The agent's inbox. Flags are computed in SQL, so the query count does not grow with leads."""
    leads = _agent_leads(agent)
    if line:
        leads = leads.filter(request__line__code=line)
    if province:
        leads = leads.filter(Q(request__province__code=province) | Q(request__province__name=province))
    if state == "new":
        leads = leads.filter(request__status=InsuranceRequest.Status.OPEN, taken=False)
    elif state == "responded":
        leads = leads.filter(responded=True)
    elif state == "accepted":
        leads = leads.filter(request__accepted_response__agent=agent)
    elif state == "closed":
        leads = leads.exclude(request__status=InsuranceRequest.Status.OPEN).exclude(
            request__accepted_response__agent=agent
        )
    return leads.order_by("-created_at", "-id")


# --- The inbox in one statement a page (issue 16 point 2) ---------------------------------


@dataclass(frozen=True, slots=True)
class LeadRow:
    """One row of the agent's inbox as `LeadInbox` reads it: what `LeadSerializer` shows of a
    delivery, flat. `accepted_agent_id` and `status` are what the reveal rule needs
    (`customer_visible_to`); `quote` and `quote_tariff_year` are what `lead_quote` reads."""

    request_id: int
    created_at: dt.datetime
    params: dict
    city: str
    note: str
    status: str
    quote: dict
    quote_tariff_year: int | None
    line_code: str
    line_name: str
    province_name: str
    accepted_agent_id: int | None
    customer_first_name: str
    customer_last_name: str
    customer_mobile: str
    responded: bool
    taken: bool

    def customer_visible_to(self, agent: Agent) -> bool:
        return _customer_visible(agent_id=agent.pk, accepted_agent_id=self.accepted_agent_id, status=self.status)


@functools.cache
def _inbox_sql(vendor: str) -> dict[str, str]:
    """The inbox's SQL pieces with table and column names from the models' `_meta`, quoted for
    this database (`vendor` keys the cache); values are `%s` placeholders."""
    related = {name: InsuranceRequest._meta.get_field(name).related_model for name in ("line", "province", "customer")}
    names = sql_names(
        d=Delivery,
        r=InsuranceRequest,
        l=related["line"],
        p=related["province"],
        a=LeadResponse,
        u=related["customer"],
    )
    accepted_mine = "EXISTS (SELECT 1 FROM {a_table} a WHERE a.{a_id} = r.{r_accepted_response} AND a.{a_agent} = %s)"
    pieces = {
        # The page: deliveries only (with the request when a filter reads it), narrow rows,
        # so the window's total is counted over ids and dates, not over params and quotes.
        "page": "SELECT d.{d_id} AS id, d.{d_request} AS request_id, d.{d_created_at} AS created_at",
        "total": ", count(*) OVER () AS total",
        "count": "SELECT count(*)",
        "deliveries": " FROM {d_table} d",
        "with_request": " INNER JOIN {r_table} r ON r.{r_id} = d.{d_request}",
        "mine": " WHERE d.{d_agent} = %s",
        "line": " AND r.{r_line} IN (SELECT l.{l_id} FROM {l_table} l WHERE l.{l_code} = %s)",
        "province": (
            " AND r.{r_province} IN (SELECT p.{p_id} FROM {p_table} p WHERE p.{p_code} = %s OR p.{p_name} = %s)"
        ),
        "new": (
            " AND r.{r_status} = %s"
            " AND NOT EXISTS (SELECT 1 FROM {a_table} a WHERE a.{a_request} = d.{d_request} AND a.{a_insurer} = %s)"
        ),
        "responded": " AND EXISTS (SELECT 1 FROM {a_table} a WHERE a.{a_request} = d.{d_request} AND a.{a_agent} = %s)",
        "accepted": " AND " + accepted_mine,
        "closed": " AND r.{r_status} <> %s AND NOT " + accepted_mine,
        "order": " ORDER BY d.{d_created_at} DESC, d.{d_id} DESC LIMIT %s OFFSET %s",
        # What the answer shows, read for the page's rows only.
        "rows": (
            "SELECT page.request_id, page.created_at, r.{r_params}, r.{r_city}, r.{r_note}, r.{r_status},"
            " r.{r_quote}, r.{r_quote_tariff_year},"
            " (SELECT l.{l_code} FROM {l_table} l WHERE l.{l_id} = r.{r_line}),"
            " (SELECT l.{l_name} FROM {l_table} l WHERE l.{l_id} = r.{r_line}),"
            " (SELECT p.{p_name} FROM {p_table} p WHERE p.{p_id} = r.{r_province}),"
            " (SELECT a.{a_agent} FROM {a_table} a WHERE a.{a_id} = r.{r_accepted_response}),"
            " u.{u_first_name}, u.{u_last_name}, u.{u_mobile},"
            " EXISTS (SELECT 1 FROM {a_table} a WHERE a.{a_request} = page.request_id AND a.{a_agent} = %s),"
            " EXISTS (SELECT 1 FROM {a_table} a WHERE a.{a_request} = page.request_id AND a.{a_insurer} = %s),"
            " page.total FROM ("
        ),
        "rows_end": (
            ") page INNER JOIN {r_table} r ON r.{r_id} = page.request_id"
            " INNER JOIN {u_table} u ON u.{u_id} = r.{r_customer}"
            " ORDER BY page.created_at DESC, page.id DESC"
        ),
    }
    return {key: piece.format(**names) for key, piece in pieces.items()}


class LeadInbox:
    """The agent's inbox, `lead_list_for_agent`'s rows, filters and order, read with one plain
    SQL statement a page: the page's rows and the total (`count(*) OVER ()`) together.

    Why not the ORM: its page cost about 20 ms of Django CPU for 0.4 ms of PostgreSQL
    (issue 16), spent building and compiling the annotated query (two Exists, a
    select_related, three prefetches) and the paginator's separate COUNT.

    The statement's shape, from PostgreSQL's EXPLAIN ANALYZE (docs/issue16/inbox.md): an
    inner query picks the page from the deliveries (joined to the request only when a
    filter reads it) and counts them over narrow rows; windowing the wide rows (params,
    quote) took 35 ms for an inbox of 3,000. The outer query reads what the answer shows for
    the page's rows only. Line, province and the accepted response's agent are scalar
    subqueries by primary key, not joins: PostgreSQL planned an earlier six-way join for
    3-6 ms to run it in under one. The customer is joined by primary key;
    `LeadRow.customer_visible_to` decides whether the answer shows it.
    tests/insurance_requests/test_inbox_query.py holds this equal to `lead_list_for_agent`,
    which stays the reference.

    It is also the object list Django's paginator needs: `fetch(offset=, limit=)` reads a
    page before the paginator asks, then `count()` and the page's slice answer from it. Only
    a page that comes back empty past the first (out of range) costs a second statement:
    the count, for the paginator's answer.
    """

    def __init__(self, *, agent: Agent, line=None, province=None, state=None):
        self.agent = agent
        sql = _inbox_sql(connection.vendor)
        conditions = sql["mine"]
        self._params: list = [agent.pk]
        if line:
            conditions += sql["line"]
            self._params.append(line)
        if province:
            conditions += sql["province"]
            self._params += [province, province]
        if state == "new":
            conditions += sql["new"]
            self._params += [InsuranceRequest.Status.OPEN.value, agent.insurer_id]
        elif state in ("responded", "accepted"):
            conditions += sql[state]
            self._params.append(agent.pk)
        elif state == "closed":
            conditions += sql["closed"]
            self._params += [InsuranceRequest.Status.OPEN.value, agent.pk]
        reads_request = line or province or state in ("new", "accepted", "closed")
        self._from = sql["deliveries"] + (sql["with_request"] if reads_request else "") + conditions
        page = sql["page"] + sql["total"] + self._from + sql["order"]
        self._rows_statement = sql["rows"] + page + sql["rows_end"]
        self._count_statement = sql["count"] + self._from
        self._page: tuple[int, list[LeadRow]] | None = None
        self._total: int | None = None

    def fetch(self, *, offset: int, limit: int) -> list[LeadRow]:
        """The rows from `offset`, at most `limit` of them; the total comes with any row."""
        params = [self.agent.pk, self.agent.insurer_id, *self._params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(self._rows_statement, params)
            raw = cursor.fetchall()
        converters = _inbox_converters(connection.vendor)
        rows = []
        for values in raw:
            *values, total = values
            convert_row(values, converters)
            rows.append(LeadRow(*values[:-2], responded=bool(values[-2]), taken=bool(values[-1])))
            self._total = total
        self._page = (offset, rows)
        return rows

    def count(self) -> int:
        if self._total is None:
            if self._page is not None and self._page[0] == 0:
                self._total = 0  # the first page came back empty: there is nothing
            else:
                with connection.cursor() as cursor:
                    cursor.execute(self._count_statement, self._params)
                    self._total = cursor.fetchone()[0]
        return self._total

    def __getitem__(self, window: slice) -> list[LeadRow]:
        if self._page is None or self._page[0] != window.start:
            self.fetch(offset=window.start, limit=window.stop - window.start)
        return self._page[1][: window.stop - window.start]


@functools.cache
def _inbox_converters(vendor: str) -> tuple:
    """The ORM's converters for the typed columns of the rows statement (by position)."""
    request = InsuranceRequest._meta
    typed = {1: Delivery._meta.get_field("created_at"), 2: request.get_field("params"), 6: request.get_field("quote")}
    return row_converters([typed.get(index) for index in range(max(typed) + 1)])


def lead_customer_visible(*, agent: Agent, request: InsuranceRequest) -> bool:
    """The customer's name and mobile are for the accepted agent only."""
    accepted = request.accepted_response
    return _customer_visible(
        agent_id=agent.pk, accepted_agent_id=accepted.agent_id if accepted else None, status=request.status
    )


def _customer_visible(*, agent_id: int, accepted_agent_id: int | None, status: str) -> bool:
    """`lead_customer_visible` on plain values, for the inbox's rows (`LeadRow`) as for objects."""
    return accepted_agent_id is not None and accepted_agent_id == agent_id and status in _CUSTOMER_VISIBLE_STATUSES


_CUSTOMER_VISIBLE_STATUSES = (InsuranceRequest.Status.ACCEPTED, InsuranceRequest.Status.ENDED)


def request_quote(request) -> dict | None:
    """The stored quote of a request in the API's shape; None for a request posted without one."""
    if not request.quote or request.quote_tariff_year is None:
        return None
    return {"tariff_year": request.quote_tariff_year, "quotes": request.quote.get("quotes", [])}


def lead_quote(request, *, insurer_code: str) -> dict | None:
    """One insurer's line of a request's stored quote; None when the request has none for it."""
    quote = request_quote(request)
    mine = next((line for line in quote["quotes"] if line["insurer"] == insurer_code), None) if quote else None
    if mine is None:
        return None
    return {"tariff_year": quote["tariff_year"], "premium": mine["premium"], "breakdown": mine["breakdown"]}


def open_request_counts_by_line(*, insurer_id, provinces) -> dict[str, int]:
    """Open requests sent to one insurer in some provinces, per line: the pre-verification teaser.

    Read from the replica when there is one: counts a second old decide nothing."""
    rows = (
        InsuranceRequest.objects.filter(
            status=InsuranceRequest.Status.OPEN, insurers=insurer_id, province__in=list(provinces)
        )
        .values("line__code")
        .annotate(total=Count("id"))
        .order_by()
    )
    with replica():
        return {row["line__code"]: row["total"] for row in rows}


def agent_lead_counts(agent: Agent) -> list[dict]:
    """Open requests for the agent's insurer per line in the agent's service provinces —
    counts only, never details. This is what an agent sees before verification (SPEC §3 step 3).
    A marketplace read: it lived in agents/selectors.py until the layers (issue 15 point 6)."""
    counts = open_request_counts_by_line(insurer_id=agent.insurer_id, provinces=service_province_list(agent))
    return [{"line": line.code, "name": line.name, "count": counts.get(line.code, 0)} for line in line_list()]


def agent_response_stats(*, agent: Agent) -> dict:
    seconds = list(LeadResponse.objects.filter(agent=agent).values_list("response_seconds", flat=True))
    return {
        "responses": len(seconds),
        "median_response_seconds": int(statistics.median(seconds)) if seconds else None,
    }


def agent_rating_summary(*, agent_id) -> dict:
    summary = AgentRating.objects.filter(agent_id=agent_id).aggregate(average=Avg("score"), count=Count("id"))
    average = summary["average"]
    return {"average": round(float(average), 1) if average is not None else None, "count": summary["count"]}


def _jalali_text(value) -> str:
    """A stored ISO date as the customer reads it (1404/08/30); anything unparsable as stored."""
    from core.jalali import format_jalali, parse_date

    try:
        return format_jalali(parse_date(value))
    except ValueError:
        return str(value)


def _entry_text(param: dict, entry) -> str:
    """One entry of a list parameter: its dates in Jalali, its other values as stored."""
    if not isinstance(entry, dict):
        return str(entry)
    kinds = {item["name"]: item["type"] for item in param.get("items", [])}
    return LIST_SEPARATOR.join(
        _jalali_text(value) if kinds.get(name) == "date" else str(value) for name, value in entry.items()
    )


def params_display(*, line_code: str, params: dict) -> list[tuple[str, str]]:
    """A request's params as (Persian label, readable value) pairs, in the calculator's order."""
    from core.text import group_thousands
    from pricing.selectors import line_parameters

    if not params:
        return []
    try:
        described = line_parameters(line_code)
    except Exception:  # a line without a calculator, or tariffs missing: show raw values
        described = []
    rows = []
    for param in described:
        value = params.get(param["name"])
        if value in (None, "", []):
            # Not given (an optional choice left empty, travel's zone when the country was
            # given): nothing to show, not "None".
            continue
        labels = {str(choice["value"]): choice["label"] for choice in param.get("choices", [])}
        if param["type"] == "list" and isinstance(value, list):
            # Travellers: «مسافر ۱: ۱۳۷۰/۰۵/۱۰، مسافر ۲: …»
            pattern = param.get("item_label", "{n}")
            entries = [
                f"{pattern.replace('{n}', str(number))}: {_entry_text(param, entry)}"
                for number, entry in enumerate(value, start=1)
            ]
            text = LIST_SEPARATOR.join(entries) or "—"
        elif isinstance(value, list):
            text = LIST_SEPARATOR.join(labels.get(str(item), str(item)) for item in value) or "—"
        elif isinstance(value, bool):
            text = _("بله") if value else _("خیر")
        elif str(value) in labels:
            text = labels[str(value)]
        elif param["type"] == "money":
            text = _("%(amount)s تومان") % {"amount": group_thousands(int(value) // 10)}
        elif param["type"] == "date":
            text = _jalali_text(value)
        else:
            text = str(value)
        rows.append((param["label"], text))
    known = {param["name"] for param in described}
    rows += [(name, str(value)) for name, value in params.items() if name not in known]
    return rows


# --- Offers (issue 14 point 1) ------------------------------------------------------------


@dataclass(frozen=True)
class OfferPricing:
    """What the tariff says about one insurer's offer on one request, on one day.

    `bounds` is None where there is no tariff price (the "other" line, an insurer that does
    not sell the line, inputs the current tariff no longer takes): the agent types the
    premium and there is no floor. `installment_terms` is None for a line sold for cash only.
    """

    bounds: OfferBounds | None
    installment_terms: InstallmentTerms | None
    covers_choices: tuple[tuple[str, str], ...]
    installments_count: int | None = None


class OfferCoversError(ApplicationError):
    """A cover code the line does not have (the message names it, in Persian), on `covers`."""

    code = "unknown_cover"

    def __init__(self, message: str):
        super().__init__(message, field="covers")


def _covers_param(line_code: str, snapshot) -> dict | None:
    from pricing.core.engine import CALCULATORS, line_params

    if line_code not in CALCULATORS:
        return None
    for param in line_params(line_code, snapshot, timezone.localdate()):
        if param.name == "covers":
            return param.as_dict()
    return None


def offer_pricing(*, request: InsuranceRequest, insurer_code: str, covers=None, today=None) -> OfferPricing:
    """The tariff premium and floor for `insurer_code`'s offer with `covers` (default: the
    request's own), the insurer's instalment terms and the line's optional covers."""
    from pricing.core.errors import InputError
    from pricing.core.installments import installment_terms
    from pricing.offers import offer_bounds
    from pricing.selectors import TariffMissingError, tariff_snapshot
    from pricing.services import ParamsError, validate_params

    today = today or timezone.localdate()
    line_code = request.line.code
    try:
        snapshot = tariff_snapshot(on=today)
    except TariffMissingError:
        return OfferPricing(bounds=None, installment_terms=None, covers_choices=())
    covers_param = _covers_param(line_code, snapshot)
    choices = tuple((str(c["value"]), c["label"]) for c in covers_param["choices"]) if covers_param else ()
    params = dict(request.params or {})
    if covers is not None:
        covers = list(dict.fromkeys(str(code) for code in covers))
        known = {code for code, _label in choices}
        unknown = [code for code in covers if code not in known]
        if unknown:
            raise OfferCoversError(
                _("این پوشش‌ها برای %(line)s تعریف نشده‌اند: %(codes)s")
                % {"line": request.line.name, "codes": LIST_SEPARATOR.join(unknown[:5])}
            )
        if covers_param:
            params["covers"] = covers
    terms = installment_terms(snapshot, line_code, insurer_code) if line_code != "other" else None
    count = params.get("installments_count")
    bounds = None
    if line_code != "other":
        try:
            cleaned = validate_params(line_code, params, today=today)
            bounds = offer_bounds(snapshot, line_code, cleaned, insurer_code, today)
        except (ParamsError, InputError):
            bounds = None
    return OfferPricing(
        bounds=bounds,
        installment_terms=terms,
        covers_choices=choices,
        installments_count=int(count) if isinstance(count, int) else None,
    )


def offer_expired(response: LeadResponse, *, today=None) -> bool:
    """An offer is good through its `valid_until` day; a legacy answer without one never lapses."""
    if response.valid_until is None:
        return False
    return response.valid_until < (today or timezone.localdate())


def agents_offer_stats(*, agent_ids) -> dict[int, dict]:
    """Per agent: rating average and count, and the median seconds to answer a lead.

    Two queries for any number of agents; the customer compares offers by these before the
    agent's identity is revealed, so they describe the agent's record, never the agent.
    Read from the replica when there is one: a rating a second old changes no decision.
    """
    agent_ids = list(set(agent_ids))
    with replica():
        ratings = {
            row["agent_id"]: row
            for row in AgentRating.objects.filter(agent_id__in=agent_ids)
            .values("agent_id")
            .annotate(average=Avg("score"), count=Count("id"))
            .order_by()
        }
        seconds: dict[int, list[int]] = {}
        for agent_id, value in LeadResponse.objects.filter(agent_id__in=agent_ids).values_list(
            "agent_id", "response_seconds"
        ):
            seconds.setdefault(agent_id, []).append(value)
    stats = {}
    for agent_id in agent_ids:
        rating = ratings.get(agent_id)
        times = seconds.get(agent_id)
        stats[agent_id] = {
            "rating_average": round(float(rating["average"]), 1) if rating else None,
            "rating_count": rating["count"] if rating else 0,
            "median_response_seconds": int(statistics.median(times)) if times else None,
        }
    return stats


def _offer_sort_key(response: LeadResponse):
    # Cheapest first; answers from before offers existed (no premium) after every priced one.
    return (response.premium is None, response.premium or 0, response.created_at, response.pk)


def request_offers(*, request: InsuranceRequest, today=None) -> list[LeadResponse]:
    """The responses to a request as offers, cheapest first, each with `stats` (its agent's
    rating and median response time), `expired` and `covers_labels` set for display."""
    from pricing.selectors import TariffMissingError, tariff_snapshot

    today = today or timezone.localdate()
    responses = sorted(request_responses(request=request), key=_offer_sort_key)
    stats = agents_offer_stats(agent_ids=[response.agent_id for response in responses])
    labels: dict[str, str] = {}
    if any(response.covers for response in responses):
        try:
            covers_param = _covers_param(request.line.code, tariff_snapshot(on=today))
        except TariffMissingError:
            covers_param = None
        if covers_param:
            labels = {str(c["value"]): c["label"] for c in covers_param["choices"]}
    for response in responses:
        response.stats = stats[response.agent_id]
        response.expired = offer_expired(response, today=today)
        response.covers_labels = [labels.get(code, code) for code in response.covers]
        response.installment_rows = [
            {"due_on": dt.date.fromisoformat(row["due_on"]), "amount": row["amount"]}
            for row in (response.installments or [])
        ]
        response.discount = (
            response.quoted_premium - response.premium
            if response.premium is not None and response.quoted_premium is not None
            else None
        )
    return responses


def offer_for_customer(*, request: InsuranceRequest, response_id) -> LeadResponse:
    """One offer on the customer's request, as the offers list shows it; else NotFoundError."""
    found = next((offer for offer in request_offers(request=request) if offer.pk == response_id), None)
    if found is None:
        raise NotFoundError(_("پیشنهاد پیدا نشد."))
    return found
