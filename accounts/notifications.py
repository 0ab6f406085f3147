"""The one way to tell a user something (issue 15 point 4): an in-app notice, and an SMS
after commit when asked.

Services call `notify(user, text, url=..., sms=True)` instead of writing Notification rows
or queueing texts themselves, so the notice is cut to its column in one place and every
SMS goes out after commit with Persian digits (sms.services.sms_text) in one place.
"""

from accounts.models import Notification, User
from sms.services import sms_send_after_commit

NOTICE_MAX_LENGTH = Notification._meta.get_field("text").max_length
# A cut that would drop more than this much of the tail to reach a space cuts mid-word instead.
_WORD_BOUNDARY_REACH = 40


def notice_text(text: str, *, limit: int = NOTICE_MAX_LENGTH) -> str:
    """`text` as it fits the notice column: whole when it fits, otherwise cut before the
    last word that does not fit (a Persian word cut in half reads as another word) and
    ended with an ellipsis."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= len(head) - _WORD_BOUNDARY_REACH:
        head = head[:space]
    return head.rstrip() + "…"


def notify(user: User | int, text: str, *, url: str = "", sms: bool = False) -> Notification:
    """Write `user` an in-app notice (linking to `url`); with `sms=True` also text them
    the whole message once the current transaction commits (nothing if it rolls back).

    `user` may be a user's id when only the id is at hand (no query for the notice alone).
    """
    if isinstance(user, User):
        notice = Notification.objects.create(user=user, text=notice_text(text), url=url)
    else:
        notice = Notification.objects.create(user_id=user, text=notice_text(text), url=url)
    if sms:
        mobile = user.mobile if isinstance(user, User) else User.objects.values_list("mobile", flat=True).get(pk=user)
        sms_send_after_commit(to=mobile, text=text)
    return notice
