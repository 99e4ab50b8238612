"""Terpadu settings. The only module that reads the environment.

Environment variables (all optional for a local run):

- ``DATABASE_URL``: ``sqlite:///var/terpadu.sqlite3`` (default) or ``postgres://...``
- ``SECRET_KEY``: generated into ``var/secret_key`` on first run when absent
- ``DEBUG``: ``1`` to enable debug pages (off by default)
- ``ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``)
- ``TERPADU_DEMO``: ``1`` for the demo (plain-HTTP cookies on localhost)
- ``TERPADU_VAR_DIR``: where the database, keys and uploads live (default ``./var``)
- ``TERPADU_BASE_URL``: public address used in messages (default ``http://127.0.0.1:8000``)
- ``TIME_ZONE``: default ``Asia/Jakarta`` (WIB)
- ``TERPADU_DOCUMENT_KEY``: signs document QR tokens (default: generated into ``var/document_key``)
- ``TERPADU_SMTP_HOST``/``_PORT``/``_USER``/``_PASSWORD``/``_TLS``, ``TERPADU_MAIL_FROM``: e-mail
- ``TERPADU_GATEWAY_URL``/``TERPADU_GATEWAY_SECRET``: the SMS/WhatsApp gateway (signed JSON POST)
- ``TERPADU_NOTIFY_LEASE_SECONDS`` (60), ``TERPADU_NOTIFY_MAX_ATTEMPTS`` (8): outbox delivery
- ``TERPADU_NOTIFY_KEEP_DAYS`` (90): recipients and texts of delivered messages are erased after
- ``TERPADU_TASK_RESULTS_KEEP_DAYS`` (2), ``TERPADU_TASK_FAILURES_KEEP_DAYS`` (30): finished
  background-task results are deleted after
- ``TERPADU_UPLOAD_MAX_BYTES``: largest application upload (default 10 MB)
- ``TERPADU_TRUSTED_PROXIES``: reverse proxies (addresses or networks, comma-separated) whose
  ``X-Forwarded-For`` names the client for rate limits, login throttling and audit
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from terpadu.core.dburl import ConfigError, parse
from terpadu.core.http import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TERPADU_VAR_DIR") or BASE_DIR / "var").resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_file(name: str, nbytes: int = 48) -> str:
    """Read a key from ``var/<name>``, creating it (mode 600) on first use."""
    path = VAR_DIR / name
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


DEBUG = env_flag("DEBUG")
DEMO_MODE = env_flag("TERPADU_DEMO")
SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_file("secret_key")
AUDIT_KEY = os.environ.get("TERPADU_AUDIT_KEY") or _secret_file("audit_key")
# Signs the QR token of issued documents (applications); kept outside the database.
DOCUMENT_KEY = os.environ.get("TERPADU_DOCUMENT_KEY") or _secret_file("document_key")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
BASE_URL = os.environ.get("TERPADU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

try:
    DATABASES = {
        "default": parse(
            os.environ.get("DATABASE_URL", "sqlite:///var/terpadu.sqlite3"), base_dir=BASE_DIR
        )
    }
except ConfigError as exc:
    # One clear line, never a traceback (see terpadu.cli, which prints it).
    print(f"terpadu: {exc}", file=sys.stderr)
    raise SystemExit(2) from None
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "terpadu.sqlite3")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "terpadu.core",
    "terpadu.accounts",
    "terpadu.registry",
    "terpadu.catalog",
    "terpadu.queueing",
    "terpadu.applications",
    "terpadu.complaints",
    "terpadu.surveys",
    "terpadu.notifications",
    "terpadu.outreach",
    "terpadu.cetar",
    "terpadu.gallery",
    "terpadu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "terpadu.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "terpadu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "terpadu.urls"
WSGI_APPLICATION = "terpadu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "terpadu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "terpadu.core.context_processors.site",
            ],
            "builtins": ["terpadu.core.templatetags.terpadu"],
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "terpadu" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "terpadu" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "uploads")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Security defaults; the demo runs on plain HTTP on localhost, so cookies are
# only "secure" outside demo and debug mode.
_plain_http = DEBUG or DEMO_MODE
SESSION_COOKIE_SECURE = not _plain_http
CSRF_COOKIE_SECURE = not _plain_http
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_SSL_REDIRECT = env_flag("TERPADU_SSL_REDIRECT", not _plain_http)
SECURE_HSTS_SECONDS = 0 if _plain_http else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _plain_http
SECURE_HSTS_PRELOAD = not _plain_http
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
try:
    TRUSTED_PROXIES = parse_networks(os.environ.get("TERPADU_TRUSTED_PROXIES", ""))
except ValueError as exc:
    print(f"terpadu: {exc}", file=sys.stderr)
    raise SystemExit(2) from None
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Login throttling: failures per (username, address) within the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("TERPADU_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("TERPADU_LOGIN_FAILURE_WINDOW", "900"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_nik": {"()": "terpadu.core.nik.MaskNikLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_nik"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Notifications (terpadu.notifications): email over SMTP, SMS/WhatsApp through an HTTP gateway.
EMAIL_HOST = os.environ.get("TERPADU_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TERPADU_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TERPADU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TERPADU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_flag("TERPADU_SMTP_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("TERPADU_MAIL_FROM", "Terpadu <no-reply@terpadu.local>")
TERPADU_GATEWAY_URL = os.environ.get("TERPADU_GATEWAY_URL", "")
TERPADU_GATEWAY_SECRET = os.environ.get("TERPADU_GATEWAY_SECRET", "")
NOTIFY_LEASE_SECONDS = int(os.environ.get("TERPADU_NOTIFY_LEASE_SECONDS", "60"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("TERPADU_NOTIFY_MAX_ATTEMPTS", "8"))
# Personal data in delivered (or abandoned) messages is erased after this many days.
NOTIFY_KEEP_DAYS = int(os.environ.get("TERPADU_NOTIFY_KEEP_DAYS", "90"))
# Finished background-task results are deleted after these many days (failed ones kept longer).
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TERPADU_TASK_RESULTS_KEEP_DAYS", "2"))
TASK_FAILURES_KEEP_DAYS = int(os.environ.get("TERPADU_TASK_FAILURES_KEEP_DAYS", "30"))

# Applications: uploads larger than this are refused per field (never buffered whole).
APPLICATION_UPLOAD_MAX_BYTES = int(
    os.environ.get("TERPADU_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))
)

# Which regency a fresh deployment serves (Kemendagri code); the demo builds it.
TERPADU_HOME_REGION = os.environ.get("TERPADU_HOME_REGION", "35.10")
