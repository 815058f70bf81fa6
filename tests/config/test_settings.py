"""Settings read from the environment: the embedded default with nothing set, the real engines with URLs.

Each case imports the settings in a fresh interpreter with a clean environment,
as `make run` or the production container would.
"""

import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

PROBE = """
import json
from django.conf import settings as s
from django.core import mail
mailer = mail.mailers.default
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "db_name": str(s.DATABASES["default"]["NAME"]),
    "atomic_requests": s.DATABASES["default"]["ATOMIC_REQUESTS"],
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "result_backend": s.CELERY_RESULT_BACKEND,
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION", ""),
    "email": s.MAILERS["default"]["BACKEND"],
    "mailer": f"{type(mailer).__module__}.{type(mailer).__name__}",
    "mailer_host": [getattr(mailer, "host", None), getattr(mailer, "port", None)],
    "language": s.LANGUAGE_CODE,
    "time_zone": s.TIME_ZONE,
    "use_tz": s.USE_TZ,
    "debug": s.DEBUG,
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "hsts_seconds": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "session_cookie_age": s.SESSION_COOKIE_AGE,
    "session_save_every_request": s.SESSION_SAVE_EVERY_REQUEST,
    "axes": [s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_LOCKOUT_PARAMETERS],
    "csp_script_src": [str(v) for v in s.SECURE_CSP["script-src"]],
}))
"""

DEPRECATIONS_ARE_ERRORS = ["-W", "error::DeprecationWarning", "-W", "error::PendingDeprecationWarning"]
POSTGRES_URL = "postgres://platform:secret@db.internal:5432/partybuilding"
REDIS_URL = "redis://cache.internal:6379/0"


@pytest.fixture(autouse=True)
def _no_dotenv():
    if (settings.BASE_DIR / ".env").exists():
        pytest.skip("a local .env file feeds the settings; these cases need a clean environment")


def _settings(module: str, **env: str) -> dict:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": module,
        **env,
    }
    # Deprecations are errors here: a deprecated setting (EMAIL_BACKEND, Django 6.1) fails the probe.
    result = subprocess.run(
        [sys.executable, *DEPRECATIONS_ARE_ERRORS, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_local_with_nothing_set_is_the_embedded_default():
    s = _settings("config.settings.local")

    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["db_name"].endswith("db.sqlite3")
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["mailer"] == "django.core.mail.backends.console.EmailBackend"
    assert s["language"] == "zh-hans"
    assert s["time_zone"] == "Asia/Shanghai"
    assert s["use_tz"] is True
    assert s["debug"] is True
    assert s["atomic_requests"] is False


def test_settings_local_with_database_and_redis_urls_uses_the_real_engines():
    s = _settings("config.settings.local", DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL)

    assert s["engine"] == "django.db.backends.postgresql"
    assert s["db_name"] == "partybuilding"
    assert s["eager"] is False
    assert s["broker"] == REDIS_URL
    assert s["result_backend"] == REDIS_URL
    assert s["cache"] == "config.cache.RedisCache"
    assert s["cache_location"] == REDIS_URL
    assert s["atomic_requests"] is False


def test_settings_local_database_url_alone_keeps_eager_tasks_and_local_cache():
    s = _settings("config.settings.local", DATABASE_URL=POSTGRES_URL)

    assert s["engine"] == "django.db.backends.postgresql"
    assert s["eager"] is True
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_settings_security_defaults_hold_in_every_environment():
    s = _settings("config.settings.local")

    assert s["session_cookie_age"] == 30 * 60
    assert s["session_save_every_request"] is True
    assert s["axes"] == [5, 30 * 60, [["username", "ip_address"]]]
    assert "'unsafe-inline'" not in s["csp_script_src"]


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "dangjian.example.cn",
    "DATABASE_URL": POSTGRES_URL,
    "REDIS_URL": REDIS_URL,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "FIELD_HASH_KEY": "another-long-random-key-for-keyed-hashes-0123456789",
}


def test_settings_production_hardens_cookies_and_transport():
    s = _settings("config.settings.production", **PRODUCTION_ENV)

    assert s["debug"] is False
    assert s["session_cookie_secure"] is True
    assert s["csrf_cookie_secure"] is True
    assert s["hsts_seconds"] > 0
    assert s["ssl_redirect"] is True
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["eager"] is False
    assert s["broker"] == REDIS_URL
    assert s["cache"] == "config.cache.RedisCache"
    assert s["mailer"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["mailer_host"] == ["localhost", 25]


def test_settings_production_smtp_server_from_the_environment():
    s = _settings(
        "config.settings.production",
        **PRODUCTION_ENV,
        DJANGO_EMAIL_HOST="smtp.internal",
        DJANGO_EMAIL_PORT="587",
    )

    assert s["mailer_host"] == ["smtp.internal", 587]


def test_settings_production_other_email_backend_takes_no_smtp_options():
    s = _settings(
        "config.settings.production",
        **PRODUCTION_ENV,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )

    assert s["mailer"] == "django.core.mail.backends.console.EmailBackend"


def test_settings_test_module_sends_mail_to_memory():
    s = _settings("config.settings.test")

    assert s["mailer"] == "django.core.mail.backends.locmem.EmailBackend"


def test_settings_local_cookies_not_marked_secure():
    s = _settings("config.settings.local")

    assert s["session_cookie_secure"] is False
    assert s["hsts_seconds"] == 0


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_settings_production_refuses_to_start_without_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert missing in result.stderr
