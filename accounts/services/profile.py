"""The profile: self-service fields, locked identity fields and their change requests."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdentityChangeRequest, User
from accounts.validation import normalize_mobile, normalize_national_code
from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali, parse_date
from core.services import audit_record
from core.validators import BIRTH_DATES
from sms.services import sms_send_after_commit

SELF_SERVICE_FIELDS = ("email", "province", "city", "postal_address", "postal_code")


def identity_field_locked(user: User, field: str) -> bool:
    """Identity fields are locked once the mobile is verified — except an empty one,
    which the owner may fill once (registration does not ask for a birth date)."""
    return user.is_verified and getattr(user, field) not in (None, "")


@transaction.atomic
def user_profile_update(*, user: User, data: dict) -> User:
    """Apply validated profile data. A changed locked identity field → 400 naming it."""
    changed = []
    for field, value in data.items():
        if field in User.IDENTITY_FIELDS:
            if getattr(user, field) == value:
                continue
            if identity_field_locked(user, field):
                raise ApplicationError(
                    _("این مورد پس از تأیید حساب قابل ویرایش نیست؛ درخواست تغییر اطلاعات هویتی ثبت کنید."),
                    field=field,
                    code="identity_locked",
                )
        elif field not in SELF_SERVICE_FIELDS:
            continue
        setattr(user, field, value)
        changed.append(field)
    if changed:
        try:
            with transaction.atomic():
                user.save(update_fields=changed)
        except IntegrityError:
            raise ApplicationError(_("این کد ملی پیش‌تر ثبت شده است."), field="national_code") from None
        audit_record(actor=user, action="user.profile_updated", target=user, data={"fields": changed})
    return user


def _display_value(user, field):
    value = getattr(user, field)
    if field == "birth_date":
        return format_jalali(value) if value else ""
    return value or ""


def _normalize_identity_value(field, raw):
    try:
        if field == IdentityChangeRequest.Field.NATIONAL_CODE:
            return normalize_national_code(raw)
        if field == IdentityChangeRequest.Field.MOBILE:
            return normalize_mobile(raw)
        if field == IdentityChangeRequest.Field.BIRTH_DATE:
            return BIRTH_DATES.check(parse_date(raw)).isoformat()
    except (ValidationError, ValueError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        raise ApplicationError(message, field="new_value") from None
    value = str(raw).strip()
    if not value:
        raise ApplicationError(_("مقدار جدید را وارد کنید."), field="new_value")
    return value


@transaction.atomic
def identity_change_request_create(*, user: User, field: str, new_value: str, reason: str) -> IdentityChangeRequest:
    if field not in IdentityChangeRequest.Field.values:
        raise ApplicationError(_("این مورد جزو اطلاعات هویتی نیست."), field="field")
    value = _normalize_identity_value(field, new_value)
    if IdentityChangeRequest.objects.filter(
        user=user, field=field, status=IdentityChangeRequest.Status.PENDING
    ).exists():
        raise ConflictError(_("برای این مورد یک درخواست در حال بررسی دارید."), code="already_pending")
    change = IdentityChangeRequest.objects.create(
        user=user, field=field, old_value=_display_value(user, field), new_value=value, reason=reason.strip()
    )
    audit_record(actor=user, action="identity_change.requested", target=change, data={"field": field})
    return change


def identity_change_request_decide(
    *, change: IdentityChangeRequest, staff: User, approve: bool, note: str = ""
) -> IdentityChangeRequest:
    """Approve (apply the new value) or reject a pending request; audited; the user is told by SMS."""
    with transaction.atomic():
        change = IdentityChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.status != IdentityChangeRequest.Status.PENDING:
            raise ConflictError(_("این درخواست پیش‌تر بررسی شده است."), code="already_decided")
        if not approve and not note.strip():
            raise ApplicationError(_("دلیل رد درخواست را بنویسید."), field="decision_note")
        user = User.objects.select_for_update().get(pk=change.user_id)
        old = _display_value(user, change.field)
        if approve:
            value = change.new_value
            if change.field == IdentityChangeRequest.Field.BIRTH_DATE:
                value = parse_date(value)
            setattr(user, change.field, value)
            try:
                with transaction.atomic():
                    user.save(update_fields=[change.field])
            except IntegrityError:
                raise ConflictError(
                    _("این مقدار متعلق به حساب دیگری است و قابل اعمال نیست."), code="value_taken"
                ) from None
        change.status = IdentityChangeRequest.Status.APPROVED if approve else IdentityChangeRequest.Status.REJECTED
        change.decided_by = staff
        change.decided_at = timezone.now()
        change.decision_note = note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=staff,
            action="identity_change.approved" if approve else "identity_change.rejected",
            target=change,
            data={"field": change.field, "old": old, "new": change.new_value, "user": user.pk},
        )
        text = (
            _("بیمه مال: درخواست تغییر «%(field)s» شما تأیید و اعمال شد.")
            if approve
            else _("بیمه مال: درخواست تغییر «%(field)s» شما رد شد. دلیل: %(note)s")
        ) % {"field": change.get_field_display(), "note": change.decision_note}
        sms_send_after_commit(to=user.mobile, text=text)
    return change
