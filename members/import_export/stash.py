"""The uploaded file between preview and commit: encrypted in the cache, bound to its uploader.

Not in MEDIA_ROOT: the file holds full ID numbers, and media may be served.
"""

import base64
import secrets

from django.core.cache import cache

from config.personal_data import crypto

TIMEOUT_SECONDS = 30 * 60


def _key(user, token: str) -> str:
    return f"members-import:{user.pk}:{token}"


def stash(user, data: bytes) -> str:
    token = secrets.token_urlsafe(16)
    cache.set(_key(user, token), crypto.encrypt(base64.b64encode(data).decode()), TIMEOUT_SECONDS)
    return token


def load(user, token: str) -> bytes | None:
    stored = cache.get(_key(user, token))
    return None if stored is None else base64.b64decode(crypto.decrypt(stored))


def drop(user, token: str) -> None:
    cache.delete(_key(user, token))
