from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.cache import cache_versions
from core.page_cache import accept_header, anonymous_page_cache, tehran_date
from core.text import to_persian_digits
from core.throttling import ClientIpScopedRateThrottle
from insurers.cache import VERSION_KEY as REFERENCE_VERSION
from pricing.selectors import line_catalog
from pricing.serializers import LineSerializer, QuoteInputSerializer, QuoteOutputSerializer
from pricing.services import memo_put, quote_compare
from pricing.snapshots import VERSION_KEY as TARIFF_VERSION

_ERROR_EXAMPLE = OpenApiExample(
    "bad params",
    value={"params": {"build_year": [gettext_lazy("خودروهایی که بیش از ۲۰ سال از ساختشان گذشته بیمه بدنه نمی‌شوند.")]}},
    response_only=True,
    status_codes=["400"],
)


class LineListApi(APIView):
    """Every line with its parameters: types, limits, defaults and choices."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @classmethod
    def as_view(cls, **initkwargs):
        # The catalog changes with the tariff (and the day) and with the lines' names:
        # anonymous callers are served the rendered JSON from the cache (issue 16 point 1).
        view = super().as_view(**initkwargs)
        versions = (TARIFF_VERSION, REFERENCE_VERSION)
        return anonymous_page_cache(key_parts=(accept_header, tehran_date), versions=versions)(view)

    @extend_schema(tags=["pricing"], responses=LineSerializer(many=True))
    def get(self, request):
        return Response(line_catalog())


class QuoteApi(APIView):
    """Every available insurer's price for a line, cheapest first."""

    permission_classes = [AllowAny]
    # Prices are the same for everyone: no identity is needed, and resolving one (session,
    # token) was a sixth of the endpoint's time. The rate limit is per client address.
    authentication_classes = []
    throttle_classes = [ClientIpScopedRateThrottle]
    throttle_scope = "pricing"

    @extend_schema(
        tags=["pricing"],
        request=QuoteInputSerializer,
        responses={
            200: QuoteOutputSerializer,
            400: OpenApiResponse(description="{field: [message]}, nested under `params` for parameters"),
            429: OpenApiResponse(description="rate limited; see Retry-After"),
        },
        examples=[
            OpenApiExample(
                "third party",
                value={
                    "line": "third_party",
                    "params": {"vehicle_group": "car_4cyl", "no_claim_years": to_persian_digits("3")},
                },
                request_only=True,
            ),
            _ERROR_EXAMPLE,
        ],
    )
    def post(self, request):
        today = timezone.localdate()
        # Insurers and lines are reference data, not the tariff: a deactivated insurer must
        # leave the answers at once, so their version is in the key too.
        memo_key = _answer_memo_key(request, (today, *cache_versions(TARIFF_VERSION, REFERENCE_VERSION)))
        content = _ANSWER_MEMO.get(memo_key) if memo_key is not None else None
        if content is None:
            line, params, insurers = _quote_input(request.data)
            result = quote_compare(line=line, params=params, insurers=insurers, today=today)
            answer = {"line": result.line, "solar_year": result.solar_year, "quotes": list(result.quotes_payload)}
            if memo_key is None:
                return Response(answer)
            content = request.accepted_renderer.render(answer, request.accepted_media_type, self.get_renderer_context())
            memo_put(_ANSWER_MEMO, memo_key, content, size=_ANSWER_MEMO_SIZE)
        return HttpResponse(content, content_type=request.accepted_renderer.media_type)


# The answer's bytes, by (day, tariff and reference-data versions, request body): the same body on the same
# tariff version and day gets the same answer, so a repeated quote (wrk's and customers'
# common cases) skips parsing, cleaning, comparing and rendering — 80% of its CPU. Only
# answers rendered as plain JSON are kept (a client asking for `indent` gets a fresh one),
# only 200s (an error is computed again), and only small bodies: a padded 1 MB body must
# not pin a megabyte per entry. A tariff or reference-data edit changes a version, hence every key.
_ANSWER_MEMO: dict[tuple, bytes] = {}
_ANSWER_MEMO_SIZE = 512
_ANSWER_MEMO_MAX_BODY = 2048


def _answer_memo_key(request, versions: tuple) -> tuple | None:
    if request.accepted_media_type != request.accepted_renderer.media_type:
        return None
    try:
        body = request.body
    except RawPostDataException:  # a multipart body already read as a form: no key, no memo
        return None
    if len(body) > _ANSWER_MEMO_MAX_BODY:
        return None
    # The content type picks the parser: the same bytes as a form are another question.
    return (*versions, request.META.get("CONTENT_TYPE", ""), body)


def _quote_input(data) -> tuple[str, object, list[str] | None]:
    """The body of QuoteInputSerializer, checked by hand.

    Instantiating the serializer (DRF deep-copies its fields every time) cost as much as
    the whole memoised comparison; the three checks below give the same answers.
    """
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("بدنه درخواست باید یک شیء JSON باشد.")]})
    errors = {}
    line = data.get("line")
    if line in (None, ""):
        errors["line"] = [_("رشته بیمه را بفرستید.")]
    elif not isinstance(line, str):
        errors["line"] = [_("رشته بیمه باید یک کد متنی باشد.")]
    insurers = data.get("insurers")
    if insurers is not None and (not isinstance(insurers, list) or not all(isinstance(code, str) for code in insurers)):
        errors["insurers"] = [_("فهرستی از کد بیمه‌گران بفرستید.")]
    if errors:
        raise ValidationError(errors)
    params = data.get("params")
    return line, {} if params is None else params, insurers
