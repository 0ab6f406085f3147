import contextlib
import datetime as dt

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

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

    mobile = models.CharField("شماره موبایل", max_length=11, unique=True)
    national_code = models.CharField("کد ملی", max_length=10, unique=True, null=True, blank=True)
    first_name = models.CharField("نام", max_length=60, blank=True)
    last_name = models.CharField("نام خانوادگی", max_length=80, blank=True)
    birth_date = models.DateField("تاریخ تولد", null=True, blank=True)
    email = models.EmailField("ایمیل", blank=True)
    province = models.ForeignKey(
        "insurers.Province", verbose_name="استان", null=True, blank=True, on_delete=models.PROTECT
    )
    city = models.CharField("شهر", max_length=60, blank=True)
    postal_address = models.CharField("نشانی پستی", max_length=300, blank=True)
    postal_code = models.CharField("کد پستی", max_length=10, blank=True)
    mobile_verified_at = models.DateTimeField("زمان تأیید موبایل", null=True, blank=True)
    is_staff = models.BooleanField("کارمند", default=False)
    is_active = models.BooleanField("فعال", default=True)
    date_joined = models.DateTimeField("تاریخ عضویت", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "کاربر"
        verbose_name_plural = "کاربران"

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
        REGISTER = "register", "ثبت‌نام"
        LOGIN = "login", "ورود"

    class Delivery(models.TextChoices):
        PENDING = "pending", "در صف ارسال"
        SENT = "sent", "ارسال شد"
        FAILED = "failed", "ارسال نشد"
        SKIPPED = "skipped", "بدون ارسال"

    public_id = models.CharField("شناسه عمومی", max_length=32, unique=True)
    mobile = models.CharField("شماره همراه", max_length=11, db_index=True)
    purpose = models.CharField("کاربرد", max_length=16, choices=Purpose.choices)
    payload = models.JSONField("داده همراه", default=dict, blank=True)
    code_hash = models.CharField("درهم‌سازی کد", max_length=64, blank=True)
    salt = models.CharField("نمک", max_length=32, blank=True)
    created_at = models.DateTimeField("زمان ساخت", default=timezone.now, db_index=True)
    expires_at = models.DateTimeField("زمان انقضا", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("دفعات تلاش", default=0)
    consumed_at = models.DateTimeField("زمان مصرف", null=True, blank=True)
    requester_ip = models.GenericIPAddressField("نشانی IP درخواست‌کننده", null=True, blank=True)
    delivery = models.CharField("وضعیت ارسال", max_length=16, choices=Delivery.choices, default=Delivery.PENDING)
    delivery_error = models.CharField("خطای ارسال", max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["mobile", "-created_at"]),
            models.Index(fields=["requester_ip", "created_at"]),
        ]
        verbose_name = "کد یک‌بارمصرف"
        verbose_name_plural = "کدهای یک‌بارمصرف"

    def __str__(self):
        return f"{self.get_purpose_display()} {self.public_id[:6]}"


class MobileThrottle(models.Model):
    """One row per mobile; claiming it by conditional update spaces codes 60 s apart."""

    mobile = models.CharField("شماره همراه", max_length=11, unique=True)
    last_code_at = models.DateTimeField("زمان آخرین کد")

    class Meta:
        verbose_name = "محدودیت ارسال کد"
        verbose_name_plural = "محدودیت‌های ارسال کد"

    def __str__(self):
        return self.mobile


class UserSession(models.Model):
    """A browser sign-in, listed on the sessions page and ended by 'sign out everywhere'."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="web_sessions"
    )
    session_key = models.CharField("کلید نشست", max_length=40, unique=True)
    ip = models.GenericIPAddressField("نشانی IP", null=True, blank=True)
    user_agent = models.CharField("مرورگر", max_length=300, blank=True)
    created_at = models.DateTimeField("زمان ورود", auto_now_add=True)
    last_seen_at = models.DateTimeField("آخرین فعالیت", default=timezone.now)

    class Meta:
        verbose_name = "نشست کاربر"
        verbose_name_plural = "نشست‌های کاربران"
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
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField("درهم‌سازی کلید", max_length=64, unique=True)
    prefix = models.CharField("پیشوند", max_length=8)
    ip = models.GenericIPAddressField("نشانی IP", null=True, blank=True)
    user_agent = models.CharField("مرورگر", max_length=300, blank=True)
    created_at = models.DateTimeField("زمان ساخت", auto_now_add=True)
    last_used_at = models.DateTimeField("آخرین استفاده", default=timezone.now)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "توکن API"
        verbose_name_plural = "توکن‌های API"
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
        NATIONAL_CODE = "national_code", "کد ملی"
        FIRST_NAME = "first_name", "نام"
        LAST_NAME = "last_name", "نام خانوادگی"
        BIRTH_DATE = "birth_date", "تاریخ تولد"
        MOBILE = "mobile", "شماره موبایل"

    class Status(models.TextChoices):
        PENDING = "pending", "در انتظار بررسی"
        APPROVED = "approved", "تأیید و اعمال شد"
        REJECTED = "rejected", "رد شد"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="identity_changes"
    )
    field = models.CharField("فیلد", max_length=20, choices=Field.choices)
    old_value = models.CharField("مقدار فعلی", max_length=120, blank=True)
    new_value = models.CharField("مقدار جدید", max_length=120)
    reason = models.TextField("دلیل")
    status = models.CharField("وضعیت", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="بررسی‌کننده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    decision_note = models.TextField("توضیح بررسی", blank=True)
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "درخواست تغییر اطلاعات هویتی"
        verbose_name_plural = "درخواست‌های تغییر اطلاعات هویتی"

    def __str__(self):
        return f"{self.user} — {self.get_field_display()}"


class SupportTicket(models.Model):
    class Category(models.TextChoices):
        SUPPORT = "support", "پشتیبانی"
        CONTACT = "contact", "تماس با ما"
        UPGRADE = "upgrade", "ارتقا و شخصی‌سازی حساب"

    class Status(models.TextChoices):
        OPEN = "open", "در انتظار پاسخ"
        ANSWERED = "answered", "پاسخ داده شد"
        CLOSED = "closed", "بسته شد"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="tickets"
    )
    category = models.CharField("موضوع", max_length=16, choices=Category.choices)
    subject = models.CharField("عنوان", max_length=150)
    status = models.CharField("وضعیت", max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین تغییر", auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "تیکت پشتیبانی"
        verbose_name_plural = "تیکت‌های پشتیبانی"

    def __str__(self):
        return self.subject


class TicketMessage(models.Model):
    ticket = models.ForeignKey(SupportTicket, verbose_name="تیکت", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="نویسنده", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_staff_reply = models.BooleanField("پاسخ پشتیبانی", default=False)
    body = models.TextField("متن")
    created_at = models.DateTimeField("زمان", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "پیام تیکت"
        verbose_name_plural = "پیام‌های تیکت"

    def __str__(self):
        return self.body[:40]


class Notification(models.Model):
    """An in-app notice shown on the dashboard (an SMS usually goes out alongside)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField("متن", max_length=300)
    url = models.CharField("پیوند", max_length=200, blank=True)
    created_at = models.DateTimeField("زمان ساخت", auto_now_add=True)
    read_at = models.DateTimeField("زمان خواندن", null=True, blank=True)

    class Meta:
        verbose_name = "اعلان"
        verbose_name_plural = "اعلان‌ها"
        ordering = ["-created_at"]

    def __str__(self):
        return self.text
