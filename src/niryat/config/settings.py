"""Django settings for Niryat. Values that vary between machines come from env.py only."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from niryat.config import env as environment

ENV = environment.from_os()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = environment.data_dir(ENV)

SECRET_KEY = environment.secret_key(ENV, DATA_DIR)
DEBUG = ENV.bool("NIRYAT_DEBUG", False)
DEMO_MODE = ENV.bool("NIRYAT_DEMO", False)
HTTPS = ENV.bool("NIRYAT_HTTPS", False)
ALLOWED_HOSTS = ENV.list("NIRYAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = ENV.list("NIRYAT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "niryat.core",
    "niryat.reference",
    "niryat.accounts",
    "niryat.audit",
    "niryat.programmes",
    "niryat.registry",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "niryat.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "niryat.config.urls"
WSGI_APPLICATION = "niryat.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "niryat.core.context_processors.platform",
                "niryat.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": environment.database(ENV, DATA_DIR)}
# The enterprise list's covering indexes (ADR 0007) include columns on PostgreSQL; SQLite
# builds them on their key columns alone, which is all its list needs. Meant, so Django's
# warning about it (models.W040, printed at every migrate on SQLite) is silenced.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["niryat.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Sessions end after this many seconds without a request (sliding expiry).
SESSION_COOKIE_AGE = ENV.int("NIRYAT_SESSION_SECONDS", 8 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling: failures per (email, address) and per address within the window.
LOGIN_THROTTLE_WINDOW_SECONDS = ENV.int("NIRYAT_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=1)
LOGIN_THROTTLE_FREE_FAILURES = ENV.int("NIRYAT_LOGIN_FREE_FAILURES", 5, minimum=1)
LOGIN_THROTTLE_ADDRESS_FAILURES = ENV.int("NIRYAT_LOGIN_ADDRESS_FAILURES", 50, minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the shared layout's stylesheet
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from finders too, but wants the folder
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

TASKS = {
    "default": {
        "BACKEND": ENV.choice("NIRYAT_TASK_BACKEND", "database", environment.TASK_BACKENDS),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = ENV.choice("NIRYAT_EMAIL_BACKEND", "console", environment.EMAIL_BACKENDS)
EMAIL_HOST = ENV.str("NIRYAT_EMAIL_HOST", "localhost")
EMAIL_PORT = ENV.int("NIRYAT_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = ENV.str("NIRYAT_EMAIL_USER")
EMAIL_HOST_PASSWORD = ENV.str("NIRYAT_EMAIL_PASSWORD")
EMAIL_USE_TLS = ENV.bool("NIRYAT_EMAIL_TLS", False)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = ENV.str("NIRYAT_FROM_EMAIL", "niryat@localhost")

# Security headers everywhere; HTTPS-only cookies, redirect and HSTS when served over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest import file accepted (an upload or a file given to `niryat import`).
NIRYAT_IMPORT_MAX_BYTES = ENV.int("NIRYAT_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024
# Files from this size on are checked in worker processes (0: always); 0 workers: one per core, up to 2.
NIRYAT_IMPORT_PARALLEL_BYTES = ENV.int("NIRYAT_IMPORT_PARALLEL_MB", 8, minimum=0) * 1024 * 1024
NIRYAT_IMPORT_WORKERS = ENV.int("NIRYAT_IMPORT_WORKERS", 0, minimum=0)
# With worker processes, chunks are written by a thread of their own while the next are matched.
NIRYAT_IMPORT_WRITER_THREAD = ENV.bool("NIRYAT_IMPORT_WRITER_THREAD", True)
# SQLite: write-ahead log pages allowed during bulk writes before they are copied into the file.
NIRYAT_SQLITE_BULK_WAL_PAGES = ENV.int("NIRYAT_SQLITE_BULK_WAL_PAGES", 10_000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.str("NIRYAT_LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
