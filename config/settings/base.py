"""Settings shared by every environment, read from environment variables (django-environ).

The defaults are for a developer's machine: SQLite under var/, DEBUG on, an insecure key. Production overrides them
in config/settings/production.py and the environment.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "khuyencong.core",
    "khuyencong.geography",
    "khuyencong.accounts",
    "khuyencong.policy",
    "khuyencong.establishments",
    "khuyencong.collaborators",
    "khuyencong.projects",
    "khuyencong.plans",
    "khuyencong.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.core.middleware.ControlCharacterMiddleware",
    "khuyencong.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # API tokens (under /api/ only) replace the session user, then one policy judges sessions and tokens alike.
    "khuyencong.accounts.middleware.ApiTokenMiddleware",
    "khuyencong.accounts.middleware.AccessPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "khuyencong.core.middleware.ApplicationErrorMiddleware",
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khuyencong.core.context_processors.navigation",
            ],
        },
    },
]

# E-mail (overdue report reminders): EMAIL_URL such as smtp+tls://user:password@mail.example.vn:587; printed to the
# console by default (production: the local mail server). KC_SITE_URL is the address the e-mails link to.


def mailers(default_url: str) -> dict:
    """MAILERS from EMAIL_URL (django-environ's e-mail URL), or from `default_url` when it is not set."""
    email = env.email_url("EMAIL_URL", default=default_url)
    options = {
        "host": email.get("EMAIL_HOST"),
        "port": email.get("EMAIL_PORT"),
        "username": email.get("EMAIL_HOST_USER"),
        "password": email.get("EMAIL_HOST_PASSWORD"),
        "use_tls": email.get("EMAIL_USE_TLS"),
        "use_ssl": email.get("EMAIL_USE_SSL"),
    }
    backend = email["EMAIL_BACKEND"]
    return {
        "default": {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v} if "smtp" in backend else {}}
    }


MAILERS = mailers("consolemail://")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="khuyencong@localhost")
KC_SITE_URL = env.str("KC_SITE_URL", default="http://127.0.0.1:8000")

# Uploaded spreadsheets are read in a separate process with at most this much memory (address space) and time
# (core/sheets.py): the largest file an import accepts needs about 430 MB; a file that needs more is refused with a
# message, and the web or task worker that asked is untouched.
KC_IMPORT_MEMORY_MB = env.int("KC_IMPORT_MEMORY_MB", default=1024)
KC_IMPORT_SECONDS = env.int("KC_IMPORT_SECONDS", default=300)

# Database: SQLite file under var/ by default, PostgreSQL (or anything django-environ understands) via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'khuyencong.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "khuyencong.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "khuyencong.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "khuyencong.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "khuyencong.accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sessions end after 30 minutes without activity (every request renews them) and with the browser.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five failures lock the username for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# The reason of a change (a step's reason, a reviewer's comment, "Imported from the file …") is kept whole in the
# history: a text column, not django-simple-history's default of 100 characters (PostgreSQL refused longer ones).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

OTP_TOTP_ISSUER = "Khuyến công"

# Internationalisation: Vietnamese first, English available. English msgids, complete locale/vi.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
WHITENOISE_USE_FINDERS = DEBUG  # development serves straight from the sources; production from collectstatic
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor", BASE_DIR / "node_modules"),
    ("geo", BASE_DIR / "khuyencong" / "geography" / "data" / "geo"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Requests a minute one address may make to the public pages (transparency pages and open data).
KC_PUBLIC_RATE_PER_MINUTE = env.int("KC_PUBLIC_RATE_PER_MINUTE", default=60)

# Background work: Django's tasks API with the database backend (a `manage.py db_worker` process runs them).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "khuyencong.accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "khuyencong.accounts.api.authentication.TokenContentNegotiation",
    "DEFAULT_PARSER_CLASSES": [
        "khuyencong.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "khuyencong.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "khuyencong.core.api.exceptions.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Khuyến công API",
    "DESCRIPTION": "REST API of the khuyến công management system. Errors carry a stable `code` and a message.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the error answers it can give (one `Error` body), after the enums are named.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "khuyencong.core.api.schema.error_responses",
    ],
    # Choice sets shared by several fields get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "khuyencong.projects.choices.Status",
        "EstablishmentStatusEnum": "khuyencong.establishments.choices.Status",
        "ProgrammeLevelEnum": "khuyencong.plans.choices.ProgrammeLevel",
        "UnitLevelEnum": "khuyencong.geography.choices.UnitLevel",
        "BudgetSourceEnum": "khuyencong.projects.choices.BudgetSource",
        "DocumentKindEnum": "khuyencong.projects.choices.DocumentKind",
        "LegalDocumentKindEnum": "khuyencong.policy.models.LegalDocument.Kind",
        "RegionKindEnum": "khuyencong.geography.choices.RegionKind",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Content security policy: only our own scripts (no inline, no eval); ECharts and htmx need inline styles.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Error pages: HTML for pages, the API's JSON error body under /api/ (config/urls.py sets the handlers).
CSRF_FAILURE_VIEW = "khuyencong.core.views.csrf_failure"

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
