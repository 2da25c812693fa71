"""The one settings module. Profiles: local (default) and production (BACKRELIEF_ENV).

Every value comes from `backrelief.env` (strict parsing; see `.env.example`).
Decisions are explained in docs/adr/0002-settings-profiles.md.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from backrelief.env import Env, EnvError

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
PROFILE = env.choice("BACKRELIEF_ENV", ("local", "production"))
PRODUCTION = PROFILE == "production"

VAR_DIR = Path(env.string("BACKRELIEF_VAR_DIR") or BASE_DIR / "var").resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A key generated once into var/ so local sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.required("SECRET_KEY", "when BACKRELIEF_ENV=production")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise EnvError("SECRET_KEY must be at least 50 characters with at least 5 distinct ones.")
    ALLOWED_HOSTS = env.csv("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("ALLOWED_HOSTS must be set when BACKRELIEF_ENV=production.")
    env.required("DATABASE_URL", "when BACKRELIEF_ENV=production")
    DEBUG = False
else:
    SECRET_KEY = env.string("SECRET_KEY") or _local_secret_key()
    ALLOWED_HOSTS = env.csv("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "testserver"]
    DEBUG = env.flag("BACKRELIEF_DEBUG", default=True)

BASE_URL = env.string("BACKRELIEF_BASE_URL") or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "backrelief.core",
    "backrelief.accounts",
    "backrelief.catalog",
    "backrelief.assessment",
    "backrelief.therapists",
    "backrelief.scheduling",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backrelief.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # before the session policy, which tells a person why they were signed out
    "django.contrib.messages.middleware.MessageMiddleware",
    "backrelief.accounts.middleware.SessionPolicyMiddleware",
    "backrelief.accounts.middleware_mfa.MFARequiredMiddleware",
    "backrelief.accounts.middleware.UserPreferencesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backrelief.core.middleware.NoStoreForPersonalMiddleware",
]

ROOT_URLCONF = "backrelief.urls"
WSGI_APPLICATION = "backrelief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "backrelief.core.context_processors.navigation",
            ],
        },
    }
]

# --- Databases ------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT_S = env.integer("SQLITE_BUSY_TIMEOUT_S", minimum=1)
_database_url = env.string("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dict(dj_database_url.parse(_database_url, conn_max_age=60))}
    except ValueError as exc:
        raise EnvError(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "backrelief.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL for concurrent readers, FULL sync so a committed booking survives power loss,
    # IMMEDIATE so a write transaction takes the lock up front instead of failing half-way,
    # and a *file* test database (the in-memory default ignores the busy timeout). ADR 0003.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
else:
    raise EnvError("DATABASE_URL must point to PostgreSQL (postgres://...) or be unset for SQLite.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_URL_PATH = "/accounts/login/"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTHENTICATION_BACKENDS = ["backrelief.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# OWASP ASVS 2.1: at least 8 characters, at least 64 accepted, common passwords rejected,
# no composition rules. (ASVS 2.1.1, 2.1.2, 2.1.7, 2.1.9)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "backrelief.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # the reset link expires after 60 minutes

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute lifetime; idle timeout in SessionPolicyMiddleware
SESSION_IDLE_TIMEOUT_S = 30 * 60
SESSION_ABSOLUTE_TIMEOUT_S = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie
LOCKOUT_WINDOW_S = 15 * 60
LOCKOUT_COOLOFF_S = 15 * 60
LOCKOUT_MAX_PER_EMAIL_IP = 5
LOCKOUT_MAX_PER_EMAIL = 20

# --- Email ------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL")
_email_url = env.string("EMAIL_URL")
if _email_url:
    from urllib.parse import unquote, urlsplit

    _parts = urlsplit(_email_url)
    if _parts.scheme not in ("smtp", "smtps") or not _parts.hostname:
        raise EnvError("EMAIL_URL must look like smtp://user:password@host:587")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parts.hostname
    EMAIL_PORT = _parts.port or (465 if _parts.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_parts.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parts.password or "")
    EMAIL_USE_SSL = _parts.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL
elif PRODUCTION:
    raise EnvError("EMAIL_URL must be set when BACKRELIEF_ENV=production.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [PACKAGE_DIR / "static", BASE_DIR / "var" / "frontend"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    if PRODUCTION
    else {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security ---------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if env.flag("TRUSTED_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY = env.flag("TRUSTED_PROXY")
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Audit ------------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env.integer("AUDIT_RETENTION_DAYS", minimum=365)

# --- Therapists (issue 5) ---------------------------------------------------------------------
# Re-encoded profile photos (public once the therapist is listed), served by an access-checked
# view, not by the web server: a photo of an unlisted therapist must not be reachable.
MEDIA_ROOT = VAR_DIR / "media"
# Licence and certification evidence: outside MEDIA_ROOT, served only by the audited view.
PRIVATE_FILES_ROOT = VAR_DIR / "private"
REVIEW_WINDOW_DAYS = env.integer("REVIEW_WINDOW_DAYS", minimum=1)

# --- Logging: never health data, never emails (only public ids) --------------------------------
LOG_LEVEL = env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "backrelief.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# auth.W004 asks for a unique USERNAME_FIELD column; ours is unique case-insensitively through
# the functional constraint `user_email_ci_unique` (stronger than the check can see).
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
