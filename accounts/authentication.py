import functools

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from core.raw_sql import columns_of, one_with_related, sql_names


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against hashed, per-device ApiToken rows."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        from accounts.services.auth import api_token_hash

        token = api_token_with_user(api_token_hash(key))
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


def api_token_with_user(key_hash: str) -> ApiToken | None:
    """`ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()` as one plain
    statement (`key_hash` is unique). Every API request asks it; building and compiling that
    queryset cost about as much Django CPU as the rest of an inbox page (issue 16,
    docs/issue16/inbox.md). tests/accounts/test_api_token_sql.py holds the two equal."""
    return one_with_related(ApiToken, "user", _token_sql(connection.vendor), [key_hash])


@functools.cache
def _token_sql(vendor: str) -> str:
    user = ApiToken.user.field.related_model
    names = sql_names(t=ApiToken, u=user)
    columns = columns_of("t", ApiToken, names) + columns_of("u", user, names)
    return (  # noqa: S608  # nosec B608  # names from _meta, the value bound
        "SELECT {columns} FROM {t_table} t INNER JOIN {u_table} u ON u.{u_id} = t.{t_user} WHERE t.{t_key_hash} = %s"
    ).format(columns=", ".join(columns), **names)
