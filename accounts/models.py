import contextlib
import datetime as dt

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validation import normalize_mobile


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, mobile, password, **extra_fields):
        user = self.model(mobile=normalize_mobile(mobile), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, mobile, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(mobile, password, **extra_fields)

    def create_superuser(self, mobile, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("mobile_verified_at", timezone.now())
        return self._create_user(mobile, password, **extra_fields)

    def get_by_natural_key(self, mobile):
        # Staff type their number in the admin login in whatever form they like.
        with contextlib.suppress(ValidationError):
            mobile = normalize_mobile(mobile)
        return self.get(**{self.model.USERNAME_FIELD: mobile})


class User(AbstractBaseUser, PermissionsMixin):
    """A person: customer, agent or staff. The mobile number is the login."""

    IDENTITY_FIELDS = ("national_code", "first_name", "last_name", "birth_date", "mobile")

    mobile = models.CharField(_("شماره موبایل"), max_length=11, unique=True)
    national_code = models.CharField(_("کد ملی"), max_length=10, unique=True, null=True, blank=True)
    first_name = models.CharField(_("نام"), max_length=60, blank=True)
    last_name = models.CharField(_("نام خانوادگی"), max_length=80, blank=True)
    birth_date = models.DateField(_("تاریخ تولد"), null=True, blank=True)
    email = models.EmailField(_("ایمیل"), blank=True)
    province = models.ForeignKey(
        "insurers.Province", verbose_name=_("استان"), null=True, blank=True, on_delete=models.PROTECT
    )
    city = models.CharField(_("شهر"), max_length=60, blank=True)
    postal_address = models.CharField(_("نشانی پستی"), max_length=300, blank=True)
    postal_code = models.CharField(_("کد پستی"), max_length=10, blank=True)
    mobile_verified_at = models.DateTimeField(_("زمان تأیید موبایل"), null=True, blank=True)
    is_staff = models.BooleanField(_("کارمند"), default=False)
    is_active = models.BooleanField(_("فعال"), default=True)
    date_joined = models.DateTimeField(_("تاریخ عضویت"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def __str__(self):
        return self.get_full_name() or self.mobile

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.mobile

    @property
    def is_verified(self):
        return self.mobile_verified_at is not None


class OneTimeCode(models.Model):
    """A 6-digit SMS code (کد تأیید). Only a salted hash is kept, never the code.

    The code itself is drawn by the delivery task just before sending, so it never
    passes through the web process, the broker or the database in clear.
    """

    class Purpose(models.TextChoices):
        REGISTER = "register", _("ثبت‌نام")
        LOGIN = "login", _("ورود")

    class Delivery(models.TextChoices):
        PENDING = "pending", _("در صف ارسال")
        SENT = "sent", _("ارسال شد")
        FAILED = "failed", _("ارسال نشد")
        SKIPPED = "skipped", _("بدون ارسال")

    public_id = models.CharField(_("شناسه عمومی"), max_length=32, unique=True)
    mobile = models.CharField(_("شماره همراه"), max_length=11, db_index=True)
    purpose = models.CharField(_("کاربرد"), max_length=16, choices=Purpose.choices)
    payload = models.JSONField(_("داده همراه"), default=dict, blank=True)
    code_hash = models.CharField(_("درهم‌سازی کد"), max_length=64, blank=True)
    salt = models.CharField(_("نمک"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("زمان ساخت"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("زمان انقضا"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("دفعات تلاش"), default=0)
    consumed_at = models.DateTimeField(_("زمان مصرف"), null=True, blank=True)
    requester_ip = models.GenericIPAddressField(_("نشانی IP درخواست‌کننده"), null=True, blank=True)
    delivery = models.CharField(_("وضعیت ارسال"), max_length=16, choices=Delivery.choices, default=Delivery.PENDING)
    delivery_error = models.CharField(_("خطای ارسال"), max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["mobile", "-created_at"]),
            models.Index(fields=["requester_ip", "created_at"]),
        ]
        verbose_name = _("کد یک‌بارمصرف")
        verbose_name_plural = _("کدهای یک‌بارمصرف")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.public_id[:6]}"


class MobileThrottle(models.Model):
    """One row per mobile; claiming it by one conditional upsert spaces codes 60 s apart and
    counts them against the hourly cap (accounts.services.otp._claim_code_slot)."""

    mobile = models.CharField(_("شماره همراه"), max_length=11, unique=True)
    last_code_at = models.DateTimeField(_("زمان آخرین کد"))
    # The hourly cap's window: it opens with the first code after the previous one closed.
    window_started_at = models.DateTimeField(_("آغاز بازه یک‌ساعته"), null=True, blank=True)
    codes_in_window = models.PositiveSmallIntegerField(_("کدهای این بازه"), default=0)

    class Meta:
        verbose_name = _("محدودیت ارسال کد")
        verbose_name_plural = _("محدودیت‌های ارسال کد")

    def __str__(self):
        return self.mobile


class UserSession(models.Model):
    """A browser sign-in, listed on the sessions page and ended by 'sign out everywhere'."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.CASCADE, related_name="web_sessions"
    )
    session_key = models.CharField(_("کلید نشست"), max_length=40, unique=True)
    ip = models.GenericIPAddressField(_("نشانی IP"), null=True, blank=True)
    user_agent = models.CharField(_("مرورگر"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("زمان ورود"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("آخرین فعالیت"), default=timezone.now)

    class Meta:
        verbose_name = _("نشست کاربر")
        verbose_name_plural = _("نشست‌های کاربران")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user_id}:{self.pk}"


class ApiTokenQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Tokens past their lifetime (see ApiToken.expires_at) at `now`."""
        now = now or timezone.now()
        idle, lifetime = ApiToken.idle_lifetime(), ApiToken.max_lifetime()
        return self.filter(models.Q(last_used_at__lte=now - idle) | models.Q(created_at__lte=now - lifetime))

    def live(self, now=None):
        now = now or timezone.now()
        return self.filter(
            last_used_at__gt=now - ApiToken.idle_lifetime(), created_at__gt=now - ApiToken.max_lifetime()
        )


class ApiToken(models.Model):
    """An API sign-in (`Authorization: Token …`). Only the SHA-256 of the key is stored.

    A token lives API_TOKEN_IDLE_DAYS after its last use (each use renews it) and never
    more than API_TOKEN_MAX_DAYS after it was issued (issue 13 point 3).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("درهم‌سازی کلید"), max_length=64, unique=True)
    prefix = models.CharField(_("پیشوند"), max_length=8)
    ip = models.GenericIPAddressField(_("نشانی IP"), null=True, blank=True)
    user_agent = models.CharField(_("مرورگر"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("زمان ساخت"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("آخرین استفاده"), default=timezone.now)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("توکن API")
        verbose_name_plural = _("توکن‌های API")
        ordering = ["-last_used_at"]

    def __str__(self):
        return f"{self.prefix}…"

    @staticmethod
    def idle_lifetime() -> dt.timedelta:
        return dt.timedelta(days=settings.API_TOKEN_IDLE_DAYS)

    @staticmethod
    def max_lifetime() -> dt.timedelta:
        return dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)

    @property
    def expires_at(self):
        """When the token dies unless used before: idle expiry, capped by its maximum age."""
        return min(self.last_used_at + self.idle_lifetime(), self.created_at + self.max_lifetime())

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())


class IdentityChangeRequest(models.Model):
    """A request to change a locked identity field, decided by staff and audited."""

    class Field(models.TextChoices):
        NATIONAL_CODE = "national_code", _("کد ملی")
        FIRST_NAME = "first_name", _("نام")
        LAST_NAME = "last_name", _("نام خانوادگی")
        BIRTH_DATE = "birth_date", _("تاریخ تولد")
        MOBILE = "mobile", _("شماره موبایل")

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار بررسی")
        APPROVED = "approved", _("تأیید و اعمال شد")
        REJECTED = "rejected", _("رد شد")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.CASCADE, related_name="identity_changes"
    )
    field = models.CharField(_("فیلد"), max_length=20, choices=Field.choices)
    old_value = models.CharField(_("مقدار فعلی"), max_length=120, blank=True)
    new_value = models.CharField(_("مقدار جدید"), max_length=120)
    reason = models.TextField(_("دلیل"))
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بررسی‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("زمان بررسی"), null=True, blank=True)
    decision_note = models.TextField(_("توضیح بررسی"), blank=True)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("درخواست تغییر اطلاعات هویتی")
        verbose_name_plural = _("درخواست‌های تغییر اطلاعات هویتی")

    def __str__(self):
        return f"{self.user} — {self.get_field_display()}"


class SupportTicket(models.Model):
    class Category(models.TextChoices):
        SUPPORT = "support", _("پشتیبانی")
        CONTACT = "contact", _("تماس با ما")
        UPGRADE = "upgrade", _("ارتقا و شخصی‌سازی حساب")

    class Status(models.TextChoices):
        OPEN = "open", _("در انتظار پاسخ")
        ANSWERED = "answered", _("پاسخ داده شد")
        CLOSED = "closed", _("بسته شد")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.CASCADE, related_name="tickets"
    )
    category = models.CharField(_("موضوع"), max_length=16, choices=Category.choices)
    subject = models.CharField(_("عنوان"), max_length=150)
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("تیکت پشتیبانی")
        verbose_name_plural = _("تیکت‌های پشتیبانی")

    def __str__(self):
        return self.subject


class TicketMessage(models.Model):
    ticket = models.ForeignKey(SupportTicket, verbose_name=_("تیکت"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("نویسنده"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_staff_reply = models.BooleanField(_("پاسخ پشتیبانی"), default=False)
    body = models.TextField(_("متن"))
    created_at = models.DateTimeField(_("زمان"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("پیام تیکت")
        verbose_name_plural = _("پیام‌های تیکت")

    def __str__(self):
        return self.body[:40]


class Notification(models.Model):
    """An in-app notice shown on the dashboard (an SMS usually goes out alongside)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("متن"), max_length=300)
    url = models.CharField(_("پیوند"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("زمان ساخت"), auto_now_add=True)
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)

    class Meta:
        verbose_name = _("اعلان")
        verbose_name_plural = _("اعلان‌ها")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text
