from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against hashed, per-device ApiToken rows."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        from accounts.services.auth import api_token_hash

        token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("توکن نامعتبر است یا باطل شده است."))
        now = timezone.now()
        # Writing on every call would serialise API traffic on one row; a minute is enough
        # for the "last used" column of the sessions page.
        if (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
