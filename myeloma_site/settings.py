"""Settings for myeloma-clinic, read from the environment (django-environ).

Safe by default: DEBUG off, no wildcard hosts, a local SQLite file under ``var/``.
``DJANGO_PRODUCTION=true`` switches on the HTTPS/cookie/HSTS block and requires a real
secret key and host list. ``DATABASE_URL`` selects PostgreSQL (``postgres://…``).
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    # Development and tests only: production refuses to start without DJANGO_SECRET_KEY.
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789"
    )
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "accounts",
    "governance",
    "patient_notes",
    "staging",
    "treatment",
    "dosing",
    "followup",
    "costs",
    "interop",
    # Site-wide management commands (db_backup, db_restore).
    "myeloma_site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "myeloma_site.urls"
WSGI_APPLICATION = "myeloma_site.wsgi.application"

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
                "myeloma_site.context_processors.site",
            ],
            # {{ day|clinic_date }} everywhere: one date format per language.
            "builtins": ["webparts.dates"],
        },
    },
]

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers writing at once: WAL lets readers run beside the writer, and
    # IMMEDIATE transactions take the write lock up front and wait for it (up to 20 s) instead
    # of failing with "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock a username+IP pair out after 5 failed logins (django-axes).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The reverse proxies in front of the app that append the client to X-Forwarded-For (0: none,
# the header is ignored). The lockout and the login log use the same client address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("da", _("Danish")),
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language on every screen (myeloma_site/formats/).
FORMAT_MODULE_PATH = ["myeloma_site.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if PRODUCTION:
    # `manage.py collectstatic` fills this; whitenoise serves it with far-future cache headers.
    STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
else:
    WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: no inline script or style anywhere; htmx is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one clinic day

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes the backend directly over plain HTTP; the health check answers it.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        # Server errors (500) with their traceback on stderr (gunicorn/systemd journal), also
        # when DEBUG is off; request bodies are never logged.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "myeloma": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    },
}

# Site settings shown to clinicians and patients (override per clinic in the environment).
# Governed content never changes through the admin: no history revert (governance.admin).
SIMPLE_HISTORY_REVERT_DISABLED = True

CLINIC_NAME = env.str("CLINIC_NAME", default="Haematology outpatient clinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="")
# ISO 3166-1 alpha-2 code of the country whose drug prices and reimbursement notes apply (NO, FI…).
CLINIC_COUNTRY = env.str("CLINIC_COUNTRY", default="").upper()
# Base URL of this clinic's own FHIR code systems and of its pseudonymous patient references.
FHIR_SYSTEM_BASE = env.str("FHIR_SYSTEM_BASE", default="https://myeloma-clinic.invalid/fhir")

# The units a clinic's laboratory reports in; each form can still switch unit per value.
STAGING_DEFAULT_UNITS = {
    "beta2_microglobulin": "mg/L",
    "albumin": env.str("UNIT_ALBUMIN", default="g/L"),
    "creatinine": env.str("UNIT_CREATININE", default="umol/L"),
    "m_protein": env.str("UNIT_M_PROTEIN", default="g/L"),
    "haemoglobin": env.str("UNIT_HAEMOGLOBIN", default="g/L"),
    "calcium": env.str("UNIT_CALCIUM", default="mmol/L"),
}

# Dosing site settings (domain-reference B3, K2, §17 #3/#4): shown next to every result.
DOSING_BSA_FORMULA = env.str("DOSING_BSA_FORMULA", default="mosteller")  # or "dubois"
DOSING_CRCL_WEIGHT_BASIS = env.str("DOSING_CRCL_WEIGHT_BASIS", default="actual")
DOSING_JURISDICTION = env.str("DOSING_JURISDICTION", default="eu")  # lenalidomide renal bands
# A creatinine older than this at cycle 1 day 1 gives a plan warning (docs/operations.md: why 7).
DOSING_CREATININE_MAX_AGE_DAYS = env.int("DOSING_CREATININE_MAX_AGE_DAYS", default=7)

# Response assessment (domain-reference §21 R10): the days after month 9 and month 12 in which an
# MRD-negative CR still counts for the I2TEAMM milestone. Pending verification (shown as such).
I2TEAMM_LANDMARK_WINDOW_DAYS = env.int("I2TEAMM_LANDMARK_WINDOW_DAYS", default=30)
# A dose is recorded as given at most this many days after its planned date; later: omit and
# re-plan (api-v1, reschedule; myeloma_core.schedule.late_dose_validate).
DOSING_MAX_DELAY_DAYS = env.int("DOSING_MAX_DELAY_DAYS", default=28)

# Background tasks (django-tasks, the backport of Django 6's tasks API): the calendar body of
# a saved plan is rendered by a worker, never in a request (dosing.calendar_print).
# TASKS_BACKEND=database (default): the task table in the app's database, one or more
#   `manage.py db_worker --queue-name default,calendar` processes beside the server (`make run`).
# TASKS_BACKEND=redis: RQ on REDIS_URL, for several app servers and render workers on several
#   machines (`manage.py rqworker calendar --job-class django_tasks_rq.Job`); the PDF rate
#   limit then counts in Redis too, across every app process.
# TASKS_BACKEND=immediate: run in the enqueuing process (tests).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
TASK_QUEUES = ["default", "calendar"]
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
RQ_QUEUES = {queue: {"URL": REDIS_URL} for queue in TASK_QUEUES}
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": TASK_QUEUES,
    }
}
if TASKS_BACKEND == "redis":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Patient calendar PDFs each user may download per minute (each renders at least a cover).
CALENDAR_PDF_PER_MINUTE = env.int("CALENDAR_PDF_PER_MINUTE", default=10)
