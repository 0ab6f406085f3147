from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import IdentityChangeRequest, SupportTicket, TicketMessage, User
from accounts.validation import normalize_mobile, normalize_national_code, normalize_postal_code
from core.fields import DigitsField, FlexibleDateField, NormalizedCharField
from core.validators import BIRTH_DATES


class RegisterInputSerializer(serializers.Serializer):
    mobile = NormalizedCharField(normalizer=normalize_mobile)
    first_name = serializers.CharField(max_length=60)
    last_name = serializers.CharField(max_length=80)
    national_code = NormalizedCharField(normalizer=normalize_national_code)


class OtpInputSerializer(serializers.Serializer):
    mobile = NormalizedCharField(normalizer=normalize_mobile)


class CodeSentSerializer(serializers.Serializer):
    detail = serializers.CharField()
    resend_after = serializers.IntegerField(help_text="Seconds before another code may be asked for.")
    request_id = serializers.CharField(help_text="For GET /api/v1/auth/otp/<request_id>/ (delivery status).")


class CodeStatusSerializer(serializers.Serializer):
    delivery = serializers.ChoiceField(choices=["pending", "sent", "failed"])
    detail = serializers.CharField(allow_blank=True)


class CodeVerifyInputSerializer(serializers.Serializer):
    mobile = NormalizedCharField(normalizer=normalize_mobile)
    code = DigitsField(min_length=6, max_length=6)


class MeSerializer(serializers.ModelSerializer):
    """The profile. Identity fields are validated here; whether they may change is the service's call."""

    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    birth_date = FlexibleDateField(required=False, allow_null=True, window=BIRTH_DATES)
    national_code = NormalizedCharField(normalizer=normalize_national_code, required=False)
    mobile = NormalizedCharField(normalizer=normalize_mobile, required=False)
    postal_code = NormalizedCharField(normalizer=normalize_postal_code, required=False, allow_blank=True)
    is_verified = serializers.BooleanField(read_only=True)
    locked_fields = serializers.SerializerMethodField()
    profile_complete = serializers.SerializerMethodField(
        help_text="False until the short sign-up (first_name, last_name, national_code) is done: "
        "a new number signs in with its code alone, then sets these once with PATCH /api/v1/me/."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "mobile",
            "national_code",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "province",
            "city",
            "postal_address",
            "postal_code",
            "is_verified",
            "locked_fields",
            "profile_complete",
        ]
        read_only_fields = ["id"]

    def get_locked_fields(self, user) -> list[str]:
        from accounts.services.profile import identity_field_locked

        return [field for field in User.IDENTITY_FIELDS if identity_field_locked(user, field)]

    def get_profile_complete(self, user) -> bool:
        from accounts.services.auth import user_profile_complete

        return user_profile_complete(user)

    def validate_postal_code(self, value):
        return value or ""


class MeUpdateSerializer(MeSerializer):
    province = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    def validate_province(self, value):
        from insurers.selectors import province_by_code_or_name

        if not value:
            return None
        province = province_by_code_or_name(value)
        if province is None:
            raise serializers.ValidationError(_("استان نامعتبر است."))
        return province


class IdentityChangeRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdentityChangeRequest
        fields = [
            "id",
            "field",
            "old_value",
            "new_value",
            "reason",
            "status",
            "decision_note",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["id", "old_value", "status", "decision_note", "created_at", "decided_at"]


class IdentityChangeInputSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=IdentityChangeRequest.Field.choices)
    new_value = serializers.CharField(max_length=120)
    reason = serializers.CharField(max_length=2000)


class SignInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["web", "api"])
    id = serializers.IntegerField()
    ip = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    # When the sign-in ends unless used before; null for a browser session already gone.
    expires_at = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField()


class TicketMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketMessage
        fields = ["id", "body", "is_staff_reply", "created_at"]
        read_only_fields = ["id", "is_staff_reply", "created_at"]


class TicketSerializer(serializers.ModelSerializer):
    messages = TicketMessageSerializer(many=True, read_only=True)

    class Meta:
        model = SupportTicket
        fields = ["id", "category", "subject", "status", "created_at", "updated_at", "messages"]
        read_only_fields = fields


class TicketInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SupportTicket.Category.choices)
    subject = serializers.CharField(max_length=150)
    body = serializers.CharField(max_length=5000)


class TicketMessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)
