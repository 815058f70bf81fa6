"""Settings shared by every environment; read from the environment via django-environ.

With nothing set the platform runs on an SQLite file with eager Celery tasks, a
local-memory cache and console e-mail. `DATABASE_URL` and `REDIS_URL` switch to
PostgreSQL, Celery on Redis and a Redis cache.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me-0123456789")
# The site's own name where a stable identifier needs one (iCalendar UIDs), whatever Host a
# request used.
SITE_DOMAIN = env("SITE_DOMAIN", default="dangjian.example.cn")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
SITE_NAME = _("Social Organization Party Building Platform")
FEDERATION_NAME = env("FEDERATION_NAME", default="社会组织综合党委")

# DATABASES
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def sqlite_options(options: dict | None = None) -> dict:
    """SQLite made safe for a few concurrent users (the quick start; Django ≥ 5.1 options).

    Every request writes its session row; with SQLite's default deferred transactions a writer
    that read first cannot upgrade its lock under contention and fails at once ("database is
    locked"). IMMEDIATE transactions take the write lock up front and wait for it (`timeout`
    seconds, SQLite's busy handler); WAL lets readers go on while one writer writes.
    """
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **(options or {}),
    }


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = sqlite_options(DATABASES["default"].get("OPTIONS"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # events' exclusion constraint on PostgreSQL (inert on SQLite)
    "config.apps.PlatformAdminConfig",
]
THIRD_PARTY_APPS = [
    "mptt",
    "rest_framework",
    "knox",  # hashed, expiring API tokens (accounts.api.tokens)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.apps.AxesConfig",  # django-axes, with a verbose name
    "auditlog",
    "django_otp",  # two-factor login (accounts.two_factor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
]
LOCAL_APPS = [
    "accounts",
    "orgs",
    "branches",
    "members",
    "news",
    "events",
    "alliances",
    "reminders",
    "stats",
    "dues",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "public:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.UsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.password_validation.CharacterClassValidator",
        "OPTIONS": {"min_classes": 3},
    },
]

# django-axes: lock (username + IP) after 5 failures for 30 minutes; offices share one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Renders templates/accounts/locked_out.html (429) with the lock length taken from AXES_COOLOFF_TIME.
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
# The client's address for axes, the change log, the reveal log and the rate limits: one helper,
# reading X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies (django-ipware is not installed).
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_VERBOSE = False

# TRUSTED PROXIES: how many reverse proxies (nginx: 1) stand between the clients and Django. Their
# X-Forwarded-For entries are trusted, anything further left is the client's own (forgeable) claim.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))

# RATE LIMITS (accounts.ratelimit, django-ratelimit): counted in the default cache (Redis in
# production). "N/Mm": N in M minutes. Login failures are counted whatever form they come from.
RATE_LIMITS = {
    "login_address": env("RATE_LIMIT_LOGIN_ADDRESS", default="30/15m"),  # failed logins per address
    "login_account": env("RATE_LIMIT_LOGIN_ACCOUNT", default="10/15m"),  # failed logins per account
    "api_token": env("RATE_LIMIT_API_TOKEN", default="20/m"),  # token requests per address
    # public QR sign-in: per client address, and per (event, phone) against code guessing
    "signin_address": env("RATE_LIMIT_SIGNIN_ADDRESS", default="60/10m"),
    "signin_phone": env("RATE_LIMIT_SIGNIN_PHONE", default="5/10m"),
    # exact-match lookups of a member by ID number or phone, per user (each one is also logged)
    "member_lookup": env("RATE_LIMIT_MEMBER_LOOKUP", default="30/h"),
    # registering or renumbering a member by someone who may not reveal: "already registered" would
    # otherwise confirm guessed ID numbers district-wide, so the attempts are counted per user
    "member_id_check": env("RATE_LIMIT_MEMBER_ID_CHECK", default="300/h"),
    # volunteer lookups by exact phone when adding one to an event, per user
    "volunteer_lookup": env("RATE_LIMIT_VOLUNTEER_LOOKUP", default="60/h"),
    "otp_failures": env("RATE_LIMIT_OTP_FAILURES", default="5/15m"),  # wrong second-factor codes per user
}
RATELIMIT_IP_META_KEY = "accounts.client_address.client_address"  # the one address helper
# django_ratelimit is used as a library, not an installed app: its system check refuses the
# quick start's local-memory cache and warns on Django's own Redis cache (whose INCR is atomic).

# TWO-FACTOR LOGIN (django-otp; accounts.two_factor): TOTP for superusers and staff, optional for others.
OTP_TOTP_ISSUER = FEDERATION_NAME  # the name the authenticator app shows
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key

# SESSIONS: expire after 30 idle minutes, and SESSION_ABSOLUTE_AGE after the login however active
# (accounts.middleware.SessionSecurityMiddleware).
SESSION_COOKIE_AGE = 30 * 60
# With Redis, sessions live in the cache (no database read and write on every request): the idle
# timeout is the key's expiry (renewed by SESSION_SAVE_EVERY_REQUEST), logout deletes the key, and a
# password change ends every other session through the session's auth hash. Signed cookies were not
# chosen: a stolen cookie would stay valid after logout until it expires. Without Redis (the
# quick start) they stay in the database, shared by every process.
SESSION_ENGINE = env(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cache"
    if env("REDIS_URL", default="")
    else "django.contrib.sessions.backends.db",
)
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_HOURS", default=10) * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML, JSON and XML gzipped (static files: WhiteNoise above serves them precompressed and
    # never reaches this). BREACH: Django's GZipMiddleware pads each response's gzip header with
    # random bytes, and CSRF tokens are masked per response, so secrets cannot be guessed from sizes.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionSecurityMiddleware",  # absolute session lifetime; no-store when logged in
    "accounts.two_factor.middleware.OTPRequiredMiddleware",  # staff: nothing but the code until it is given
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.ratelimit.RateLimitMiddleware",  # 429 page for a rate-limited page view (the API: DRF)
    "accounts.audit.AuditContextMiddleware",  # auditlog's, with the trusted address and the API's actor
    "axes.middleware.AxesMiddleware",  # last of the security ones, per the axes docs
    # Logged-in pages replayed while nothing changed: after every check above (config/private_page_cache.py).
    "config.private_page_cache.PrivatePageCacheMiddleware",
]

# CONTENT SECURITY POLICY (Django 6 built-in): no inline scripts, nothing off-site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# UPLOADED IMAGES (orgs.images.clean_uploaded_image): checked by content, capped, re-encoded.
UPLOAD_IMAGE_MAX_BYTES = env.int("UPLOAD_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=40_000_000)
UPLOAD_IMAGE_FORMATS = ["JPEG", "PNG", "WEBP"]
ORG_LOGO_MAX_SIDE = 512  # px, longer side of an organization's logo after re-encoding
NEWS_COVER_MAX_SIDE = 1600  # px, longer side of a news article's cover after re-encoding

# STATIC / MEDIA
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files that hold personal data (the uploaded registry workbooks, full of phones) go to a private
# storage outside MEDIA_ROOT: no web server serves it; staff get a file through an authorised view.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/private-media-is-not-served/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# TEMPLATES
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
                "accounts.context_processors.platform",
            ],
            # {% when %} and |when: the one date format of every page (config/dates.py).
            "builtins": ["config.dates"],
            # {% result_list %} for every changelist, Django's rows for less CPU (config/admin_list.py).
            "libraries": {"platform_admin_list": "config.admin_list"},
        },
    },
]

# CACHES
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pb",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous public pages, whole, per language (config/page_cache.py): kept in each process's memory
# (no network round trip to serve one), under a generation kept in the shared cache and bumped by
# any write; PUBLIC_PAGE_CACHE_SECONDS bounds how long a write nothing could see stays unseen.
PUBLIC_PAGE_CACHE_ALIAS = "public_pages"
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages",
    "TIMEOUT": PUBLIC_PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 1000},  # pages and their header lists; ~50 MB at most per process
}
# Logged-in pages (portal, API, admin changelists), per session, in each process's memory only
# (config/private_page_cache.py): replayed while neither data generation moved; 0 turns it off.
PRIVATE_PAGE_CACHE_ALIAS = "private_pages"
PRIVATE_PAGE_CACHE_SECONDS = env.int("PRIVATE_PAGE_CACHE_SECONDS", default=120)
PRIVATE_PAGE_CACHE_MAX_BYTES = 256 * 1024
CACHES["private_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "private-pages",
    "TIMEOUT": PRIVATE_PAGE_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": 300},  # at most 256 KB a page: under 80 MB per process
}

# E-MAIL: Django 6.1's MAILERS (the EMAIL_BACKEND/EMAIL_HOST settings are deprecated); senders use
# `mail.mailers.default`. The quick start prints mail to the console; production.py sends by SMTP.
MAILERS = {
    "default": {
        "BACKEND": env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"),
    },
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@dangjian.local")

# CELERY: Redis broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Memory cap of each worker child (imports parse uploaded workbooks there, never in the web process):
# an address-space limit set when the child starts, so a runaway parse ends in MemoryError (the job
# shows "failed") instead of swapping the host; and a child past the resident limit after a task is
# replaced, so memory a big import took is returned. 0 turns either off.
CELERY_WORKER_MEMORY_LIMIT_MB = env.int("CELERY_WORKER_MEMORY_LIMIT_MB", default=1536)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = (
    env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_MB", default=600) * 1024
)  # KiB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# DJANGO REST FRAMEWORK
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token-first: with an Authorization header the session (and its CSRF check) stands aside.
        "accounts.api.authentication.SessionAuthentication",
        "accounts.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.paginator.CappedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A service's ValidationError → 400 naming each field (config/api/errors.py).
    "EXCEPTION_HANDLER": "config.api.errors.service_exception_handler",
}
# API TOKENS (django-rest-knox): only a hash is stored; each expires; logout and a password change revoke.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=10)),
    "TOKEN_LIMIT_PER_USER": None,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "社会组织党建工作平台 API",
    "DESCRIPTION": "Scoped API of the social-organization Party-building platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.complete_operations",  # summary, description, error responses everywhere
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the public validator: off-site requests break offline and under SECURE_CSP.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Choices of the same field name in several models: name each API enum after its model
    # (otherwise a hashed name and a drf_spectacular.W001 warning that fails `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "orgs.models.region.Region.Kind",
        "OrganizationKindEnum": "orgs.models.organization.Organization.Kind",
        "PartyOrganizationKindEnum": "branches.models.PartyOrganization.Kind",
        "OrganizationStatusEnum": "orgs.models.organization.Organization.Status",
        "PartyOrganizationStatusEnum": "branches.models.PartyOrganization.Status",
        "MemberStatusEnum": "members.models.Member.Status",
        "EventKindEnum": "events.models.events.Event.Kind",
        "EventStatusEnum": "events.models.events.Event.Status",
        "BookingStatusEnum": "events.models.venues.Booking.Status",
        "AllianceKindEnum": "alliances.models.alliance.AllianceKind",
        "VentureRoundKindEnum": "alliances.models.rounds.VentureRound.Kind",
        "VentureRoundStatusEnum": "alliances.models.rounds.VentureRound.Status",
        "VentureApplicationStatusEnum": "alliances.models.applications.VentureApplication.Status",
        "MemberStageEnum": "members.models.Member.Stage",
        "OrganizationStatusChangeKindEnum": "orgs.models.status_history.OrganizationStatusChange.Kind",
        "ExternalKeyKindEnum": "orgs.models.external_keys.ExternalKey.Kind",
        "RecruitmentRecordKindEnum": "members.models.RecruitmentRecord.Kind",
        "DuesEntryKindEnum": "dues.models.DuesEntry.Kind",
        "PointEntryKindEnum": "events.models.points.PointEntry.Kind",
        "AffiliationKindEnum": "members.models_affiliations.AffiliationRecord.Kind",
    },
}

# AUDIT (django-auditlog): every change to a registered model row, with the actor.
AUDITLOG_INCLUDE_ALL_MODELS = False

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"verbose": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "verbose"}},
    "root": {"level": env("DJANGO_LOG_LEVEL", default="INFO"), "handlers": ["console"]},
}

# PLATFORM RULES (DOMAIN.md; each a setting, not a literal in code)
REGION_CODE_LENGTHS = {"district": 6, "street": 9, "community": 12}
# Annual inspection of year Y: report to the supervisor by (month, day) of Y+1, file with the
# registry by (month, day) of Y+1; orgs registered in the last N months of Y skip year Y.
ANNUAL_INSPECTION_SUPERVISOR_DEADLINE = (3, 31)
ANNUAL_INSPECTION_REGISTRY_DEADLINE = (5, 31)
ANNUAL_INSPECTION_SKIP_MONTHS = 6
# A grade (1A–5A) is valid from 1 January after its announcement for this many calendar years.
GRADE_VALID_YEARS = 5

# PERSONAL DATA: Fernet keys (newest first) and the HMAC key, separate from SECRET_KEY.
# The defaults are for the quick start and tests only; production.py requires real ones.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["AaNzS1nX6fC5otD0u3xdFe3lmVVB7pkfHJJq90Q7Vkk="]
)
FIELD_HASH_KEY = env("FIELD_HASH_KEY", default="insecure-local-hash-key-change-me")

# PARTY ORGANIZATIONS (DOMAIN.md): term length by kind, in years.
PARTY_TERM_YEARS = {
    "comprehensive_committee": 5,
    "committee": 5,
    "general_branch": 3,
    "branch": 3,
    "joint_branch": 3,
    "temporary_branch": 3,
}

# PARTY ORGANIZATIONS: rule-warning thresholds (branches.rules; warnings, never blocks).
BRANCH_MIN_FULL_MEMBERS = 3  # a branch needs at least this many full members
COMMITTEE_MIN_FULL_MEMBERS = 7  # from this many full members a branch elects a committee
GENERAL_BRANCH_MIN_MEMBERS = 50  # from this many members it could become a general branch
COMMITTEE_MIN_MEMBERS = 100  # from this many members it could become a base committee
JOINT_BRANCH_MAX_ORGS = 5  # a joint branch generally covers at most this many organizations
SHOULD_BUILD_MIN_FULL_MEMBERS = 3  # an org employing this many full members should build its own

# MEMBERS (DOMAIN.md, 发展党员工作细则 2014 and 党员教育管理工作条例 2019; members.services.stages).
MIN_APPLICANT_AGE = 18  # years, on the day of the application
ACTIVIST_MIN_CONTACTS = 1  # cultivation contacts (培养联系人) named for an activist
ACTIVIST_MAX_CONTACTS = 2
ACTIVIST_MIN_MONTHS = 12  # cultivation as an activist before becoming a candidate
CANDIDATE_MIN_INTRODUCERS = 2  # full members introducing a candidate (入党介绍人)
CANDIDATE_MIN_TRAINING_HOURS = 24  # collective training: this many class hours …
CANDIDATE_MIN_TRAINING_DAYS = 3  # … or this many days
PROBATION_MONTHS = 12  # probation from the admission vote
APPLICATION_TALK_MONTHS = 1  # the branch talks with an applicant within this many months (谈话)
ACTIVIST_REVIEW_MONTHS = 6  # an activist is reviewed (考察) at least this often
ADMISSION_APPROVAL_MONTHS = 3  # the superior committee approves an admission within this many months
PROBATION_EXTENSION_MONTHS = (6, 12)  # an extension (once) lasts between these months
OUT_OF_CONTACT_SUSPEND_MONTHS = 6  # out of contact this long → membership suspended (停止党籍)
# Import jobs (config.imports.jobs), here the registry's (orgs.services.registry_import): a running
# job with no sign of life (a progress heartbeat, a row update or a held row lock) for this long is
# marked failed by the beat check, so staff can retry it; a job redelivered more than this many
# times (its worker keeps dying) fails.
REGISTRY_IMPORT_STALE_SECONDS = env.int("REGISTRY_IMPORT_STALE_SECONDS", default=10 * 60)
REGISTRY_IMPORT_MAX_ATTEMPTS = 3
# Decompression bombs (orgs.registry_io.archive): checked before an uploaded .xlsx is parsed. A real
# 100,000-row registry file unpacks to ~10x its size; a crafted one to 1,000x or more.
XLSX_MAX_COMPRESSION_RATIO = 100
XLSX_MAX_TEXT_RUN_BYTES = 256 * 1024  # a cell holds at most 32,767 characters (Excel's own limit)
REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MEMBER_IMPORT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
# Uploaded registry workbooks are deleted when their job ends (imported or refused); a failed or
# abandoned job's file is kept this long for a retry, then removed by the daily cleanup (beat).
REGISTRY_IMPORT_FILE_RETENTION_DAYS = env.int("REGISTRY_IMPORT_FILE_RETENTION_DAYS", default=7)
TRANSFER_LETTER_NUMBER_FORMAT = "{district_code}〔{year}〕{serial:04d}号"  # by district and year, no gaps
TRANSFER_LETTER_VALID_DAYS = 30  # an introduction letter is valid this many days (printed on it)
MEMBER_IMPORT_MAX_ROWS = 5000  # one district's members per file at most
MEMBER_IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Member import jobs (members.services.import_jobs), on the registry's pattern: the check and the
# commit run in the worker; a job with no sign of life this long is failed by beat; a job redelivered
# more than this many times fails; a failed job's workbook is kept this long for a retry.
MEMBER_IMPORT_STALE_SECONDS = env.int("MEMBER_IMPORT_STALE_SECONDS", default=10 * 60)
MEMBER_IMPORT_MAX_ATTEMPTS = 3
MEMBER_IMPORT_FILE_RETENTION_DAYS = env.int("MEMBER_IMPORT_FILE_RETENTION_DAYS", default=7)
# Party import jobs (branches.party_import.jobs), the same job mechanism (config.imports.jobs).
PARTY_IMPORT_STALE_SECONDS = env.int("PARTY_IMPORT_STALE_SECONDS", default=10 * 60)
PARTY_IMPORT_MAX_ATTEMPTS = 3
PARTY_IMPORT_FILE_RETENTION_DAYS = env.int("PARTY_IMPORT_FILE_RETENTION_DAYS", default=7)

# COVERAGE (stats.coverage; SHOULD_BUILD_MIN_FULL_MEMBERS above is the should-build threshold).
LARGE_ORG_MIN_STAFF = 30  # the "large" figures: organizations with at least this many staff

# ALLIANCES (alliances/): defaults of each new venture round's rules (DOMAIN.md, Binhu) and scores.
VENTURE_MAX_PROJECTS_PER_ORG = 3  # projects one organization may propose per round
VENTURE_MAX_STAFF_COST_SHARE = Decimal("0.5")  # staff pay ≤ this share of a project's budget
VENTURE_EVALUATION_MAX_SCORE = 100  # a project's final evaluation is scored out of this

# EVENTS (events/, read through events.conf.events_setting).
EVENTS = {
    # 三会一课, theme days, life meetings (DOMAIN.md; 支部工作条例 ch. 4-5): the period each kind must be
    # held in, and which party organizations owe it: "all", "has_committee" (PartyOrganization.has_committee)
    # or "has_groups" (a branch with Party groups; set "all" to require group meetings everywhere).
    "MEETING_REQUIREMENTS": {
        "general_meeting": {"period": "quarter", "applies": "all"},
        "committee_meeting": {"period": "month", "applies": "has_committee"},
        "group_meeting": {"period": "month", "applies": "has_groups"},
        "party_lecture": {"period": "quarter", "applies": "all"},
        "theme_day": {"period": "month", "applies": "all"},
        "life_meeting": {"period": "year", "applies": "all"},
        "democratic_appraisal": {"period": "year", "applies": "all"},
    },
    "COMPLIANCE_PO_KINDS": ["branch", "joint_branch"],  # party organizations whose meetings are checked
    "QUORUM_KINDS": ["general_meeting"],  # more than half of the voting (full, active) members present
    "PHOTO_MAX_SIDE": 1600,  # px, longer side of an event photo (its bytes: UPLOAD_IMAGE_MAX_BYTES)
    "PHOTO_THUMB_SIDE": 320,  # px, thumbnails
    "PHOTOS_PER_EVENT": 30,
    "SIGNIN_OPENS_BEFORE_MINUTES": 60,  # QR sign-in accepted from this long before the start …
    "SIGNIN_CLOSES_AFTER_MINUTES": 120,  # … until this long after the end
    "VOLUNTEER_KINDS": ["volunteer_service", "public_welfare"],  # kinds whose hours earn points
    "POINTS_PER_HOUR": 10,  # volunteer service bank: points credited per confirmed hour
    "MAX_HOURS_PER_EVENT": 12,  # hours credited to one person for one event at most
    "BOOKING_MAX_HOURS": 12,  # one room booking lasts at most this long
    "BOOKING_MAX_DAYS_AHEAD": 90,  # and starts at most this many days ahead
    "PUBLIC_UPCOMING_LIMIT": 5,  # upcoming public events on the home page
    "SIGNUP_PER_ADDRESS": 10,  # public sign-up attempts per client address …
    "SIGNUP_WINDOW_SECONDS": 600,  # … within this window (a cache counter)
}

# PARTY DUES (DOMAIN.md, the 2008 rules; dues/, read through dues.conf.dues_setting).
# Bands: (upper bound in yuan, inclusive; None = no bound, rate) applied to the whole monthly base; the
# amount is rounded to the fen half up (dues.rules.amount_due).
DUES = {
    "INCOME_BANDS": [
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ],
    "RETIRED_BANDS": [(Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01"))],
    "FIXED_AMOUNTS": {"student": Decimal("0.20"), "relief": Decimal("0.20")},  # yuan a month
    "ARREARS_REMIND_MONTHS": 3,  # months owed: the secretary is reminded
    "ARREARS_FLAG_MONTHS": 6,  # consecutive months owed: flagged for the committee (never automatic)
    "NO_DUES_PO_KINDS": ["temporary_branch"],  # 临时党支部 collect no dues (DOMAIN.md)
    "IMPORT_MAX_ROWS": 2000,  # bulk payment workbook: rows …
    "IMPORT_MAX_BYTES": 2 * 1024 * 1024,  # … and bytes at most (the import runs in the request)
}

# REMINDERS (reminders/, read through reminders.conf.reminders_setting). Jobs run daily on
# Celery beat (config/celery_app.py); each reminder is issued once per (kind, object, period, stage).
REMINDERS = {
    "INSPECTION_NOTICE_DAYS": 30,  # "due" from this many days before each annual-inspection deadline
    "PROBATION_NOTICE_DAYS": 30,  # "due" from this many days before a probation ends …
    "PROBATION_OVERDUE_DAYS": 90,  # … "overdue" after it, escalated when still not converted this long after
    "ELECTION_NOTICE_DAYS": 90,  # "due" from this many days before a term ends
    "GRADE_NOTICE_DAYS": 90,  # "due" when an evaluation grade expires within this many days
    "NO_SECRETARY_OVERDUE_DAYS": 60,  # without a secretary this long: "overdue", escalated to staff
    "CONTACT_NOTICE_DAYS": 30,  # "due" this many days before a flowing member's contact lapses
    "BATCH_SIZE": 500,  # reminders written and delivered per transaction
    "EMAIL": env.bool("REMINDERS_EMAIL", default=True),  # e-mail copies to users with an address
    "LINK_BASE": env("REMINDERS_LINK_BASE", default=""),  # e.g. https://dangjian.example.gov.cn
}

# STATS (stats/): the coverage engine's lists, snapshots, the dashboard and on-demand refreshes.
STATS = {
    "LIST_LIMIT": 100,  # organizations without org coverage listed with the figures (all are counted)
    "UPCOMING_DAYS": 30,  # staff dashboard: obligations due within this many days
    "TREND_SNAPSHOTS": 13,  # snapshots in the dashboard's trend chart (a year of month-ends and today)
    "BACKFILL_MONTHS": 12,  # month-end snapshots `make run` and the staff action fill by default
    # A refresh still queued or running after this long is taken to have died (worker killed):
    # it is shown as failed and a new one may start.
    "REFRESH_STALE_MINUTES": 10,
}
