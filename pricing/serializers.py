from rest_framework import serializers

from core.answers import stored_json

# A choice's value: a string code or an integer (issue 15 point 2: typed, not "any").
CHOICE_VALUE = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
# A parameter's default: a value of its type (an ISO date as a string, a multi-choice's codes).
PARAMETER_DEFAULT = {
    "anyOf": [
        {"type": "string"},
        {"type": "integer"},
        {"type": "boolean"},
        {"type": "array", "items": CHOICE_VALUE},
    ],
    "nullable": True,
}


class ChoiceSerializer(serializers.Serializer):
    value = stored_json(CHOICE_VALUE, help_text="A string code or an integer (amounts in rial, levels, euros).")
    label = serializers.CharField()
    group = serializers.CharField(required=False, help_text="The heading the choice is listed under (a car's make).")


PARAMETER_TYPES = ["integer", "money", "choice", "multi_choice", "date", "boolean", "text", "list"]


class ParameterItemSerializer(serializers.Serializer):
    """One field of a list parameter's entries (travel: a traveller's `birth_date`)."""

    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=PARAMETER_TYPES)
    required = serializers.BooleanField()
    default = stored_json(PARAMETER_DEFAULT, allow_null=True)
    help = serializers.CharField(required=False)


class ParameterSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(
        choices=PARAMETER_TYPES, help_text="`list`: a list of objects, each with the fields of `items`."
    )
    required = serializers.BooleanField()
    default = stored_json(PARAMETER_DEFAULT, allow_null=True)
    min = serializers.IntegerField(required=False)
    max = serializers.IntegerField(required=False)
    choices = ChoiceSerializer(many=True, required=False)
    unit = serializers.CharField(required=False, help_text="rial, day, year or m2")
    help = serializers.CharField(required=False)
    items = ParameterItemSerializer(
        many=True, required=False, help_text="For a `list`: the fields of one entry; `min`/`max` bound the count."
    )
    item_label = serializers.CharField(required=False, help_text="For a `list`: how an entry is named; {n} its number.")
    superseded_by = serializers.CharField(
        required=False, help_text="Still accepted; forms ask for this newer parameter instead (travel: zone → country)."
    )


class LineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    quotable = serializers.BooleanField(help_text="False for `other`: no calculator, a request goes to agents.")
    parameters = ParameterSerializer(many=True)


class QuoteInputSerializer(serializers.Serializer):
    line = serializers.CharField(help_text="third_party, body, fire, travel or electronics")
    params = serializers.JSONField(
        required=False,
        default=dict,
        help_text="The line's parameters as described by /api/v1/pricing/lines/; "
        "numbers may be strings with Persian digits, dates Jalali (1404/08/30) or ISO.",
    )
    insurers = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Only these insurer codes (default: all)."
    )


class BreakdownLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.IntegerField(help_text="rial; discounts are negative")


class InstallmentSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.IntegerField(help_text="rial")


class QuoteSerializer(serializers.Serializer):
    insurer = serializers.CharField()
    insurer_name = serializers.CharField()
    premium = serializers.IntegerField(help_text="rial; the breakdown sums exactly to it")
    breakdown = BreakdownLineSerializer(many=True)
    inspection_required = serializers.BooleanField(required=False, help_text="fire only")
    installments = InstallmentSerializer(
        many=True,
        required=False,
        help_text="payment=installments only (fire; body and third party where the insurer sells instalments)",
    )


class QuoteOutputSerializer(serializers.Serializer):
    line = serializers.CharField()
    solar_year = serializers.IntegerField(help_text="the tariff year used")
    quotes = QuoteSerializer(many=True)
