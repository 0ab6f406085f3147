from django.utils.translation import gettext as _
from rest_framework import serializers

from insurance_requests.models import LeadResponse
from insurance_requests.selectors import (
    agent_rating_summary,
    agents_offer_stats,
    lead_customer_visible,
    lead_quote,
    offer_expired,
    request_offers,
    request_quote,
)
from insurers.selectors import province_by_code_or_name


class ProvinceField(serializers.CharField):
    """A province by code (`tehran`) or Persian name (`تهران`)."""

    def to_internal_value(self, data):
        province = province_by_code_or_name(super().to_internal_value(data))
        if province is None:
            raise serializers.ValidationError(_("استان نامعتبر است؛ کد یا نام فارسی یکی از ۳۱ استان را بفرستید."))
        return province


class RequestInputSerializer(serializers.Serializer):
    line = serializers.CharField()
    insurers = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    params = serializers.DictField(required=False, default=dict)
    province = ProvinceField()
    city = serializers.CharField(max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RevealedAgentSerializer(serializers.Serializer):
    agency_code = serializers.CharField()
    agency_name = serializers.CharField()
    postal_address = serializers.CharField()
    office_phone = serializers.CharField()
    postal_code = serializers.CharField()
    name = serializers.CharField()
    rating_average = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()


def revealed_agent(agent) -> dict:
    rating = agent_rating_summary(agent_id=agent.pk)
    return {
        "agency_code": agent.agency_code,
        "agency_name": agent.agency_name,
        "postal_address": agent.postal_address,
        "office_phone": agent.office_phone,
        "postal_code": agent.postal_code,
        "name": agent.user.get_full_name(),
        "rating_average": rating["average"],
        "rating_count": rating["count"],
    }


class OfferInstallmentSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.IntegerField(help_text="rial")


class OfferSerializer(serializers.Serializer):
    """An agent's offer (issue 14 point 1); `premium` is null on answers from before offers."""

    premium = serializers.IntegerField(allow_null=True, help_text="rial")
    quoted_premium = serializers.IntegerField(allow_null=True, help_text="the insurer's tariff premium, rial")
    discount = serializers.IntegerField(allow_null=True, help_text="quoted_premium − premium, rial")
    payment_plan = serializers.ChoiceField(choices=LeadResponse.PaymentPlan.choices)
    installments = OfferInstallmentSerializer(many=True)
    covers = serializers.ListField(child=serializers.CharField())
    valid_until = serializers.DateField(allow_null=True)
    expired = serializers.BooleanField()


class AgentRecordSerializer(serializers.Serializer):
    """What the customer may know of an agent before accepting: the record, not the identity."""

    rating_average = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    median_response_seconds = serializers.IntegerField(allow_null=True)


def offer_data(response) -> dict:
    discount = (
        response.quoted_premium - response.premium
        if response.premium is not None and response.quoted_premium is not None
        else None
    )
    return {
        "premium": response.premium,
        "quoted_premium": response.quoted_premium,
        "discount": discount,
        "payment_plan": response.payment_plan,
        "installments": response.installments or [],
        "covers": response.covers or [],
        "valid_until": response.valid_until,
        "expired": offer_expired(response),
    }


class ResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    insurer = serializers.CharField(source="insurer.code")
    insurer_name = serializers.CharField(source="insurer.name")
    status = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    offer = serializers.SerializerMethodField()
    agent_record = serializers.SerializerMethodField()
    agent = serializers.SerializerMethodField()

    def get_offer(self, response) -> OfferSerializer:
        return OfferSerializer(offer_data(response)).data

    def get_agent_record(self, response) -> AgentRecordSerializer:
        stats = getattr(response, "stats", None)
        if stats is None:
            stats = agents_offer_stats(agent_ids=[response.agent_id])[response.agent_id]
        return AgentRecordSerializer(stats).data

    def get_agent(self, response) -> RevealedAgentSerializer(allow_null=True):
        request = response.request
        if request.accepted_response_id == response.pk:
            return revealed_agent(response.agent)
        return None


class QuotedLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.IntegerField(help_text="rial; discounts are negative")


class QuotedInsurerSerializer(serializers.Serializer):
    insurer = serializers.CharField()
    insurer_name = serializers.CharField()
    premium = serializers.IntegerField(help_text="rial; the breakdown sums exactly to it")
    breakdown = QuotedLineSerializer(many=True)


class RequestQuoteSerializer(serializers.Serializer):
    """The prices computed for the chosen insurers when the request was posted."""

    tariff_year = serializers.IntegerField(help_text="the solar year of the tariff the quotes were computed with")
    quotes = QuotedInsurerSerializer(many=True)


class LeadQuoteSerializer(serializers.Serializer):
    """The agent's own insurer's price for the request, as computed when it was posted."""

    tariff_year = serializers.IntegerField(help_text="the solar year of the tariff the quote was computed with")
    premium = serializers.IntegerField(help_text="rial")
    breakdown = QuotedLineSerializer(many=True)


class RequestSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    line = serializers.CharField(source="line.code")
    insurers = serializers.SerializerMethodField()
    province = serializers.CharField(source="province.code")
    city = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()

    def get_insurers(self, request) -> list[str]:
        return [insurer.code for insurer in request.insurers.all()]


class RatingOutputSerializer(serializers.Serializer):
    """The customer's rating of the agent who served a request."""

    score = serializers.IntegerField(help_text="1 to 5")
    comment = serializers.CharField()


class LeadCustomerSerializer(serializers.Serializer):
    name = serializers.CharField()
    mobile = serializers.CharField()


# A line's parameters as the customer gave them: their keys depend on the line (API.md
# `params: {…}`), so the schema leaves them open.
PARAMS_HELP = "the line's parameters, keyed by parameter (free-form: API.md `params`)"


class RequestDetailSerializer(RequestSummarySerializer):
    """One request for its customer."""

    params = serializers.DictField(help_text=PARAMS_HELP)
    note = serializers.CharField()
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    next = serializers.SerializerMethodField()
    end_reason = serializers.CharField()
    responses = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    insurers_without_agents = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField()

    def get_quote(self, request) -> RequestQuoteSerializer(allow_null=True):
        return request_quote(request)

    def get_next(self, request) -> int | None:
        following = getattr(request, "next", None) if hasattr(request, "next") else None
        return following.pk if following else None

    def get_responses(self, request) -> ResponseSerializer(many=True):
        responses = self.context.get("responses")
        if responses is None:
            # Cheapest offer first, each with its agent's record (issue 14 point 1).
            responses = request_offers(request=request)
        for response in responses:
            response.request = request
        return ResponseSerializer(responses, many=True).data

    def get_rating(self, request) -> RatingOutputSerializer(allow_null=True):
        rating = getattr(request, "rating", None) if hasattr(request, "rating") else None
        return {"score": rating.score, "comment": rating.comment} if rating else None

    def get_insurers_without_agents(self, request) -> list[str]:
        return self.context.get("insurers_without_agents", [])


class CreatedRequestSerializer(RequestDetailSerializer):
    """The answer to a post or repost, from the objects in hand (context: `insurers`).

    A request made a moment ago has no responses, rating or successor; reading them back
    cost five queries of the post's budget (docs/BENCHMARKS.md). The same shape as
    RequestDetailSerializer, which a test compares field by field.
    """

    def get_insurers(self, request) -> list[str]:
        return [insurer.code for insurer in self.context["insurers"]]

    def get_next(self, request) -> None:
        return None

    def get_responses(self, request) -> list:
        return []

    def get_rating(self, request) -> RatingOutputSerializer(allow_null=True):
        return None


class LeadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.id")
    line = serializers.CharField(source="request.line.code")
    line_name = serializers.CharField(source="request.line.name")
    params = serializers.DictField(source="request.params", help_text=PARAMS_HELP)
    province = serializers.CharField(source="request.province.name")
    city = serializers.CharField(source="request.city")
    note = serializers.CharField(source="request.note")
    status = serializers.CharField(source="request.status")
    created_at = serializers.DateTimeField()
    responded = serializers.BooleanField()
    taken = serializers.BooleanField(help_text="Another agent of your insurer has already responded.")
    customer = serializers.SerializerMethodField()
    quote = serializers.SerializerMethodField()

    def get_quote(self, delivery) -> LeadQuoteSerializer(allow_null=True):
        return lead_quote(delivery.request, insurer_code=self.context["agent"].insurer.code)

    def get_customer(self, delivery) -> LeadCustomerSerializer(allow_null=True):
        request = delivery.request
        if lead_customer_visible(agent=self.context["agent"], request=request):
            return {"name": request.customer.get_full_name(), "mobile": request.customer.mobile}
        return None


# LeadSerializer's `created_at`, for `lead_rows_data`: the same field class, so the same text.
_LEAD_CREATED_AT = serializers.DateTimeField()


def lead_rows_data(rows, *, agent) -> list[dict]:
    """The inbox page's `results`: what `LeadSerializer` answers for each delivery, built from
    `LeadRow`s without DRF's per-field machinery, which cost more than the page's SQL (issue
    16). LeadSerializer stays the schema and the detail's answer; test_inbox_query.py holds
    the two equal, key order included."""
    insurer_code = agent.insurer.code
    return [
        {
            "id": row.request_id,
            "line": row.line_code,
            "line_name": row.line_name,
            "params": row.params,
            "province": row.province_name,
            "city": row.city,
            "note": row.note,
            "status": row.status,
            "created_at": _LEAD_CREATED_AT.to_representation(row.created_at),
            "responded": row.responded,
            "taken": row.taken,
            "customer": (
                # as User.get_full_name
                {"name": f"{row.customer_first_name} {row.customer_last_name}".strip(), "mobile": row.customer_mobile}
                if row.customer_visible_to(agent)
                else None
            ),
            "quote": lead_quote(row, insurer_code=insurer_code),
        }
        for row in rows
    ]


class RespondInputSerializer(serializers.Serializer):
    """An offer (API.md): the service checks the premium against the tariff's floor and the date."""

    premium = serializers.IntegerField(min_value=1, max_value=10**14, help_text="rial")
    payment_plan = serializers.ChoiceField(choices=LeadResponse.PaymentPlan.choices)
    valid_until = serializers.DateField()
    covers = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=30,
        help_text="codes of the line's optional covers; default: the request's",
    )
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EndCooperationInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RatingInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class LeadRespondOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the response (offer) made")


class InsurerAvailabilityOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    has_active_agents = serializers.BooleanField()
