from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from pricing.selectors import line_catalog
from pricing.serializers import LineSerializer, QuoteInputSerializer, QuoteOutputSerializer
from pricing.services import quote_compare

_ERROR_EXAMPLE = OpenApiExample(
    "bad params",
    value={"params": {"build_year": ["خودروهایی که بیش از ۲۰ سال از ساختشان گذشته بیمه بدنه نمی‌شوند."]}},
    response_only=True,
    status_codes=["400"],
)


class LineListApi(APIView):
    """Every line with its parameters: types, limits, defaults and choices."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(tags=["pricing"], responses=LineSerializer(many=True))
    def get(self, request):
        return Response(line_catalog())


class QuoteApi(APIView):
    """Every available insurer's price for a line, cheapest first."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
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
                value={"line": "third_party", "params": {"vehicle_group": "car_4cyl", "no_claim_years": "۳"}},
                request_only=True,
            ),
            _ERROR_EXAMPLE,
        ],
    )
    def post(self, request):
        serializer = QuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = quote_compare(line=data["line"], params=data.get("params"), insurers=data.get("insurers"))
        return Response(
            {
                "line": result.line,
                "solar_year": result.solar_year,
                "quotes": [quote.as_dict() for quote in result.quotes],
            }
        )
