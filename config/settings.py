"""Project settings: one module, everything read from the environment with safe defaults.

Zero set-up default: SQLite and local files. DATABASE_URL switches to PostgreSQL,
DJANGO_ENV=production turns on the production checks.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.map_tiles import tile_source

BASE_DIR = Path(__file__).resolve().parent.parent
INSECURE_SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY set to a long random value."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses to run with DJANGO_DEBUG on.")

# Public address used in certificate QR codes, badges, e-mails and open data. `make run` sets it
# to the address it serves; production must say it (a guessed one printed QR codes that led
# nowhere). A check warns when its host is not in ALLOWED_HOSTS (certification/site_url.py).
if PRODUCTION and not env.str("SITE_URL", default="").strip():
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs SITE_URL, the site's public address (e.g. "
        "https://zakup.example.pl): it goes into QR codes, badges, e-mails and open data."
    )
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").strip().rstrip("/")
# Where vulnerabilities are reported (a mailto: or https: URI), published in security.txt.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="mailto:bezpieczenstwo@rops.example.pl")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules",
    "ninja",  # its static files: the API docs page needs no CDN
    "viewflow",
    "viewflow.workflow",
    "certification",
    "workflows",
    "django_tasks_db",
    "jobs",
    # After our apps: our templates/account/*.html win over allauth's.
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the session: it sees whether anything inside read the session.
    "certification.middleware.PrivacyHeadersMiddleware",
    "certification.middleware.PolishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

if PRODUCTION:
    # Static files served by the app server itself; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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
                "certification.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection kept between requests (conn_max_age) is checked before a request uses it, so a
# restarted PostgreSQL costs one reconnect instead of a 500 on each stale connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a writer takes the lock when its transaction starts, so two simultaneous
    # requests wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "certification.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth; URLs in config/urls_accounts.py, pages in templates/account/).
# New users sign up with an e-mail address, which they must confirm before the first login;
# demo and older users keep logging in with their username.
ACCOUNT_ADAPTER = "certification.account_adapter.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"certification.forms.accounts.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("change_password", "ChangePasswordForm"),
        ("set_password", "SetPasswordForm"),
    ]
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per person, which they may change (confirming the new one): e-mails and
# invitations go to that address, and nobody keeps a second one nobody reads.
ACCOUNT_CHANGE_EMAIL = True
# The same answer whether or not an address has an account: sign-up with a taken address
# e-mails its owner instead of saying so on screen, and a reset for an unknown address
# sends nothing at all (an e-mail to a stranger's address would be spam).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Confirming in the browser that signed up logs the user straight in: one step less.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Zakup Prospołeczny: "
ACCOUNT_SESSION_REMEMBER = True  # as before allauth: the session lasts SESSION_COOKIE_AGE
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# allauth's own rate limits (login POSTs, sign-ups, resets, confirmation e-mails) stay on with
# their defaults, at the client address our limits use (TRUSTED_PROXIES); failed logins are
# counted by our rule instead (certification/login_limits.py), which a stranger cannot turn
# against the owner. All count in CACHES["default"], shared when CACHE_URL is set.

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats over Django's (config/formats/<language>/formats.py): one per context.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The map's shipped geography (certification/data/geo) is served as /static/geo/.
STATICFILES_DIRS = [BASE_DIR / "static", ("geo", BASE_DIR / "certification" / "data" / "geo")]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"  # never routed: private files go through permission-checked views

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.AppDirectoriesFinderWithoutViewflow",
]

# Uploaded files (application documents, certificate PDFs): local files under MEDIA_ROOT by
# default; a private S3 bucket when S3_BUCKET is set (AWS, Ceph radosgw, any S3-compatible
# store). The code sees one storage API either way. See README "Documents on S3".
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    from certification.storage import s3_options

    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_options(
            bucket=S3_BUCKET,
            endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
            access_key=env.str("S3_ACCESS_KEY_ID", default=""),
            secret_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
            region=env.str("S3_REGION", default="us-east-1"),
            url_expire=env.int("S3_URL_EXPIRE", default=60),
            connect_timeout=env.float("S3_CONNECT_TIMEOUT", default=3),
            read_timeout=env.float("S3_READ_TIMEOUT", default=5),
            max_attempts=env.int("S3_MAX_ATTEMPTS", default=2),
        ),
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail (Django's MAILERS). EMAIL_URL for an SMTP server, in django-environ's form, e.g.
# smtp+tls://user:password@smtp.example.pl:587, or EMAIL_BACKEND for another backend. Without
# either: the console in development (the e-mails are printed), and in production SMTP to the
# machine's own mail server.
_EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="")
_EMAIL_URL = env.str(
    "EMAIL_URL", default="smtp://localhost:25" if PRODUCTION and not _EMAIL_BACKEND else ""
)
if _EMAIL_URL:
    _smtp = env.email_url_config(_EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": _smtp["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {
        "default": {"BACKEND": _EMAIL_BACKEND or "django.core.mail.backends.console.EmailBackend"}
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zakup-prospoleczny@rops.example.pl")

# Background jobs (django.tasks on django_tasks_db: the queue is a table in this database, see
# docs/operations.md "Background jobs"). Workers: `manage.py run_worker`, any number on any host.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A transient failure (SMTP, S3, the database) is retried after JOBS_RETRY_SECONDS, doubling
# each time up to JOBS_RETRY_MAX_SECONDS, JOBS_MAX_ATTEMPTS times in all (defaults: about
# 4 hours); then the job is failed, listed in the admin with its error and a retry action.
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=12)
JOBS_RETRY_SECONDS = env.float("JOBS_RETRY_SECONDS", default=10.0)
JOBS_RETRY_MAX_SECONDS = env.float("JOBS_RETRY_MAX_SECONDS", default=1800.0)
# SQLite only (PostgreSQL knows at once, jobs/liveness.py): a job RUNNING this long lost its
# worker (killed, host gone), and another worker runs it again.
JOBS_STALLED_SECONDS = env.int("JOBS_STALLED_SECONDS", default=900)
# Periodic jobs, enqueued by the workers once a day after the local time given (no crontab);
# `manage.py run_job NAME` runs one now.
JOBS_PERIODIC = {
    "applications_daily": {"task": "workflows.tasks.applications_daily", "at": "00:05"},
    "certificates_daily": {"task": "certification.tasks.certificates_daily", "at": "00:10"},
    "reconcile_storage": {"task": "certification.tasks.reconcile_storage", "at": "03:00"},
    "clearsessions": {"task": "certification.tasks.clearsessions", "at": "04:00"},
    "prune_jobs": {"task": "jobs.tasks.prune_jobs", "at": "04:10"},
    "reminders_daily": {"task": "certification.tasks.reminders_daily", "at": "07:00"},
}
# Finished jobs are kept this many days (failed ones three times as long), then pruned.
JOBS_KEEP_DAYS = env.int("JOBS_KEEP_DAYS", default=30)

# The certification scheme: who issues, who signs.
CERTIFICATE_ISSUER = env.str(
    "CERTIFICATE_ISSUER", default="Regionalny Ośrodek Polityki Społecznej w Katowicach"
)
CERTIFICATE_SIGNATORY = env.str("CERTIFICATE_SIGNATORY", default="Dyrektor ROPS")
CERTIFICATE_FONT_FAMILY = env.str("CERTIFICATE_FONT_FAMILY", default="DejaVu Sans")
# Where decision letters are written (the place before the date), with the issuer above.
LETTER_PLACE = env.str("LETTER_PLACE", default="Katowice")

# Webhooks of procurement platforms (certification/webhook_delivery.py): seconds to wait for an
# endpoint's answer, and whether endpoints on this machine's own or private networks may be
# called (development and tests only: production refuses them, docs/webhooks.md).
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=not PRODUCTION)

# Ed25519 key that signs certificates (the QR code carries the signature); a PEM file kept
# outside the database. Empty in development: a key is generated once at the DEV path below.
# Production refuses to sign or verify without it. See docs/signatures.md for rotation.
CERTIFICATE_SIGNING_KEY_FILE = env.str("CERTIFICATE_SIGNING_KEY_FILE", default="")
CERTIFICATE_SIGNING_DEV_KEY_FILE = BASE_DIR / "var" / "keys" / "certificate-signing-key.pem"
# Public keys (PEM files) of earlier signing keys, still accepted for what they signed.
CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES = env.list(
    "CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES", default=[]
)

# Cache. The rate limits (ours and allauth's) count in it, so with several app processes it
# must be shared: CACHE_URL (any django-environ cache URL) or REDIS_URL (redis://host:6379/0).
# Local memory by default: per process, fine for development and tests. A shared cache is
# wrapped so that its outage degrades instead of failing requests (certification/cache_backend.py):
# each process then counts in its own memory, and the registry answers from the database.
_CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _CACHE_URL:
    _shared_cache = env.cache_url_config(_CACHE_URL)
    if _shared_cache["BACKEND"].endswith("RedisCache"):
        # A dead or stuck Redis must cost a request about a second, not the OS's minutes.
        _cache_timeout = env.float("CACHE_TIMEOUT", default=1.0)
        _shared_cache.setdefault("OPTIONS", {}).update(
            {"socket_connect_timeout": _cache_timeout, "socket_timeout": _cache_timeout}
        )
    CACHES = {
        "default": {
            "BACKEND": "certification.cache_backend.SharedCache",
            "OPTIONS": {"SHARED": _shared_cache},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# After the shared cache failed to answer, each process leaves it alone this long.
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=5.0)

# Seconds the public registry's answers (API verification and search, the registry page) are
# kept (certification/registry_cache.py): only with a shared cache, since every change must
# reach every process; 0 turns it off.
REGISTRY_CACHE_SECONDS = env.int("REGISTRY_CACHE_SECONDS", default=300 if _CACHE_URL else 0)

# Public JSON API (/api/v1/): requests per client address, as "count/period" with period
# s, m, h or d (e.g. "120/m", "1000/5m"); "off" disables it.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")
# The same for the public pages that read the registry (search, certificate pages,
# verification, downloads, badges), with a page in the visitor's language over the limit.
PUBLIC_RATE_LIMIT = env.str("PUBLIC_RATE_LIMIT", default="300/m")
# Proxies in front of the app that append to X-Forwarded-For; both limits count the address
# the outermost of them reports. 0: the client is REMOTE_ADDR. Production runs behind a TLS
# proxy (SECURE_PROXY_SSL_HEADER below), so it trusts one by default: with 0 there, every
# visitor would share the proxy's address and one counter. (API_TRUSTED_PROXIES: older name.)
TRUSTED_PROXIES = env.int(
    "TRUSTED_PROXIES", default=env.int("API_TRUSTED_PROXIES", default=1 if PRODUCTION else 0)
)

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_DOCUMENT_SIZE = env.int("MAX_DOCUMENT_SIZE", default=10 * 1024 * 1024)
MAX_APPLICATION_DOCUMENTS_SIZE = env.int("MAX_APPLICATION_DOCUMENTS_SIZE", default=50 * 1024 * 1024)
# The first handler drops a file over MAX_DOCUMENT_SIZE instead of spooling all of it to disk.
FILE_UPLOAD_HANDLERS = [
    "certification.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every response (Django's ContentSecurityPolicyMiddleware): only
# this site's own scripts, styles, images and fonts; nothing inline, except an element that
# carries the request's nonce (the stand-alone 500 page's style). No plug-ins, no framing, forms
# post only here. The badge (certification/views/badge.py) has a stricter one of its own.
# The map of offers (/rejestr/mapa/): a Leaflet tile URL template and its credit (HTML, shown
# on the map). Empty: no tiles, the map draws only its shipped layer (voivodeship outlines and
# powiat points), as it must on a machine without internet.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the small icons that the API docs' style sheet carries inline (an image cannot
    # run script).
    # and the tile server's host, when the map has one (config.map_tiles).
    "img-src": [CSP.SELF, "data:", *filter(None, [tile_source(MAP_TILE_URL)])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The language switch's cookie: no script reads it, and it goes with top-level navigation only.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------------------------------------
# Operations (issue 9 §2): request ids, logs, health, metrics, mail counting, timeouts.
# One block, read last, so it can wrap what the blocks above set. See docs/operations.md.
# ---------------------------------------------------------------------------------------------
import ipaddress  # noqa: E402

# First of all: it times every answer (redirects, 404s, errors) and gives it a request id.
MIDDLEWARE.insert(0, "ops.telemetry.RequestTelemetryMiddleware")

# Logs: one JSON object per line (time, level, logger, message, request_id, path, status,
# duration) for journald and a log collector, or plain text for a developer's console.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "ops.logs.RequestContext"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id", "path", "status", "duration"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # One line per request (the access log), whatever LOG_LEVEL says of the rest; off in
    # development, where runserver prints its own.
    "loggers": {
        "zakup.request": {
            "level": env.str("ACCESS_LOG_LEVEL", default="INFO" if PRODUCTION else "WARNING")
        }
    },
}

# Load balancers and Prometheus talk to the app servers over plain HTTP from inside: no
# redirect to HTTPS for them (the answer would be a 301, which a health check reads as down).
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
# Seconds /health/ready waits for its checks together before it answers 503.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=3)
# Jobs waiting (ready or due for a retry) past which /health/ready says the queue is behind.
HEALTH_QUEUE_BACKLOG_MAX = env.int("HEALTH_QUEUE_BACKLOG_MAX", default=500)

# Who may read /metrics: addresses or networks, as the trusted proxies report the client
# (TRUSTED_PROXIES). Everyone else gets 404.
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"])
for _entry in METRICS_ALLOWED_ADDRESSES:
    try:
        ipaddress.ip_network(_entry.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_ADDRESSES: {_entry!r} is not an address or network."
        ) from None

# Every mailer counts what it sent and failed to send (zakup_emails_*_total in /metrics).
MAILERS = {
    alias: {
        "BACKEND": "ops.mail.CountingEmailBackend",
        "OPTIONS": {"backend": config["BACKEND"], "options": config.get("OPTIONS", {})},
    }
    for alias, config in MAILERS.items()
}

# Bounded waits, so a dead dependency fails a request (and /health/ready) within seconds
# rather than holding a gunicorn worker until its timeout (deploy/zakup-web.service).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)
