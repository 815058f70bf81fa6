"""Test settings: PostgreSQL by default (as in production), eager tasks unless a test asks for the broker."""

from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/partybuilding"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEBUG = False
# Tests run in zh-hans (Django's own strings and date formats are Chinese) but without the
# project's catalogue, so they assert the English source strings, which stay stable while the
# zh_Hans wording is refined. The catalogue itself is tested by tests/config/test_catalogue.py,
# and tests that check Chinese output use the `project_catalogue` fixture (tests/conftest.py).
LOCALE_PATHS = []
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-pages"},
    "private_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "private-pages",
    },
}
# The logged-in page cache (config/private_page_cache.py) off: the suite inspects each response's
# context and query count, which a replayed page has not. Its own tests and the out-of-scope URL
# gate turn it on (tests/perf/test_private_page_cache.py, tests/security/test_url_gate.py).
PRIVATE_PAGE_CACHE_SECONDS = 0
# As in production (there on Redis): sessions in the cache, so the security rules are tested on it.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# Tasks run in-process by default; tests marked `broker` talk to the real Redis.
TEST_REDIS_URL = env("TEST_REDIS_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/15"))
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
MEDIA_ROOT = BASE_DIR / ".pytest-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".pytest-private"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/private-media-is-not-served/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The broker tests run a Celery worker inside the pytest process (solo pool), which fires
# worker_process_init there too: the worker children's address-space cap would then cap the whole
# test process, and Chromium (launched later by the browser tests) cannot start under it. The cap
# itself is tested in a child process (tests/members/test_import_jobs.py).
CELERY_WORKER_MEMORY_LIMIT_MB = 0
