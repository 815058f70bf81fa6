"""Moved to config.personal_data.phones; kept for existing imports."""

from config.personal_data.phones import clean_phone, normalize_phone, phone_hash, validate_phone

__all__ = ["clean_phone", "normalize_phone", "phone_hash", "validate_phone"]
