"""Registration, sign-in and sign-out: browser sessions and API tokens."""

import hashlib
import secrets

from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, OneTimeCode, User, UserSession
from accounts.services.otp import one_time_code_request, one_time_code_verify
from accounts.services.profile import user_profile_update
from core.exceptions import ApplicationError, NotFoundError
from core.services import audit_record


def user_register_request(
    *, mobile: str, first_name: str, last_name: str, national_code: str, ip: str | None
) -> OneTimeCode:
    """Start a registration: a code goes to `mobile`; the account is made when it is verified.

    A number that already has an account gets a sign-in code instead, with the same
    answer, so the endpoint never tells whether a number is registered.
    """
    if User.objects.filter(mobile=mobile).exists():
        return one_time_code_request(mobile=mobile, purpose=OneTimeCode.Purpose.LOGIN, ip=ip)
    payload = {"first_name": first_name, "last_name": last_name, "national_code": national_code}
    return one_time_code_request(mobile=mobile, purpose=OneTimeCode.Purpose.REGISTER, ip=ip, payload=payload)


def user_sign_in_request(*, mobile: str, ip: str | None) -> OneTimeCode:
    """The one entry «ورود / ثبت‌نام»: a real code goes to any valid number.

    Whether the number has an account is decided only after its code is typed
    (user_verify_code), so the answer, the SMS and the delivery status are the same for
    registered and unknown numbers.
    """
    return one_time_code_request(mobile=mobile, purpose=OneTimeCode.Purpose.LOGIN, ip=ip)


def user_code_resend(*, mobile: str, request_id: str | None, ip: str | None) -> OneTimeCode:
    """A fresh code for the flow the earlier request `request_id` started.

    A registration keeps its details, so "resend" during sign-up neither loses the name and
    national code nor falls back to a sign-in; the 60-second wait and the hourly caps apply
    as to any request (a refused resend leaves the earlier code alive).
    """
    previous = OneTimeCode.objects.filter(public_id=request_id or "", mobile=mobile).only("purpose", "payload").first()
    if previous is not None and previous.purpose == OneTimeCode.Purpose.REGISTER:
        payload = previous.payload or {}
        return user_register_request(
            mobile=mobile,
            first_name=payload.get("first_name", ""),
            last_name=payload.get("last_name", ""),
            national_code=payload.get("national_code", ""),
            ip=ip,
        )
    return user_sign_in_request(mobile=mobile, ip=ip)


SIGN_UP_FIELDS = ("first_name", "last_name", "national_code")


def user_profile_complete(user: User) -> bool:
    """Whether the short sign-up (name and national code) is done."""
    return all(getattr(user, field) not in (None, "") for field in SIGN_UP_FIELDS)


def user_sign_up_complete(*, user: User, first_name: str, last_name: str, national_code: str) -> User:
    """The short sign-up after a new number's first code: fills the empty identity fields.

    The same rule as the profile: an identity field may be set once while it is empty, so
    this cannot rewrite a name or national code the account already has (400 naming it).
    """
    data = {"first_name": first_name, "last_name": last_name, "national_code": national_code}
    return user_profile_update(user=user, data=data)


def user_verify_code(*, mobile: str, code: str, ip: str | None = None) -> User:
    """Check the code; sign in, or create the account for a new number; mark the mobile verified.

    A new number's account is made with the verified mobile alone (its profile is then
    incomplete: user_profile_complete), or with the details of a registration request.
    """
    # Not inside an outer transaction: a wrong try must be counted even though we raise.
    verified = one_time_code_verify(mobile=mobile, code=code, ip=ip)
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        payload = verified.payload if verified.purpose == OneTimeCode.Purpose.REGISTER else {}
        user = _user_create_from_registration(mobile=mobile, payload=payload)
    if not user.is_active:
        raise ApplicationError(_("این حساب غیرفعال شده است؛ با پشتیبانی تماس بگیرید."), code="inactive")
    if user.mobile_verified_at is None:
        user.mobile_verified_at = timezone.now()
        user.save(update_fields=["mobile_verified_at"])
    return user


def _user_create_from_registration(*, mobile, payload):
    national_code = payload.get("national_code") or None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                mobile=mobile,
                first_name=payload.get("first_name", ""),
                last_name=payload.get("last_name", ""),
                national_code=national_code,
                mobile_verified_at=timezone.now(),
            )
            audit_record(actor=user, action="user.registered", target=user)
    except IntegrityError:
        # Only the owner of this mobile (who just typed its code) learns this.
        raise ApplicationError(
            _("این کد ملی پیش‌تر با شماره موبایل دیگری ثبت شده است. برای رسیدگی با پشتیبانی تماس بگیرید."),
            field="national_code",
            code="national_code_taken",
        ) from None
    return user


def web_session_start(*, request, user: User, ip: str | None) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": ip,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "last_seen_at": timezone.now(),
        },
    )


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user: User, ip: str | None, user_agent: str) -> tuple[ApiToken, str]:
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, key_hash=api_token_hash(key), prefix=key[:8], ip=ip, user_agent=user_agent[:300]
    )
    return token, key


def user_session_end(*, user: User, kind: str, session_id: int) -> None:
    """End one sign-in of `user` (a browser session or an API token); 404 for others'."""
    not_found = NotFoundError(_("این ورود پیدا نشد."))
    if kind == "web":
        row = UserSession.objects.filter(user=user, pk=session_id).first()
        if row is None:
            raise not_found
        Session.objects.filter(session_key=row.session_key).delete()
        row.delete()
    elif kind == "api":
        deleted, _rows = ApiToken.objects.filter(user=user, pk=session_id).delete()
        if not deleted:
            raise not_found
    else:
        raise not_found


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> int:
    """End every browser session and API token of the user; returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    web = UserSession.objects.filter(user=user).delete()[0]
    api = ApiToken.objects.filter(user=user).delete()[0]
    audit_record(actor=user, action="user.signed_out_everywhere", target=user, data={"ended": web + api})
    return web + api


def api_tokens_delete_expired(*, now=None) -> int:
    """Delete every API token past its lifetime (beat, daily); returns how many.

    Authentication refuses and deletes an expired token on its next use already; this
    removes the ones never used again (a lost or uninstalled app).
    """
    deleted, _rows = ApiToken.objects.expired(now).delete()
    return deleted
