"""Django settings. Everything that differs between a laptop and production comes from the environment."""

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jaring.core.secrets import DEFAULT_SECRET_KEY, DEMO_BANK_SECRET, secrets_problems

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JARING_VAR_DIR", BASE_DIR / "var"))

# The laptop demo runs with no secret set; production (JARING_ENV=production, see README) refuses to start
# with a default or demo secret, and `jaring manage check --deploy` reports one anywhere (core.checks).
PRODUCTION = os.environ.get("JARING_ENV", "") == "production"
SECRET_KEY = os.environ.get("JARING_SECRET_KEY", "" if PRODUCTION else DEFAULT_SECRET_KEY)
DEBUG = os.environ.get("JARING_DEBUG", "0") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("JARING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves its own Swagger UI files (no CDN)
    "jaring.core",
    "jaring.regions",
    "jaring.registry",
    "jaring.imports",
    "jaring.contributions",
    "jaring.funding",
    "jaring.claims",
    "jaring.linkage",
    "jaring.insights",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jaring.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jaring.core.middleware.RequestIdMiddleware",
    "jaring.core.middleware.NulCharacterMiddleware",
    "jaring.core.middleware.ApiTokenAuditMiddleware",
    "jaring.core.middleware.JaringErrorMiddleware",
    "jaring.core.middleware.NoStoreMiddleware",
    "jaring.core.middleware.PasswordChangeMiddleware",
    "jaring.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Content-Security-Policy (django-csp): scripts, styles and everything else from Jaring itself only; no inline
# script or style, no frames, forms post only here (issue #13). The Django admin keeps its own pages.
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
    }
}

ROOT_URLCONF = "jaring.urls"
WSGI_APPLICATION = "jaring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jaring" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jaring.core.context_processors.viewer",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'jaring.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web app read while a background import writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; "
            # 256 MB page cache: index maintenance of a million-row insert stays in memory.
            "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("JARING_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Issue #13: no common, all-digit or name-like password; at least 10 characters.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling and lock-out (django-axes), before the check
    "django.contrib.auth.backends.ModelBackend",
]
# After 5 failed sign-ins for one user name, or from one address, that user name or address waits 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("JARING_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("JARING_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False
# A session ends after JARING_IDLE_MINUTES without a request, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("JARING_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jaring" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Registry rules that regulations or policy may change: settings, not literals.
JARING: dict[str, Any] = {
    "REGISTRATION_AGE_MIN": int(os.environ.get("JARING_REGISTRATION_AGE_MIN", "18")),
    "REGISTRATION_AGE_MAX": int(os.environ.get("JARING_REGISTRATION_AGE_MAX", "65")),
    "DEFAULT_INCOME_TIER": 1_000_000,
    "INCOME_MIN": 1_000_000,
    "INCOME_MAX": 20_700_000,
    "IMPORT_MAX_BYTES": int(os.environ.get("JARING_IMPORT_MAX_BYTES", str(400 * 1024 * 1024))),
    "IMPORT_MAX_ROWS": int(os.environ.get("JARING_IMPORT_MAX_ROWS", "2000000")),
    # A spreadsheet is checked before it is read (issue #13: a 1.6 KB file declaring a cell at XFD1048576 made
    # the reader ask for 550 GB): its unpacked size and each sheet's declared area (columns) are bounded, and a
    # background check runs in a child process with this much memory, so a bad file fails its own batch only.
    "IMPORT_MAX_UNPACKED_MB": int(os.environ.get("JARING_IMPORT_MAX_UNPACKED_MB", "1024")),
    "IMPORT_MAX_COLUMNS": int(os.environ.get("JARING_IMPORT_MAX_COLUMNS", "200")),
    "IMPORT_MEMORY_MB": int(os.environ.get("JARING_IMPORT_MEMORY_MB", "4096")),
    "IMPORT_ISOLATED": os.environ.get("JARING_IMPORT_ISOLATED", "1") == "1",
    "IMPORT_DIR": VAR_DIR / "imports",
    # Claim documents (death certificates, ID cards, bills): outside the web root, served only through a view
    # that checks who asks.
    "CLAIMS_DIR": VAR_DIR / "claims",
    # Duplicate detection (docs/decisions/0009): pairs at or above LINKAGE_THRESHOLD are queued for review,
    # those at or above LINKAGE_HIGH with NIKs that differ as a typo first. A registry smaller than
    # LINKAGE_MIN_TRAIN starts from the shipped model. A committed batch is checked in the background.
    "LINKAGE_THRESHOLD": float(os.environ.get("JARING_LINKAGE_THRESHOLD", "0.9")),
    "LINKAGE_HIGH": float(os.environ.get("JARING_LINKAGE_HIGH", "0.99")),
    "LINKAGE_MIN_TRAIN": int(os.environ.get("JARING_LINKAGE_MIN_TRAIN", "5000")),
    "DEDUPE_ON_COMMIT": os.environ.get("JARING_DEDUPE_ON_COMMIT", "1") == "1",
    "CLAIM_DOCUMENT_MAX_BYTES": int(os.environ.get("JARING_CLAIM_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024))),
    # Virtual accounts: the bank's company prefix for self-paying workers (followed by the KPJ) and for
    # other payers (followed by a payer number); the 16th digit is a Luhn check digit.
    "VA_PREFIXES": {
        "worker": os.environ.get("JARING_VA_PREFIX_WORKER", "8889"),
        "payer": os.environ.get("JARING_VA_PREFIX_PAYER", "8890"),
    },
    # When two funding programs want the same worker-month, the earlier payer level keeps it (issue #5:
    # village, regency, province, national, CSR, donor; BAZNAS gives like a donor). docs/decisions/0007.
    "FUNDING_PRECEDENCE": os.environ.get(
        "JARING_FUNDING_PRECEDENCE", "apbdes,apbd_kabkota,apbd_provinsi,apbn,csr,donor,baznas"
    ),
    # A payment a clerk records by hand may carry a value date at most this many days back (issue #13); cover
    # counts from when Jaring learned of the money, never from a typed date (docs/decisions/0013).
    "PAYMENT_BACKDATE_DAYS": int(os.environ.get("JARING_PAYMENT_BACKDATE_DAYS", "7")),
    # Public lookups (a claim's status by number and NIK) per address and hour: no oracle for NIKs.
    "PUBLIC_LOOKUPS_PER_HOUR": int(os.environ.get("JARING_PUBLIC_LOOKUPS_PER_HOUR", "20")),
    # The OpenAPI document (/api/v1/openapi.json) and its page (/api/v1/docs) for signed-in users only.
    "API_DOCS_PUBLIC": os.environ.get("JARING_API_DOCS_PUBLIC", "0") == "1",
    # The largest single amount of money accepted anywhere (whole rupiah; core.types.rupiah_checked).
    "MONEY_MAX": int(os.environ.get("JARING_MONEY_MAX", str(10**13))),
    # Banks sign their payment notifications with HMAC-SHA256 of the body under this shared secret.
    "BANK_NOTIFY_SECRETS": {
        k: v
        for k, v in (
            pair.split("=", 1)
            for pair in os.environ.get(
                "JARING_BANK_NOTIFY_SECRETS", "" if PRODUCTION else f"demo-bank={DEMO_BANK_SECRET}"
            ).split(",")
            if "=" in pair
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query_strings": {"()": "jaring.core.logs.NoQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_query_strings"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JARING_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Behind HTTPS (a regency or national deployment; production always is): secure cookies, the proxy's scheme
# header, HTTPS only (HSTS for JARING_HSTS_SECONDS, a year unless set).
if os.environ.get("JARING_HTTPS") == "1" or PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
    SECURE_SSL_REDIRECT = os.environ.get("JARING_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("JARING_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("JARING_HSTS_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("JARING_HSTS_PRELOAD", "1") == "1"

if PRODUCTION:
    _problems = secrets_problems(secret_key=SECRET_KEY, bank_secrets=JARING["BANK_NOTIFY_SECRETS"])
    if _problems:
        raise ImproperlyConfigured("Jaring (JARING_ENV=production) will not start: " + " ".join(_problems))
