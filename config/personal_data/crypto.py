"""Personal data at rest: Fernet encryption and keyed hashes, under keys separate from SECRET_KEY.

FIELD_ENCRYPTION_KEYS: Fernet keys (newest first; older ones still decrypt, for rotation).
FIELD_HASH_KEY: the HMAC key for exact lookups and uniqueness of encrypted values.
The primitives are `cryptography`'s (Fernet = AES-128-CBC + HMAC-SHA256); this module
only wires them to Django settings. `encrypt_many` writes the same tokens for many values at once
(the registry import's commit).
"""

import base64
import binascii
import hashlib
import hmac
import os
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_BLOCK = 16  # AES's block size in bytes
_FERNET_VERSION = b"\x80"
_URLSAFE = bytes.maketrans(b"+/", b"-_")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


@lru_cache(maxsize=4)
def _key_parts(key: str | bytes) -> tuple[bytes, algorithms.AES]:
    """(signing key, AES under the encryption key) of one Fernet key, split as Fernet splits it."""
    Fernet(key)  # the same validation (32 url-safe base64 bytes), the same error
    raw = base64.urlsafe_b64decode(key)
    return raw[:_BLOCK], algorithms.AES(raw[_BLOCK:])


def encrypt_many(values: Sequence[str]) -> list[str]:
    """`[encrypt(v) for v in values]`, the same Fernet tokens made for many values at once.

    Each token is Fernet's (version, time, a fresh random IV from os.urandom, AES-128-CBC of the
    PKCS7-padded value under the newest key, HMAC-SHA256 under its signing key, url-safe base64),
    and `decrypt` reads it. What is shared: the key and the time are read once, and CBC runs over
    all values together, block position by block position: block k of each value is
    AES(P_k XOR C_(k-1)) with C_0 its IV, which is CBC; one AES call per position encrypts that
    block of every value (a phone is one block, so one call for the batch) instead of one cipher
    object per value. Tested equal, byte for byte, to Fernet's own tokens for the same IVs and time.
    """
    count = len(values)
    if count == 0:
        return []
    signing_key, aes = _key_parts(settings.FIELD_ENCRYPTION_KEYS[0])
    header = _FERNET_VERSION + int(time.time()).to_bytes(length=8, byteorder="big")
    padded = []
    for value in values:
        data = value.encode()
        pad = _BLOCK - len(data) % _BLOCK
        padded.append(data + bytes((pad,)) * pad)
    random = os.urandom(_BLOCK * count)
    ivs = [random[i : i + _BLOCK] for i in range(0, _BLOCK * count, _BLOCK)]
    previous = [int.from_bytes(iv) for iv in ivs]  # C_(k-1) of each value, as an integer
    ciphertexts = [bytearray() for _ in range(count)]
    longest = max(map(len, padded))
    for start in range(0, longest, _BLOCK):
        rows = [i for i in range(count) if len(padded[i]) > start] if start else range(count)
        chained = b"".join(
            (int.from_bytes(padded[i][start : start + _BLOCK]) ^ previous[i]).to_bytes(_BLOCK) for i in rows
        )
        # One block per value, each already XOR-ed with its chain value: AES of each block alone
        # is CBC's step (the chaining is the XOR above, not the mode).
        encryptor = Cipher(aes, modes.ECB()).encryptor()  # noqa: S305  (CBC, chained by hand above)
        blocks = encryptor.update(chained) + encryptor.finalize()
        for position, i in enumerate(rows):
            block = blocks[position * _BLOCK : (position + 1) * _BLOCK]
            ciphertexts[i] += block
            previous[i] = int.from_bytes(block)
    tokens = []
    signer = hmac.new(signing_key, digestmod=hashlib.sha256)  # keyed once, copied per token
    encode, urlsafe = binascii.b2a_base64, _URLSAFE  # urlsafe_b64encode without its wrappers
    for iv, ciphertext in zip(ivs, ciphertexts, strict=True):
        parts = header + iv + ciphertext
        mac = signer.copy()
        mac.update(parts)
        tokens.append(encode(parts + mac.digest(), newline=False).translate(urlsafe).decode())
    return tokens


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 hex of a normalised value: equal inputs give equal hashes, nothing else leaks."""
    return hmac.new(settings.FIELD_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def keyed_hashes(values: Iterable[str]) -> list[str]:
    """`[keyed_hash(v) for v in values]`, the key set up once and the HMAC state copied per value
    (bulk writers: a third less CPU than an HMAC object a value)."""
    keyed = hmac.new(settings.FIELD_HASH_KEY.encode(), digestmod=hashlib.sha256)
    hashes = []
    for value in values:
        mac = keyed.copy()
        mac.update(value.encode())
        hashes.append(mac.hexdigest())
    return hashes
