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
        if token.is_expired(now):
            # Past its lifetime (idle or maximum age): gone for good, the app signs in again.
            ApiToken.objects.filter(pk=token.pk).delete()
            raise exceptions.AuthenticationFailed(_("این ورود منقضی شده است؛ دوباره وارد شوید."))
        # Each use renews the idle lifetime (ApiToken.expires_at). Writing on every call
        # would serialise API traffic on one row; a minute is enough for the "last used"
        # column of the sessions page and is nothing against a lifetime in days.
        if (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
