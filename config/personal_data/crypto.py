"""Personal data at rest: Fernet encryption and keyed hashes, under keys separate from SECRET_KEY.

FIELD_ENCRYPTION_KEYS: Fernet keys (newest first; older ones still decrypt, for rotation).
FIELD_HASH_KEY: the HMAC key for exact lookups and uniqueness of encrypted values.
The primitives are `cryptography`'s (Fernet = AES-128-CBC + HMAC-SHA256); this module
only wires them to Django settings.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 hex of a normalised value: equal inputs give equal hashes, nothing else leaks."""
    return hmac.new(settings.FIELD_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
