"""Moved to config.personal_data.masking; kept for existing imports."""

from config.personal_data.masking import mask_id_number, mask_phone

__all__ = ["mask_id_number", "mask_phone"]
