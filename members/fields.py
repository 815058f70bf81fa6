"""Moved to config.personal_data.fields; kept because migrations name members.fields.EncryptedTextField."""

from config.personal_data.fields import EncryptedTextField, KeyedHashField

__all__ = ["EncryptedTextField", "KeyedHashField"]
