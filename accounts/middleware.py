from django.utils import timezone

from accounts.models import UserSession

TOUCH_INTERVAL_SECONDS = 300


class SessionActivityMiddleware:
    """Keeps "last seen" of the sessions page fresh, at most one write per 5 minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            now = timezone.now()
            marker = session.get("_seen_at", 0)
            if now.timestamp() - marker > TOUCH_INTERVAL_SECONDS:
                UserSession.objects.filter(session_key=session.session_key, user=user).update(last_seen_at=now)
                session["_seen_at"] = now.timestamp()
        return response
