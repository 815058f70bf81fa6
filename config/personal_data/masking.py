from config.personal_data.phones import normalize_phone


def mask_id_number(value: str | None) -> str:
    """3301**********123X: the first four and last four characters stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    """138****5678 (of the normalised number: "0573-85123456" → 057*****3456)."""
    value = normalize_phone(value)
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
