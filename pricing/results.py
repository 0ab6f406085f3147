"""The quote results list as the visitor narrows and orders it (issue 14 point 10).

Up to 23 insurers answer a quote; on a phone that is a long scroll. The list can be
filtered by the insurer's name, to insurers that sell in instalments or that need no
inspection, and sorted by price either way or by name. Presentation only: the quotes
themselves (and their order in the API, cheapest first) do not change. GET parameters, so
it works without JavaScript and a filtered list can be shared; static/js/quote_filter.js
does the same in the page without a round trip.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.text import to_persian_letters
from pricing.core.quote import Quote

SORTS = {
    "price": _("ارزان‌ترین اول"),
    "-price": _("گران‌ترین اول"),
    "name": _("به ترتیب نام بیمه‌گر"),
}
DEFAULT_SORT = "price"

# The query keys of the bar, apart from the form's own inputs.
FILTER_KEYS = ("insurer_q", "only_installments", "no_inspection", "sort")


def normalize_name(text: str) -> str:
    """Persian text as typed on any keyboard: Arabic ي/ك as Persian ی/ک, no half-space, lower case."""
    return " ".join(to_persian_letters(text or "").replace("\u200c", " ").lower().split())


@dataclass(frozen=True)
class QuoteRow:
    quote: Quote
    rank: int | None  # its place among the shown ones; None when filtered out


@dataclass(frozen=True)
class QuoteListing:
    """`quotes` are the ones shown, in order; `rows` are all of them in that order, the
    filtered-out ones too (rendered hidden, so the script can bring them back at once)."""

    quotes: list[Quote]
    rows: list[QuoteRow]
    total: int
    insurer_q: str
    only_installments: bool
    no_inspection: bool
    sort: str
    any_installments: bool
    any_inspection: bool

    @property
    def filtered(self) -> bool:
        return bool(self.insurer_q or self.only_installments or self.no_inspection)

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort]


def quote_listing(quotes: list[Quote], query) -> QuoteListing:
    """The quotes to show, given the bar's GET parameters in `query`."""
    insurer_q = str(query.get("insurer_q", "")).strip()[:60]
    only_installments = query.get("only_installments") == "1"
    no_inspection = query.get("no_inspection") == "1"
    sort = query.get("sort") if query.get("sort") in SORTS else DEFAULT_SORT
    needle = normalize_name(insurer_q)

    def kept(quote: Quote) -> bool:
        return (
            (not needle or needle in normalize_name(quote.insurer_name))
            and (not only_installments or bool(quote.installments))
            and (not no_inspection or not quote.inspection_required)
        )

    ordered = list(quotes)
    if sort == "name":
        ordered.sort(key=lambda quote: normalize_name(quote.insurer_name))
    else:
        # Ties keep the engine's order, so the list is stable from one visit to the next.
        ordered.sort(key=lambda quote: quote.premium, reverse=sort == "-price")
    shown = [quote for quote in ordered if kept(quote)]
    ranks = {id(quote): place for place, quote in enumerate(shown, start=1)}
    return QuoteListing(
        quotes=shown,
        rows=[QuoteRow(quote, ranks.get(id(quote))) for quote in ordered],
        total=len(quotes),
        insurer_q=insurer_q,
        only_installments=only_installments,
        no_inspection=no_inspection,
        sort=sort,
        any_installments=any(quote.installments for quote in quotes),
        any_inspection=any(quote.inspection_required for quote in quotes),
    )
