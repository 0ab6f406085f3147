from django.contrib.sessions.models import Session
from django.utils.translation import gettext as _

from accounts.models import ApiToken, IdentityChangeRequest, Notification, OneTimeCode, SupportTicket, UserSession
from core.exceptions import NotFoundError


def one_time_code_status(*, public_id: str) -> dict:
    """What the verify page shows while a code is on its way.

    Every valid number gets a real code, so the status is the same for registered and unknown
    numbers. Rows from before that (a sign-in for an unknown number was recorded as skipped,
    never sent) still read as sent.
    """
    code = OneTimeCode.objects.filter(public_id=public_id).only("delivery", "delivery_error").first()
    if code is None:
        raise NotFoundError(_("کد ورود پیدا نشد."))
    delivery = code.delivery
    if delivery == OneTimeCode.Delivery.SKIPPED:
        delivery = OneTimeCode.Delivery.SENT
    return {"delivery": delivery, "detail": code.delivery_error}


def user_sign_ins(*, user) -> list[dict]:
    """Browser sessions and live API tokens of the user, newest activity first.

    `expires_at`: when the sign-in ends unless used before (a browser session's expiry
    date; a token's idle expiry capped by its maximum age, ApiToken.expires_at).
    """
    sessions = list(UserSession.objects.filter(user=user))
    session_expiry = dict(
        Session.objects.filter(session_key__in=[s.session_key for s in sessions]).values_list(
            "session_key", "expire_date"
        )
    )
    rows = [
        {
            "kind": "web",
            "id": s.pk,
            "ip": s.ip,
            "user_agent": s.user_agent,
            "created_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "expires_at": session_expiry.get(s.session_key),
            "session_key": s.session_key,
        }
        for s in sessions
    ]
    rows += [
        {
            "kind": "api",
            "id": t.pk,
            "ip": t.ip,
            "user_agent": t.user_agent,
            "created_at": t.created_at,
            "last_seen_at": t.last_used_at,
            "expires_at": t.expires_at,
            "session_key": None,
        }
        for t in ApiToken.objects.filter(user=user).live()
    ]
    return sorted(rows, key=lambda row: row["last_seen_at"], reverse=True)


def identity_change_list(*, user):
    return IdentityChangeRequest.objects.filter(user=user)


def ticket_list(*, user):
    return SupportTicket.objects.filter(user=user)


def ticket_for_user(*, user, ticket_id) -> SupportTicket:
    """The permission chokepoint for tickets: another user's ticket is a 404."""
    ticket = SupportTicket.objects.filter(user=user, pk=ticket_id).prefetch_related("messages").first()
    if ticket is None:
        raise NotFoundError(_("تیکت پیدا نشد."))
    return ticket


def notification_list(*, user, limit=10):
    return list(Notification.objects.filter(user=user)[:limit])
