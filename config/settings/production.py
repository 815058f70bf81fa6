"""Production: only hardening on top of base.

Requires DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, FIELD_ENCRYPTION_KEYS and
FIELD_HASH_KEY (docs/deploy.md), and refuses the placeholders of .envs/.production.example.
"""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Without REDIS_URL base falls back to an in-memory broker: tasks would vanish. Refuse to start instead.
REDIS_URL = env("REDIS_URL")

# Personal data (ID numbers, phones): base's keys are public, for the quick start and tests only.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env("FIELD_HASH_KEY")
try:
    if not FIELD_ENCRYPTION_KEYS:
        raise ValueError("no key given")
    for _key in FIELD_ENCRYPTION_KEYS:
        Fernet(_key)
except ValueError as exc:
    raise ImproperlyConfigured(
        f"FIELD_ENCRYPTION_KEYS: a comma-separated list of Fernet keys, newest first ({exc}); "
        "docs/deploy.md says how to make one"
    ) from exc
if len(FIELD_HASH_KEY) < 32:
    raise ImproperlyConfigured("FIELD_HASH_KEY: at least 32 random characters")
for _name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "FIELD_HASH_KEY", "FIELD_ENCRYPTION_KEYS"):
    if "CHANGE_ME" in env(_name):
        raise ImproperlyConfigured(f"{_name}: still the CHANGE_ME placeholder of .envs/.production.example")

# HTTPS: behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {"default": {"BACKEND": env("DJANGO_EMAIL_BACKEND", default=SMTP_BACKEND)}}
if MAILERS["default"]["BACKEND"] == SMTP_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "host": env("DJANGO_EMAIL_HOST", default="localhost"),
        "port": env.int("DJANGO_EMAIL_PORT", default=25),
        "username": env("DJANGO_EMAIL_HOST_USER", default=""),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("DJANGO_EMAIL_USE_TLS", default=False),
    }
