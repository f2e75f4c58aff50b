"""Guanjia settings: one file, driven by the environment (see .env.example).

GUANJIA_ENV selects the profile: "development" (default), "test" or "production".
Production refuses to start without a SECRET_KEY and turns on every secure default.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


GUANJIA_ENV = env("GUANJIA_ENV", "development")
PRODUCTION = GUANJIA_ENV == "production"
TESTING = GUANJIA_ENV == "test"

if PRODUCTION and not env("SECRET_KEY"):
    raise RuntimeError("SECRET_KEY must be set when GUANJIA_ENV=production")
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env_bool("DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(env("GUANJIA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads and job output live here

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_q",
    "simple_history",
    "axes",
    "csp",
    "guanjia.core",
    "guanjia.core.policies",
    "guanjia.core.calendars",
    "guanjia.core.numbering",
    "guanjia.core.jobs",
    "guanjia.core.notifications",
    "guanjia.core.documents",
    "guanjia.core.imports",
    "guanjia.accounts",
    "guanjia.estates",
    "guanjia.tickets",
    "guanjia.billing",
    "guanjia.cashier",
    "guanjia.visits",
    "guanjia.desk",
    "guanjia.movein",
    "guanjia.vacant",
    "guanjia.passes",
    "guanjia.violations",
    "guanjia.attendance",
    "guanjia.renovation",
    "guanjia.conduct",
    "guanjia.patrols",
    "guanjia.training",
    "guanjia.sanctions",
    "guanjia.plans",
    "guanjia.appraisal",
    "guanjia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "guanjia.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "guanjia.accounts.language.PreferredLanguageMiddleware",
    "guanjia.accounts.middleware.IdleTimeoutMiddleware",
    "guanjia.core.middleware.CurrentCommunityMiddleware",
    "guanjia.core.middleware.NumberOutOfRangeMiddleware",
    "guanjia.core.policies.middleware.PolicyCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "guanjia.core.context_processors.shell",
                "guanjia.core.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guanjia.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open like PostgreSQL's: opening one (with the PRAGMAs below) costs about 3 ms, half
    # of a small request (bench search.page_concurrent16). An idle connection holds no lock.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and jobs -------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

Q_CLUSTER = {
    "name": "guanjia",
    "workers": int(env("JOB_WORKERS", "2")),
    "timeout": 600,
    "retry": 720,
    "max_attempts": 3,
    "catch_up": False,
    "label": "Jobs",
    "sync": TESTING and not env_bool("JOBS_ASYNC"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Authentication and security ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# argon2id sized for a busy office (m = 19 MiB, t = 2, p = 1; guanjia/accounts/hashers.py and
# docs/security.md); older hashes (Django's Argon2 defaults, PBKDF2) are upgraded at login.
OFFICE_PASSWORD_HASHERS = [
    "guanjia.accounts.hashers.OfficeArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = OFFICE_PASSWORD_HASHERS
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guanjia.accounts.middleware.lockout_response"  # page, or JSON for the API
AXES_ENABLED = not TESTING or env_bool("AXES_IN_TESTS")
AXES_VERBOSE = False
# Behind the TLS proxy every request comes from the proxy's address: with the number of trusted
# proxies, the lockout takes the client's address from X-Forwarded-For (docs/security.md).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0") or 0)
AXES_CLIENT_IP_CALLABLE = "guanjia.accounts.middleware.client_ip"

SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# One date and time format per language, the same ISO style in both (docs/dates.md).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files, uploads ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", BASE_DIR / "vendor" / "bootstrap")]
# Uploads live in MEDIA_ROOT (or the FILE_STORAGE backend) and are never served from a public
# URL: only `files:serve` hands them out (docs/files.md). MEDIA_URL is no route.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Behind nginx: the internal location that maps to MEDIA_ROOT (e.g. "/_files/"); the view
# then answers with X-Accel-Redirect and nginx sends the bytes. Empty: the view streams them.
FILES_X_ACCEL_PREFIX = env("FILES_X_ACCEL_PREFIX")
STORAGES = {
    "default": {"BACKEND": env("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- E-mail and outside channels ------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "guanjia@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", "guanjia.core.notifications.backends.RecordingSmsBackend")
WECHAT_BACKEND = env("WECHAT_BACKEND", "guanjia.core.notifications.backends.RecordingWechatBackend")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer 401 (not 403) to anonymous.
    # API tokens are django-rest-knox tokens (ADR 0006): see guanjia/accounts/authentication.py.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "guanjia.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "guanjia.core.schema.GuanjiaAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "guanjia.core.rest.Pagination",  # PAGE_SIZE a page
    "PAGE_SIZE": 25,
    "DEFAULT_PARSER_CLASSES": [
        "guanjia.core.rest.JSONParser",  # a too deeply nested body: 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "guanjia.core.api.exception_handler",
}
# knox stores our token model; its expiry comes from the policy accounts.api_token_ttl_hours
# when a token is made (guanjia.accounts.services.tokens), never from this TTL.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105  # a model name, not a secret
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
# knox's own token table would stay empty (ours is swapped in): do not create it.
MIGRATION_MODULES = {"knox": None}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guanjia API",
    "DESCRIPTION": "Guanjia (管家) customer service center API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RenovationWorksKindEnum": "guanjia.renovation.models.renovations.WorksKind",
        "RenovationStatusEnum": "guanjia.renovation.models.renovations.RenoStatus",
        "SanctionAppealDecisionEnum": "guanjia.sanctions.models.AppealDecision",
        "SanctionPartyEnum": "guanjia.sanctions.models.Party",
        # Leave, and swaps with missing punches, each share one set of states.
        "AttendanceRequestStatusEnum": "guanjia.attendance.models.leave.LeaveStatus",
        "AttendanceSwapStatusEnum": "guanjia.attendance.models.rosters.SwapStatus",
        "ConductRecordKindEnum": "guanjia.conduct.models.RecordKind",
        "ConductSourceEnum": "guanjia.conduct.models.Source",
        "StandardKindEnum": "guanjia.conduct.models.StandardKind",
        "PreconditionEnum": "guanjia.movein.api.CODES",
        "RequestKindEnum": "guanjia.tickets.models.RequestKind",
        "ComplaintCategoryEnum": "guanjia.tickets.models.ComplaintCategory",
        "RepairCategoryEnum": "guanjia.tickets.models.RepairCategory",
        "ActionKindEnum": "guanjia.tickets.models.ActionKind",
        "PhotoKindEnum": "guanjia.tickets.models.PhotoKind",
        # Billing: these choice sets appear in several bodies and rows under one name.
        "EntryKindEnum": "guanjia.billing.models.EntryKind",
        "FeeItemCategoryEnum": "guanjia.billing.models.FeeCategory",
        "RunStatusEnum": "guanjia.billing.models.RunStatus",
        "UnitKindEnum": "guanjia.estates.models.UnitKind",
        "UnitStatusEnum": "guanjia.estates.models.UnitStatus",
        "MeterKindEnum": "guanjia.billing.models.MeterKind",
        "FeeMethodEnum": "guanjia.billing.models.Method",
        # Cashier, front desk and visits: their kinds, methods and statuses by their own names.
        "PaymentMethodEnum": "guanjia.cashier.models.payments.PaymentMethod",
        "DepositKindEnum": "guanjia.cashier.models.deposits.DepositKind",
        "DepositStatusEnum": "guanjia.cashier.models.deposits.DepositStatus",
        "PaymentLineKindEnum": "guanjia.cashier.models.payments.LineKind",
        "ReceiptStatusEnum": "guanjia.cashier.models.receipts.ReceiptStatus",
        "CashierSessionStatusEnum": "guanjia.cashier.models.sessions.SessionStatus",
        "ArrearsCaseStageEnum": "guanjia.cashier.models.dunning.CaseStage",
        "DunningStepMethodEnum": "guanjia.cashier.models.dunning.StepMethod",
        "DunningNoticeKindEnum": "guanjia.cashier.models.dunning.NoticeKind",
        "NoticeKindEnum": "guanjia.desk.models.notices.NoticeKind",
        "NoticeStatusEnum": "guanjia.desk.models.notices.NoticeStatus",
        "ParcelKindEnum": "guanjia.desk.models.parcels.ParcelKind",
        "PostKindEnum": "guanjia.desk.models.handovers.PostKind",
        "VacantPowerStateEnum": "guanjia.vacant.models.PowerState",  # water and power
        "HandoverStatusEnum": "guanjia.desk.models.handovers.HandoverStatus",
        "KeyKindEnum": "guanjia.desk.models.keys.KeyKind",
        "VisitKindEnum": "guanjia.visits.models.visits.VisitKind",
        "VisitMethodEnum": "guanjia.visits.models.visits.Method",
        "VisitAnswerEnum": "guanjia.visits.models.visits.Answer",
        "VisitStatusEnum": "guanjia.visits.models.visits.VisitStatus",
        # Zone patrols.
        "CheckpointKindEnum": "guanjia.patrols.models.checkpoints.CheckpointKind",
        "PatrolKindEnum": "guanjia.patrols.models.patrols.PatrolKind",
        "PatrolStatusEnum": "guanjia.patrols.models.patrols.PatrolStatus",
        "FindingStatusEnum": "guanjia.patrols.models.patrols.FindingStatus",
        "FindingOriginEnum": "guanjia.patrols.models.patrols.FindingOrigin",
        "ViolationNoticeKindEnum": "guanjia.violations.models.NoticeKind",
        "ViolationMeasureKindEnum": "guanjia.violations.models.MeasureKind",
        "ViolationTypeGroupEnum": "guanjia.violations.models.TypeGroup",
        "AppealDecisionEnum": "guanjia.violations.models.AppealDecision",
        "WorkflowDecisionEnum": "guanjia.core.workflows.models.Decision",
        "ViolationAuthorityEnum": "guanjia.violations.models.Authority",
    },
}

# --- Personal information -------------------------------------------------------------------
# Key for encrypting ID numbers at rest and for their keyed lookup hash (Fernet, base64).
PII_KEY = env("PII_KEY", "ZGV2LW9ubHktcGlpLWtleS1jaGFuZ2UtbWUtMzJieXQ=")
if PRODUCTION and not env("PII_KEY"):
    raise RuntimeError("PII_KEY must be set when GUANJIA_ENV=production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint.progress": {"level": "WARNING"},  # one INFO line per PDF rendering step
    },
}
