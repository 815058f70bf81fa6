"""Moved to config.personal_data.crypto (users and organizations encrypt phones too); kept for
existing imports."""

from config.personal_data.crypto import decrypt, encrypt, keyed_hash

__all__ = ["decrypt", "encrypt", "keyed_hash"]
