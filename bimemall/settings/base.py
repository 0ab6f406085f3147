"""Settings shared by every environment; each value that varies comes from `env`.

The secure defaults follow DEBUG: with DEBUG=false the process refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS, and `check --deploy` has nothing to say.
"""

from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bimemall.env import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-when-DEBUG-is-false"  # noqa: S105 (refused below)
SECRET_KEY = env.str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false.")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DEBUG=false.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else None)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.admin_config.ReadableAdminConfig",  # django.contrib.admin with core.admin_site's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_jalali",  # the Jalali form fields and the admin's date picker (its static files)
    "django_celery_beat",
    "simple_history",
    "core",
    "insurers",
    "sms",
    "accounts",
    "agents",
    "insurance_requests",
    "policies",
    "claims",
    "saman",
    "declarations",
    "pricing",
    "site_pages",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.BodySizeLimitMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets a history entry of a tariff or an insurer's terms name who changed it, inline rows
    # of the admin included (pricing/models.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so the rewritten admin page is what CommonMiddleware measures.
    "core.admin_digits.AdminPersianDigitsMiddleware",
]

ROOT_URLCONF = "bimemall.urls"
WSGI_APPLICATION = "bimemall.wsgi.application"
ASGI_APPLICATION = "bimemall.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.throttling.rate_limited_context",
            ],
            "builtins": ["core.templatetags.persian", "core.templatetags.ui"],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env.url(
    "DATABASE_URL",
    {"sqlite", "postgres", "postgresql", "pgsql"},
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
)
# Capacity switches (issue 16 point 4; docs/issue16/capacity.md says when to turn each on).
# Seconds a connection is kept for the next request (0: one per request). With a pool the
# pool keeps them instead, and Django refuses both at once.
DATABASE_CONN_MAX_AGE = env.int("DATABASE_CONN_MAX_AGE", 60)
# psycopg's connection pool in each process (Django 5.1+, needs psycopg-pool).
DATABASE_POOL = env.bool("DATABASE_POOL", False)
DATABASE_POOL_MIN_SIZE = env.int("DATABASE_POOL_MIN_SIZE", 1)
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", 4)
# Behind PgBouncer in transaction mode a cursor cannot outlive its transaction: true there.
DATABASE_DISABLE_SERVER_SIDE_CURSORS = env.bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False)
# A PostgreSQL standby for the reads that ask for it (core.db.replica); unset: one database.
DATABASE_REPLICA_URL = env.url("DATABASE_REPLICA_URL", {"postgres", "postgresql", "pgsql"}, None)


def database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return config
    if DATABASE_POOL:
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"pool": {"min_size": DATABASE_POOL_MIN_SIZE, "max_size": DATABASE_POOL_MAX_SIZE}}
    config["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_DISABLE_SERVER_SIDE_CURSORS
    return config


DATABASES = {"default": database(DATABASE_URL)}
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL.")
    # Tests read the replica from the test database itself.
    DATABASES["replica"] = {**database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["core.db_routers.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The web process, the worker and beat share one file: WAL lets readers and a
    # writer overlap, IMMEDIATE takes the write lock up front instead of failing late.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ------------------------------------------------------
REDIS_URL = env.url("REDIS_URL", {"redis", "rediss", "unix"}, None)

# Each Redis call is bounded (no retries; 1 s to connect or answer): when Redis is down
# or hangs, a request waits at most that long before the rule of core/cache.py and
# core/throttling.py applies (memos are computed, rate limits fail open or closed).
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def redis_caches(url: str) -> dict:
    """`default` holds memos and reads as a miss when Redis is down; `rate_limits` holds
    the throttles' counters and raises, so each scope fails open or closed by its rule."""
    common = {"LOCATION": url, "KEY_PREFIX": "bimemall", "OPTIONS": REDIS_CACHE_OPTIONS}
    return {
        "default": {"BACKEND": "core.cache.FailSoftRedisCache", **common},
        "rate_limits": {"BACKEND": "core.cache.RedisCache", **common},
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
# Eager tasks behave like queued ones: a retry runs again instead of raising into the
# caller (Celery only replays eager retries when errors are not propagated).
CELERY_TASK_EAGER_PROPAGATES = False
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # Without Redis the worker and beat of `make run` meet in a folder on disk.
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Tehran"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A countdown/ETA longer than the visibility timeout would make Redis hand the task
# to a second worker; every retry countdown in the code stays far below this.
CELERY_VISIBILITY_TIMEOUT_SECONDS = 60 * 60
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every task, by its public name, and its queue once CELERY_SEPARATE_QUEUES is on (issue 16
# point 4): texts that a person waits for, the payment gateway's calls and the month-end
# export each get workers of their own, so a slow gateway or a long export never holds up a
# sign-in code. A task missing here fails tests/core/test_celery_queues.py.
CELERY_DEFAULT_QUEUE_NAME = "celery"  # Celery's own default: messages already queued stay readable
CELERY_QUEUE_OF_TASK = {
    "sms.tasks.send_text": "sms",
    "accounts.tasks.deliver_one_time_code": "sms",
    "policies.tasks.deliver_customer_link_code": "sms",
    "agents.tasks.reconcile_pending_payments": "payments",
    "policies.tasks.export_month_to_saman": "exports",
    "accounts.tasks.delete_expired_api_tokens": CELERY_DEFAULT_QUEUE_NAME,
    "agents.tasks.notify_expiring_subscriptions": CELERY_DEFAULT_QUEUE_NAME,
    "declarations.tasks.send_declaration_reminders": CELERY_DEFAULT_QUEUE_NAME,
    "insurance_requests.tasks.expire_stale_requests": CELERY_DEFAULT_QUEUE_NAME,
    "insurance_requests.tasks.notify_new_lead": CELERY_DEFAULT_QUEUE_NAME,  # queues send_text per agent
    "insurance_requests.tasks.remind_unanswered_leads": CELERY_DEFAULT_QUEUE_NAME,
    "policies.tasks.send_renewal_reminders": CELERY_DEFAULT_QUEUE_NAME,
}
CELERY_SEPARATE_QUEUES = env.bool("CELERY_SEPARATE_QUEUES", False)
if CELERY_SEPARATE_QUEUES:
    CELERY_TASK_ROUTES = {
        name: {"queue": queue} for name, queue in CELERY_QUEUE_OF_TASK.items() if queue != CELERY_DEFAULT_QUEUE_NAME
    }
    # Declared, so that a worker started without -Q (make run, the compose `worker`) still
    # consumes every queue; a dedicated worker takes one with `-Q sms`.
    CELERY_TASK_QUEUES = {
        queue: {"routing_key": queue} for queue in sorted({CELERY_DEFAULT_QUEUE_NAME, *CELERY_QUEUE_OF_TASK.values()})
    }

# --- Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- One-time codes (API.md "Code policy") --------------------------------------
OTP_LENGTH = 6
OTP_TTL_SECONDS = 120
OTP_RESEND_SECONDS = 60
OTP_MAX_ATTEMPTS = 5
OTP_FAILURE_WINDOW_SECONDS = 3600
OTP_HOURLY_CAP_PER_MOBILE = env.int("OTP_HOURLY_CAP_PER_MOBILE", 5)
OTP_HOURLY_CAP_PER_IP = env.int("OTP_HOURLY_CAP_PER_IP", 30)
# Wrong guesses are budgeted per client address (issue 13): a stranger spends their own
# address, never the owner's. Each code still dies after OTP_MAX_ATTEMPTS wrong tries.
OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS = env.int("OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS", 5)
OTP_WRONG_CODES_PER_ADDRESS = env.int("OTP_WRONG_CODES_PER_ADDRESS", 30)

# --- SMS ---------------------------------------------------------------------------
SMS_BACKENDS = {
    "console": "sms.backends.console.ConsoleBackend",
    "locmem": "sms.backends.locmem.LocmemBackend",
    "kavenegar": "sms.backends.kavenegar.KavenegarBackend",
}
SMS_BACKEND = env.choice("SMS_BACKEND", set(SMS_BACKENDS), "console" if DEBUG else None)
KAVENEGAR_API_KEY = env.str("KAVENEGAR_API_KEY", "")
KAVENEGAR_OTP_TEMPLATE = env.str("KAVENEGAR_OTP_TEMPLATE", "bimemall-otp")
KAVENEGAR_SENDER = env.str("KAVENEGAR_SENDER", "")
# Connect and read timeouts of every Kavenegar call; their sum stays within 10 s.
KAVENEGAR_TIMEOUT = (3.0, 7.0)
if SMS_BACKEND == "kavenegar" and not KAVENEGAR_API_KEY:
    raise ImproperlyConfigured("SMS_BACKEND=kavenegar needs KAVENEGAR_API_KEY.")

# --- Web server (gunicorn.conf.py, read by every gunicorn started in the repository) ----
# Processes per machine: 2 x cores + 1 for sync workers. Threads above 1 switch gunicorn to
# its threaded worker (each thread holds its own database connection).
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", 5)
GUNICORN_THREADS = env.int("GUNICORN_THREADS", 1)
GUNICORN_TIMEOUT = env.int("GUNICORN_TIMEOUT", 30)

# --- Client address behind proxies ----------------------------------------------
# How many reverse proxies we own in front of the app; the client address is taken
# that many hops from the right of X-Forwarded-For, never from a value the client set.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)

# --- History of tariffs and insurers' terms (django-simple-history) --------------------
# The admin shows who changed what and when; a change is made again through the change form
# (its checks and the tariff snapshot's invalidation), never by reverting to an old version.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- I18N ----------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("فارسی"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tehran"
USE_TZ = True

# --- Static and private files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (licences, claim documents) live outside every public URL and are served
# only through permission-checked views; MEDIA_URL is deliberately unset.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "core.staticfiles.StaticFilesStorage"  # whitenoise's, with django-jalali's gaps
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# django-jalali's admin date picker (core.admin_site), its files served by us; our own start-up
# script in place of the package's admin/main.js, so that the picker reads and writes 1404/08/30.
JALALI_SETTINGS = {
    "ADMIN_JS_STATIC_FILES": [
        "admin/jquery.ui.datepicker.jalali/scripts/jquery-1.10.2.min.js",
        "admin/jquery.ui.datepicker.jalali/scripts/jquery.ui.core.js",
        "admin/jquery.ui.datepicker.jalali/scripts/jquery.ui.datepicker-cc.js",
        "admin/jquery.ui.datepicker.jalali/scripts/calendar.all.js",
        "admin/jquery.ui.datepicker.jalali/scripts/calendar.js",
        "admin/jquery.ui.datepicker.jalali/scripts/jquery.ui.datepicker-cc-fa.js",
        "js/admin_jalali_datepicker.js",
    ],
}
FILE_UPLOAD_PERMISSIONS = 0o640
# The largest JSON or form body read (files in a multipart body are not counted): over it, a
# Persian 413 (core.middleware.BodySizeLimitMiddleware, core.parsers.JSONParser).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- REST framework and OpenAPI ----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "600/min",
        "pricing": "60/min",
        "auth": "30/min",
        "auth_status": "120/min",
        # Posting or reposting a request fans out to every matching agent.
        "requests": "10/min",
        "lead_respond": "60/min",
        # Recording a policy (API and form) and asking a customer to confirm a link, which
        # texts a stranger's number (issue 13 point 1).
        "policy_record": "30/min",
        "customer_links": "10/min",
        # Each subscription purchase calls the payment gateway.
        "payments": "10/min",
        # The gateway's return address: open to anyone, and each call may ask the gateway.
        "payment_callback": "30/min",
        # Files (policy and claim documents, licence images) fill private storage.
        "uploads": "20/min",
        # Filing a claim opens a case, texts the customer and notifies the issuing agent.
        "claims": "5/min",
        # Tickets, their messages and identity change requests land in staff queues.
        "support": "10/min",
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Failed staff sign-ins at /admin/login/ (accounts/admin_login.py): per client address, and
# per account from one address, in fixed windows. Never per account alone: that would let
# anyone lock a staff member out.
ADMIN_LOGIN_WINDOW_SECONDS = 15 * 60
ADMIN_LOGIN_FAILURES_PER_ADDRESS = 10
ADMIN_LOGIN_FAILURES_PER_ACCOUNT = 5
# An API token (accounts.models.ApiToken) dies this long after its last use, and in any
# case this long after it was issued: a lost phone's token does not live for ever.
API_TOKEN_IDLE_DAYS = env.int("API_TOKEN_IDLE_DAYS", 30)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", 180)
SPECTACULAR_SETTINGS = {
    "TITLE": "Bimeh Mall API",
    "DESCRIPTION": _("The public API of Bimeh Mall (بیمه مال). Money is in rial."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers every operation may give (core/schema.py, issue 13 point 9).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
    ],
}

# --- Security --------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env.choice("LOG_LEVEL", {"DEBUG", "INFO", "WARNING", "ERROR"}, "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Payments (agents' subscriptions) -------------------------------------------------------
# The sandbox gateway hands out subscriptions for free: it is on only in development.
PAYMENT_SANDBOX_ENABLED = env.bool("PAYMENT_SANDBOX_ENABLED", DEBUG)
PAYMENT_GATEWAY = env.choice("PAYMENT_GATEWAY", {"sandbox", "zarinpal"}, "sandbox" if DEBUG else "zarinpal")
ZARINPAL_MERCHANT_ID = env.str("ZARINPAL_MERCHANT_ID", "")
ZARINPAL_SANDBOX = env.bool("ZARINPAL_SANDBOX", False)
if PAYMENT_GATEWAY == "sandbox" and not PAYMENT_SANDBOX_ENABLED:
    raise ImproperlyConfigured("PAYMENT_GATEWAY=sandbox needs PAYMENT_SANDBOX_ENABLED=true (never in production).")
# Connect and read timeouts of each Zarinpal call. No lock is held meanwhile, but the invoice
# stays claimed, so a verify claim must outlive their sum.
ZARINPAL_TIMEOUT = (
    env.float("ZARINPAL_CONNECT_TIMEOUT_SECONDS", 3.0),
    env.float("ZARINPAL_READ_TIMEOUT_SECONDS", 10.0),
)
# How long one verify keeps an invoice to itself before another caller may take over: a claim
# this old belonged to a worker that died mid-call.
PAYMENT_VERIFY_CLAIM_SECONDS = env.int("PAYMENT_VERIFY_CLAIM_SECONDS", 60)
if PAYMENT_VERIFY_CLAIM_SECONDS <= sum(ZARINPAL_TIMEOUT):
    raise ImproperlyConfigured(
        "PAYMENT_VERIFY_CLAIM_SECONDS must exceed the Zarinpal connect + read timeouts, "
        "or a live verify would be overtaken by a second one."
    )
# The reconcile job leaves a pending payment alone this long (the payer may still be on the
# bank page), gives up on it after the lifetime (the gateway refunds an unverified payment by
# itself), and stops starting verifies after its budget.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", 20)
PAYMENT_PENDING_LIFETIME_HOURS = env.int("PAYMENT_PENDING_LIFETIME_HOURS", 24)
PAYMENT_RECONCILE_BUDGET_SECONDS = env.int("PAYMENT_RECONCILE_BUDGET_SECONDS", 150)
if PAYMENT_RECONCILE_BUDGET_SECONDS + sum(ZARINPAL_TIMEOUT) >= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "PAYMENT_RECONCILE_BUDGET_SECONDS plus one verify's timeouts must stay inside the task's soft time limit."
    )
AGENT_TRIAL_DAYS = env.int("AGENT_TRIAL_DAYS", 7)
# Agents are warned this many days before their subscription ends; an expiry older than the
# window is not announced (the first run after a deploy would otherwise text old news).
AGENT_EXPIRY_WARNING_DAYS = env.int("AGENT_EXPIRY_WARNING_DAYS", 3)
AGENT_EXPIRED_NOTICE_WINDOW_DAYS = env.int("AGENT_EXPIRED_NOTICE_WINDOW_DAYS", 7)

# --- Marketplace ---------------------------------------------------------------------------
REQUEST_LIFETIME_DAYS = env.int("REQUEST_LIFETIME_DAYS", 7)
LEAD_REMINDER_HOURS = env.int("LEAD_REMINDER_HOURS", 6)
# A renewal request is offered to the issuing agent alone for this long (issue 14 point 6).
RENEWAL_HEAD_START_HOURS = env.int("RENEWAL_HEAD_START_HOURS", 24)

# --- Policies ------------------------------------------------------------------------------
# [001] review by capital (rial): over 10 billion a monthly list for the supervision office,
# over 40 billion also to Central Insurance, over 63 billion a daily review.
POLICY_CAPITAL_THRESHOLDS = {
    "monthly": env.int("POLICY_CAPITAL_THRESHOLD_MONTHLY", 10_000_000_000),
    "central": env.int("POLICY_CAPITAL_THRESHOLD_CENTRAL", 40_000_000_000),
    "daily": env.int("POLICY_CAPITAL_THRESHOLD_DAILY", 63_000_000_000),
}
# [001] a fire policy above this capital (rial) needs the supervision office's authorisation
# before issue: the branch's own authority ends at 10 billion rial, the monthly threshold.
POLICY_AUTHORISATION_CAPITAL = env.int("POLICY_AUTHORISATION_CAPITAL", POLICY_CAPITAL_THRESHOLDS["monthly"])
# At most this many renewal reminders per run; the next run picks up the rest.
POLICY_RENEWAL_REMINDER_BATCH = env.int("POLICY_RENEWAL_REMINDER_BATCH", 500)

# --- Claims --------------------------------------------------------------------------------
# [001] the claims office approves within its authority, above it the supervision office,
# above that the technical council. The document names the levels, not the amounts: these
# defaults (rial) are ours, and each installation sets the real ones.
CLAIM_AUTHORITY_LIMITS = {
    "office": env.int("CLAIM_AUTHORITY_LIMIT_OFFICE", 1_000_000_000),
    "supervision": env.int("CLAIM_AUTHORITY_LIMIT_SUPERVISION", 10_000_000_000),
}
# [001] payment is due within four weeks of complete documents.
CLAIM_PAYMENT_DAYS = env.int("CLAIM_PAYMENT_DAYS", 28)
# [003] says "after the deductible" without a figure; the insurer's tariff decides.
CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT = env.decimal("CLAIM_ELECTRONICS_DEDUCTIBLE_PERCENT", Decimal(10))

# --- Product settings ---------------------------------------------------------------------
SITE_NAME = _("بیمه مال")
# Where the site is reached from outside: SMS texts carry absolute links built on it. By
# default the first named host of ALLOWED_HOSTS (http in development, https otherwise).
_SITE_HOST = next((host.lstrip(".") for host in ALLOWED_HOSTS if host not in ("*", "[::1]")), "localhost")
SITE_URL = env.url(
    "SITE_URL", {"http", "https"}, f"http://{_SITE_HOST}:8000" if DEBUG else f"https://{_SITE_HOST}"
).rstrip("/")
