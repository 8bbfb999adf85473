"""Settings of the ICP Portal (工業合作推動入口網), read from environment variables.

With nothing set the portal runs *embedded*: a SQLite file, Celery tasks run inline,
e-mail printed to the console, uploads under ./media. Setting ``DATABASE_URL``,
``CELERY_BROKER_URL``, ``EMAIL_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` switches to the
real stack; ``DEBUG`` is off unless asked for. Every variable is read through the typed
helpers of ``icp_portal.lib.env``, which refuse bad values with a message.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from icp_portal.lib.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Embedded = no DATABASE_URL: the newcomer's `make run`.
EMBEDDED = env_str("DATABASE_URL") is None
DEBUG = env_bool("DEBUG", False)
# Production-strength defaults (HTTPS only, secure cookies) unless developing.
SECURE_DEFAULTS = not (DEBUG or EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if SECURE_DEFAULTS:
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL is set.")
    SECRET_KEY = "insecure-embedded-development-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if not SECURE_DEFAULTS else [])
if SECURE_DEFAULTS and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DATABASE_URL is set.")
if SECURE_DEFAULTS and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS='*' is refused outside development.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "axes",
    "simple_history",
    "organizations",
    "agreements",
    "cases",
    "feedback",
    "demand_items",
    "committee",
    "reports",
    "demo",  # the demo data and seed_demo; depends on every app, none on it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "icp_portal.middleware.PortalLoginRequiredMiddleware",
    "icp_portal.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "icp_portal.middleware.ConflictMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "icp_portal.urls"
WSGI_APPLICATION = "icp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.portal_role",
                "organizations.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: each worker keeps its connection for DB_CONN_MAX_AGE seconds
# instead of opening one per request (a new PostgreSQL connection costs more than a
# balance query); the health check (one round trip when a request first uses a kept
# connection) replaces a connection the database dropped instead of failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
if "postgresql" in DATABASES["default"]["ENGINE"] and not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles a plan whose estimated cost is high, and the balance
    # reads' fallback subqueries (never run while the maintained rows hold) inflate the
    # estimate: the agreement list's totals spent 466 ms compiling for a 4 ms query at 10×.
    # Pages and API calls are short queries that never earn the compile back.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "organizations.backends.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "organizations.validators.NoRepeatOrSequenceValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# An invitation link (set your password) stays valid this long and works once.
PASSWORD_RESET_TIMEOUT = env_int("INVITATION_DAYS", 7, minimum=1) * 24 * 3600
SESSION_COOKIE_AGE = 8 * 3600

# django-axes: lock an account+address pair after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock: attempts during a lockout must not restart it, or
# anyone could keep an account locked for ever by trying once in a while.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["icp_portal.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if SECURE_DEFAULTS
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded (and DEBUG) runs serve assets straight from the source folders through
# WhiteNoise, so `make run` works without DEBUG and without a collect step; production
# serves the collected, hashed files.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", EMBEDDED or DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded documents are private: they are served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL = env_email("EMAIL_URL", "console://")
globals().update(EMAIL)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ICP Portal <icp-office@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security: strict unless developing; each one can be switched by its variable.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_DEFAULTS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_DEFAULTS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_DEFAULTS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_DEFAULTS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content-Security-Policy (django-csp 4): every script, style, font and image is served
# by the portal itself (vendored, no CDN), so nothing inline and nothing from elsewhere.
# Bootstrap draws its icons (select arrow, check marks) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features no page of the portal uses (icp_portal.middleware.PrivacyHeadersMiddleware).
# Only features Chromium knows: an unknown one is reported on every page's console.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "serial=(), hid=(), screen-wake-lock=(), xr-spatial-tracking=()"
)

# Celery: eager (inline) without a broker, the real worker over Redis with one.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540, minimum=1)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long a built report's file is kept before the daily job deletes it.
REPORT_FILE_DAYS = env_int("REPORT_FILE_DAYS", 30, minimum=1)

CELERY_BEAT_SCHEDULE = {
    # Placeholder: proves beat and the worker talk; later issues add the daily jobs
    # (overdue bills, progress-report reminders, packet building).
    "portal-health-every-15-minutes": {
        "task": "icp_portal.health",
        "schedule": crontab(minute="*/15"),
    },
    "overdue-bills-daily": {
        "task": "feedback.mark_overdue_bills",
        "schedule": crontab(hour=7, minute=30),
    },
    # Penalties past due (domain.md §13), beside the fee bills.
    "overdue-penalties-daily": {
        "task": "feedback.mark_overdue_penalties",
        "schedule": crontab(hour=7, minute=35),
    },
    # Guarantees expiring within 60 days while the obligation is open (domain.md §13).
    "expiring-guarantees-daily": {
        "task": "agreements.remind_expiring_guarantees",
        "schedule": crontab(hour=7, minute=45),
    },
    # Agreements due 6 months after the LOA: the office is reminded 30 days before (§12).
    "agreements-due-daily": {
        "task": "agreements.remind_agreements_due",
        "schedule": crontab(hour=7, minute=50),
    },
    "progress-report-reminders-daily": {
        "task": "cases.remind_progress_reports",
        "schedule": crontab(hour=8, minute=0),
    },
    # Outcomes revisited one and three years after the actual approval (domain.md §14).
    "outcome-revisits-daily": {
        "task": "cases.remind_outcome_revisits",
        "schedule": crontab(hour=8, minute=15),
    },
    # A meeting whose day has passed is held (its minutes may follow).
    "past-meetings-held-daily": {
        "task": "committee.mark_past_meetings_held",
        "schedule": crontab(hour=0, minute=30),
    },
    # Every active contractor's credit statement, the first day of each quarter.
    "quarterly-statements": {
        "task": "reports.quarterly_statements",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=6, minute=0),
    },
    # Report files are kept REPORT_FILE_DAYS, then deleted (the job row stays).
    "report-files-expire-daily": {
        "task": "reports.expire_files",
        "schedule": crontab(hour=3, minute=30),
    },
    # The draft packet of each promotion-committee meeting 7 days ahead (domain.md §11).
    "upcoming-packets-daily": {
        "task": "committee.build_upcoming_packets",
        "schedule": crontab(hour=6, minute=30),
    },
}

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "organizations.api.permissions.ReadOnlyTokenPermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "icp_portal.lib.parsers.PortalJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "icp_portal.api.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
    "EXCEPTION_HANDLER": "icp_portal.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

KNOX_TOKEN_MODEL = "organizations.ApiToken"
# knox's own migrations create its (swapped-out) default token table, whose foreign key
# to the user then blocks flushes; our ApiToken is the only token table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": None,
    "AUTO_REFRESH": False,
}
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 365, minimum=1)

SPECTACULAR_SETTINGS = {
    "TITLE": "ICP Portal API",
    "DESCRIPTION": "Industrial Cooperation Program (工業合作) portal, REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IndustryFieldEnum": "organizations.choices.Field",
        "SubcommitteeOutcomeEnum": "cases.choices.SubcommitteeOutcome",
        "DecisionOutcomeEnum": "committee.choices.Outcome",
        "PointsCurrencyEnum": "agreements.choices.PointsCurrency",
        "OutcomeStageEnum": "cases.choices.OutcomeStage",
        "PacketStageEnum": "committee.choices.PacketStage",
        "ContractCurrencyEnum": "agreements.choices.ContractCurrency",
        "CaseUseEnum": "agreements.choices.CaseUse",
        "MinistryEnum": "agreements.choices.Ministry",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # pypdf warns of every repair it makes on an uploaded file; refusals are answers.
        "pypdf": {"level": "ERROR"},
    },
}

PORTAL_NAME = _("ICP Portal")
