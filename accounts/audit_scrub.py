"""Phones and ID numbers in change-log entries written before the log hid them: scrubbed in place.

New entries hide personal data when they are written: a user's phone is logged as "********"
(accounts/audit.py), an organization's contact phone masked as 138****5678 (orgs/audit.py), a
member's ID number and phone not at all (members/audit.py), and no lookup hash ever. Entries written
before that may hold them in clear in `changes` (and auditlog's legacy `changes_text`, and
`serialized_data` where a model serialised its rows). `scrub_change_log` rewrites each such value as
a new entry would show it and drops the lookup hashes:

- users' and members' phones and members' ID numbers → "********" (that it changed, nothing of it);
- organizations' and volunteers' phones → masked (138****5678); a value already masked (holding
  "*") is kept, so is "None" (auditlog's empty value);
- `*_hash` keys → removed (a keyed hash lets whoever holds the key confirm a guess).

It works in batches by primary key and is idempotent: a second run changes nothing. It takes the
model classes, so the data migration (accounts 0006) passes its historical models and the
`scrub_change_log` command the real ones.
"""

import json
from collections.abc import Callable
from typing import Any

from cryptography.fernet import InvalidToken

from config.personal_data import crypto
from config.personal_data.masking import mask_phone

BATCH = 1000
HIDDEN = "********"  # accounts.audit.HIDDEN (not imported: that module registers models with auditlog)
DROP = None
EMPTY = {"", "None", HIDDEN}


def _clear(value: str) -> str:
    """A Fernet token (a value logged encrypted) read back, so it is masked like the rest."""
    try:
        return crypto.decrypt(value)
    except (InvalidToken, ValueError, TypeError):
        return value


def hide(value: Any) -> Any:
    if not isinstance(value, str) or value in EMPTY:
        return value
    return HIDDEN


def mask(value: Any) -> Any:
    if not isinstance(value, str) or value in EMPTY or "*" in value:
        return value
    return mask_phone(_clear(value))


# (app_label, model) → {field: how its logged values are rewritten, or DROP}
RULES: dict[tuple[str, str], dict[str, Callable | None]] = {
    ("accounts", "user"): {"phone": hide, "phone_hash": DROP},
    ("orgs", "organization"): {"contact_phone": mask, "contact_phone_hash": DROP},
    ("members", "member"): {"id_number": hide, "phone": hide, "id_number_hash": DROP, "phone_hash": DROP},
    ("events", "volunteer"): {"phone": mask, "phone_hash": DROP},
    ("events", "signup"): {"phone": mask, "phone_hash": DROP},
}


def _scrub_values(value: Any, how: Callable[[Any], Any]) -> Any:
    if isinstance(value, list):
        return [how(v) for v in value]
    return how(value)


def scrub_fields(data: Any, rules: dict) -> tuple[object, bool]:
    """`data` (a {field: value or [old, new]} dict) with `rules` applied, and whether anything changed."""
    if not isinstance(data, dict) or not any(key in data for key in rules):
        return data, False
    scrubbed = {}
    for key, value in data.items():
        if key not in rules:
            scrubbed[key] = value
        elif rules[key] is not DROP:
            scrubbed[key] = _scrub_values(value, rules[key])
    return scrubbed, scrubbed != data


def _scrub_text(text: str, rules: dict) -> tuple[str, bool]:
    if not text:
        return text, False
    try:
        data = json.loads(text)
    except ValueError:
        return text, False
    scrubbed, changed = scrub_fields(data, rules)
    return (json.dumps(scrubbed, ensure_ascii=False), True) if changed else (text, False)


def _scrub_serialized(data: Any, rules: dict) -> tuple[object, bool]:
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        return data, False
    fields, changed = scrub_fields(data["fields"], rules)
    return ({**data, "fields": fields}, True) if changed else (data, False)


def scrub_entry(entry: Any, rules: dict) -> bool:
    """Scrub one LogEntry in memory; True when it changed (the caller saves it)."""
    entry.changes, changes = scrub_fields(entry.changes, rules)
    entry.changes_text, text = _scrub_text(entry.changes_text, rules)
    entry.serialized_data, serialized = _scrub_serialized(entry.serialized_data, rules)
    return changes or text or serialized


def scrub_change_log(log_entry_model: Any, content_type_model: Any, *, batch: int = BATCH) -> dict[str, int]:
    """Scrub every entry of the models in RULES; returns {"app.model": entries rewritten}."""
    done = {}
    for (app_label, model), rules in RULES.items():
        content_type = content_type_model.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        entries = log_entry_model.objects.filter(content_type_id=content_type.pk).only(
            "pk", "changes", "changes_text", "serialized_data"
        )
        rewritten, last = 0, 0
        while True:
            page = list(entries.filter(pk__gt=last).order_by("pk")[:batch])
            if not page:
                break
            last = page[-1].pk
            changed = [entry for entry in page if scrub_entry(entry, rules)]
            if changed:
                log_entry_model.objects.bulk_update(changed, ["changes", "changes_text", "serialized_data"])
                rewritten += len(changed)
        done[f"{app_label}.{model}"] = rewritten
    return done
