from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotFoundError
from core.page_cache import anonymous_page_cache, tehran_date
from core.throttling import form_refused, web_rate_limit
from insurers.cache import VERSION_KEY as REFERENCE_VERSION
from insurers.selectors import line_list
from pricing.core.engine import CALCULATORS
from pricing.forms import field_states, params_as_json, params_for_service, raw_from_query
from pricing.results import FILTER_KEYS, SORTS, quote_listing
from pricing.selectors import line_names, line_param_specs
from pricing.services import ParamsError, quote_compare
from pricing.snapshots import VERSION_KEY as TARIFF_VERSION
from pricing.snapshots import snapshot_cache_key

REQUEST_FORM_PATH = "/requests/new/"


@anonymous_page_cache(key_parts=(tehran_date,), versions=(TARIFF_VERSION, REFERENCE_VERSION))
def pricing_index(request):
    lines = [line for line in line_list() if line.code in CALCULATORS]
    return render(request, "pricing/index.html", {"lines": lines})


def _submitted(request):
    return request.GET.get("submitted") == "1"


def _blank_form(request):
    return not request.GET


# The blank form only: results depend on the inputs, and each is asked for rarely.
@anonymous_page_cache(key_parts=(tehran_date,), versions=(TARIFF_VERSION, REFERENCE_VERSION), when=_blank_form)
# Prices are computed on GET (results can be shared), so submitted GETs and HEADs count.
# Keyed by address like the pricing API, which resolves no identity: one budget for both.
# Refused, the form is shown again with what was typed and no prices (issue 14 point 10).
@web_rate_limit("pricing", methods=("GET", "HEAD"), when=_submitted, per_address=True, shows_refused_get=True)
def quote_page(request, line):
    """One line's quote form; submitted (GET, so results can be shared) it lists every price."""
    if line not in CALCULATORS:
        raise NotFoundError(_("این رشته بیمه در مقایسه قیمت نیست."))
    specs = line_param_specs(line)
    submitted = _submitted(request)
    raw = raw_from_query(specs, request.GET, submitted=submitted)
    errors: dict[str, list[str]] = {}
    result = None
    form_error = ""
    if submitted and not form_refused():
        try:
            result = quote_compare(line=line, params=params_for_service(specs, raw))
        except ParamsError as exc:
            errors = exc.errors
            form_error = _("لطفاً موارد مشخص‌شده را اصلاح کنید.")
        except ApplicationError as exc:
            form_error = exc.message
    context = {
        "line": line,
        "sorts": SORTS,
        "line_name": line_names().get(line, line),
        "fields": field_states(specs, raw, errors),
        "result": result,
        "listing": quote_listing(result.quotes, request.GET) if result else None,
        # The form's inputs, carried by the filter bar's own GET form.
        "carried_query": [
            (key, value) for key, values in request.GET.lists() if key not in FILTER_KEYS for value in values
        ],
        "form_error": form_error,
        "request_url": _request_url(line, result) if result else None,
        # The untouched form is the same for every visitor until the tariff (or the day)
        # changes: its fields are rendered once per snapshot key, not per request.
        "blank_form_key": f"{line}:{snapshot_cache_key(timezone.localdate())}" if not request.GET else None,
    }
    template = "pricing/_quote_panel.html" if request.headers.get("HX-Request") else "pricing/quote.html"
    return render(request, template, context)


def _request_url(line, result):
    """The marketplace's request form, prefilled; absent (not a dead link) until it exists."""
    try:
        resolve(REQUEST_FORM_PATH)
    except Resolver404:
        return None
    query = [("line", line), ("params", params_as_json(result.params))]
    query += [("insurers", quote.insurer) for quote in result.quotes]
    return f"{REQUEST_FORM_PATH}?{urlencode(query)}"
