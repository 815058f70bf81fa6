"""Writing one validated batch: new organizations by bulk_create, changed ones by a bulk update.

Called only inside the import's single transaction (orgs.services.registry_import),
so a failure in any batch rolls every batch back. Rows whose values equal the
stored ones are not written at all: re-importing an export changes nothing.

On PostgreSQL (psycopg2) new rows go in by COPY and changed rows by COPY into a
temporary table, then one `UPDATE … FROM` it: bulk_create spent three quarters of
the commit building model instances and SQL, and bulk_update (a CASE per column
over every row of the statement) ran at ~70 rows/s for our 23 columns. Both still
fire the table's triggers and constraints. Other databases use bulk_create/bulk_update.

The COPY text is built column by column (`_columns`, `_copy_column`): lookup hashes with the
hasher looked up once, phones encrypted by one `crypto.encrypt_many` per batch (the same Fernet
tokens), each column type formatted without a per-value type dispatch.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, models, transaction
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models import Field
from django.utils import timezone

from config.personal_data.fields import EncryptedTextField, KeyedHashField
from orgs.models import Organization
from orgs.registry_io.columns import IMPORT_FIELDS
from orgs.registry_io.validate import CleanRow
from orgs.services.status_history import status_history_follow_columns

if TYPE_CHECKING:
    from orgs.registry_io.spool import StoredBatch

# Lookup hashes of encrypted columns (contact_phone_hash) travel with the values they hash.
HASH_FIELDS = tuple(
    f
    for f in Organization._meta.concrete_fields
    if isinstance(f, KeyedHashField) and f.source in IMPORT_FIELDS
)
WRITTEN_FIELDS = (*IMPORT_FIELDS, *(f.attname for f in HASH_FIELDS))
UPDATE_FIELDS = (*WRITTEN_FIELDS, "updated_at")
# Columns the status history follows (new organizations get theirs from status_history_seed).
STATUS_FIELDS = tuple(
    f for f in ("status", "status_changed_on", "registered_on", "established_on") if f in IMPORT_FIELDS
)
_FIELD = {f.attname: f for f in Organization._meta.concrete_fields}
# The spool's COPY text (orgs.registry_io.spool): every written column but the division (resolved
# again at commit) and the encrypted ones (kept plain, encrypted at commit); lookup hashes included.
ENCRYPTED_FIELDS = tuple(name for name in WRITTEN_FIELDS if isinstance(_FIELD[name], EncryptedTextField))
STORED_FIELDS = tuple(name for name in WRITTEN_FIELDS if name not in ENCRYPTED_FIELDS and name != "region_id")
FALLBACK_UPDATE_BATCH = 200
_UPDATE_TABLE = "registry_import_update"


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "WriteCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def _with_hashes(values: dict) -> dict:
    return {**values, **{f.attname: f.hash_of(values[f.source]) for f in HASH_FIELDS}}


def _columns(rows: list[CleanRow]) -> dict[str, list]:
    """The rows' values column by column (field attname → values), lookup hashes included."""
    values = [row.values for row in rows]
    columns = {name: list(map(itemgetter(name), values)) for name in IMPORT_FIELDS}
    for field in HASH_FIELDS:
        columns[field.attname] = field.hashes_of(columns[field.source])
    return columns


def write_batch(rows: list[CleanRow], now: datetime | None = None) -> WriteCounts:
    now = now or timezone.now()
    new: list[CleanRow] = []
    changed: list[CleanRow] = []
    unchanged = 0
    for row in rows:
        if row.existing is None:
            new.append(row)
        elif row.changed():
            changed.append(row)
        else:
            unchanged += 1
    copy = use_postgresql_paths()
    if new:
        if copy:
            _copy_insert(_columns(new), len(new), now)
        else:
            objects = [Organization(**_with_hashes(row.values)) for row in new]
            Organization.objects.bulk_create(objects, batch_size=len(objects))
    if changed:
        ids = [(row.existing or {})["id"] for row in changed]
        status_changed = [
            id_
            for id_, row in zip(ids, changed, strict=True)
            if any((row.existing or {})[f] != row.values[f] for f in STATUS_FIELDS)
        ]
        if copy:
            columns = _columns(changed)
            columns["id"] = ids
            columns["updated_at"] = [now] * len(changed)
            _copy_update(columns)
        else:
            objects = [
                Organization(**_with_hashes(row.values), id=id_, updated_at=now)
                for id_, row in zip(ids, changed, strict=True)
            ]
            Organization.objects.bulk_update(objects, UPDATE_FIELDS, batch_size=FALLBACK_UPDATE_BATCH)
        if status_changed:
            status_history_follow_columns(status_changed)
    return WriteCounts(created=len(new), updated=len(changed), unchanged=unchanged)


def _copy_update(values: dict[str, list]) -> None:
    """UPDATE by COPY into a temporary table (dropped at commit) and one UPDATE … FROM it: the values
    travel in COPY's text format instead of 25 bound parameters a row."""
    meta = Organization._meta
    fields = cast("list[Field]", [meta.pk, *(meta.get_field(name) for name in UPDATE_FIELDS)])
    quote = connection.ops.quote_name
    columns = [quote(str(f.column)) for f in fields]
    table = quote(_UPDATE_TABLE)
    buffer = _copy_buffer([_copy_column(f, values[f.attname]) for f in fields])
    assignments = ", ".join(f"{c} = v.{c}" for c in columns[1:])
    # ON COMMIT DROP needs a transaction around the four statements (the import's own, normally).
    with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ON COMMIT DROP AS "  # noqa: S608  (quoted names)
            f"SELECT {', '.join(columns)} FROM {quote(meta.db_table)} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {table}")
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS o SET {assignments} FROM {table} AS v "  # noqa: S608
            f"WHERE o.{columns[0]} = v.{columns[0]}"
        )


def use_postgresql_paths() -> bool:
    """COPY and UPDATE … FROM VALUES (PostgreSQL with psycopg2); otherwise Django's bulk methods."""
    if connection.vendor != "postgresql":
        return False

    return not is_psycopg3  # psycopg 3 spells COPY differently; it falls back to bulk_create


def _copy_column(field, values: list) -> list[str]:
    """One column's values in COPY's text format, the column at once (the commit's hot loop):
    encrypted columns as ciphertext (as the ORM would; crypto.encrypt_many), each column type
    without a per-value type dispatch."""
    null = _NULL
    if isinstance(field, EncryptedTextField):
        return [null if v is None else v for v in field.get_prep_values(values)]  # base64: no escapes
    if isinstance(field, models.CharField | models.TextField):
        try:
            joined = "".join(values)
        except TypeError:  # a None (a nullable column) or a non-text value
            joined = None
        if joined is not None and not _NEEDS_ESCAPE.search(joined):
            return list(values)  # the common column: text only, nothing to escape (one search)
        search = _NEEDS_ESCAPE.search
        return [v if type(v) is str and not search(v) else _copy_value(v) for v in values]
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return [v.isoformat() if type(v) is date else _copy_value(v) for v in values]
    if isinstance(field, models.BooleanField):
        return ["t" if v is True else "f" if v is False else _copy_value(v) for v in values]
    if isinstance(field, models.IntegerField | models.ForeignKey):
        return [str(v) if type(v) is int else _copy_value(v) for v in values]
    return [_copy_value(value) for value in values]


def _copy_buffer(columns: list[list[str]]) -> io.StringIO:
    """The rows of COPY's text format from its columns."""
    buffer = io.StringIO()
    buffer.write("\n".join(["\t".join(cells) for cells in zip(*columns, strict=True)]))
    buffer.write("\n")
    buffer.seek(0)
    return buffer


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_NULL = "\\N"


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _copy_text(value) if _NEEDS_ESCAPE.search(value) else value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _constants(now) -> dict[str, str]:
    """The columns a new organization gets that the import does not write (its logo, its times),
    in COPY text format: the model default, or `now`."""
    constants = {}
    for field in Organization._meta.concrete_fields:
        if field.primary_key or field.attname in WRITTEN_FIELDS:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field.attname] = _copy_value(now)
        else:
            constants[field.attname] = _copy_value(field.get_db_prep_save(field.get_default(), connection))
    return constants


def _copy_insert(columns: dict[str, list], count: int, now) -> None:
    """INSERT by COPY: the import's values (`columns`, field attname → `count` values), every other
    column at its model default."""
    meta = Organization._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    constants = _constants(now)
    buffer = _copy_buffer(
        [
            [constants[f.attname]] * count if f.attname in constants else _copy_column(f, columns[f.attname])
            for f in fields
        ]
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg2 errors → Django's
        cursor.cursor.copy_expert(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN", buffer)


# -- the spool's COPY text ---------------------------------------------------------------------------


def stored_columns(values: dict[str, list]) -> tuple[list[str], list[list]]:
    """A validated batch (IMPORT_FIELDS' values, column by column) as the spool keeps it: one COPY
    text line a row (STORED_FIELDS, lookup hashes included) and the plain values of
    ENCRYPTED_FIELDS, column by column."""
    columns = dict(values)
    for field in HASH_FIELDS:
        columns[field.attname] = field.hashes_of(columns[field.source])
    cells = [_copy_column(_FIELD[name], columns[name]) for name in STORED_FIELDS]
    lines = list(map("\t".join, zip(*cells, strict=True)))
    return lines, [columns[name] for name in ENCRYPTED_FIELDS]


def write_stored(batch: "StoredBatch", region_ids: list, existing: list[dict | None]) -> WriteCounts:
    """Write a spooled batch whose rows passed the commit's re-check (`region_ids`: each row's
    division; `existing`: the stored organization it matches, or None). New rows go in by one COPY of
    their stored lines with the division and ciphertext appended; only matched rows are read back
    into values, to compare and update them (write_batch)."""
    now = timezone.now()
    new = [i for i, match in enumerate(existing) if match is None]
    matched = [i for i, match in enumerate(existing) if match is not None]
    counts = WriteCounts()
    if new:
        if use_postgresql_paths():
            _copy_insert_stored(batch, new, region_ids, now)
            counts.created = len(new)
        else:
            counts.add(write_batch([stored_row(batch, i, region_ids[i]) for i in new], now))
    if matched:
        rows = [stored_row(batch, i, region_ids[i], existing[i]) for i in matched]
        counts.add(write_batch(rows, now))
    return counts


def _copy_insert_stored(batch: "StoredBatch", indexes: list[int], region_ids: list, now) -> None:
    every = len(indexes) == len(batch)
    lines = batch.lines if every else [batch.lines[i] for i in indexes]
    divisions = [str(region_ids[i]) for i in indexes]
    encrypted = [
        _copy_column(_FIELD[name], plain if every else [plain[i] for i in indexes])
        for name, plain in zip(ENCRYPTED_FIELDS, batch.plain, strict=True)
    ]
    constants = _constants(now)
    names = [*STORED_FIELDS, "region_id", *ENCRYPTED_FIELDS, *constants]
    buffer = io.StringIO()
    buffer.write(
        "\n".join(map("\t".join, zip(lines, divisions, *encrypted, repeat("\t".join(constants.values())))))
    )
    buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(_FIELD[name].column)) for name in names)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg2 errors → Django's
        cursor.cursor.copy_expert(f"COPY {quote(Organization._meta.db_table)} ({columns}) FROM STDIN", buffer)


_ESCAPED = re.compile(r"\\(.)")
_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _text_of(cell: str) -> str | None:
    if cell == _NULL:
        return None
    if "\\" not in cell:
        return cell
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), cell)


def _date_of(cell: str) -> date | None:
    return None if cell == _NULL else date.fromisoformat(cell)


def _bool_of(cell: str) -> bool | None:
    return None if cell == _NULL else cell == "t"


def _int_of(cell: str) -> int | None:
    return None if cell == _NULL else int(cell)


def _decoder(field) -> Callable[[str], Any]:
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return _date_of
    if isinstance(field, models.BooleanField):
        return _bool_of
    if isinstance(field, models.IntegerField):
        return _int_of
    if isinstance(field, models.CharField | models.TextField):
        return _text_of
    raise TypeError(f"no COPY text decoder for {field!r}")  # pragma: no cover - a new column type


# (position in a stored line, field, decoder) of the imported fields (lookup hashes are not read back)
_DECODERS = [
    (position, name, _decoder(_FIELD[name]))
    for position, name in enumerate(STORED_FIELDS)
    if name in IMPORT_FIELDS
]


def stored_row(batch: "StoredBatch", index: int, region_id, existing: dict | None = None) -> CleanRow:
    """One spooled row read back into values (the rows that match a stored organization)."""
    cells = batch.lines[index].split("\t")
    values = {name: decode(cells[position]) for position, name, decode in _DECODERS}
    values["region_id"] = region_id
    for name, plain in zip(ENCRYPTED_FIELDS, batch.plain, strict=True):
        values[name] = plain[index]
    return CleanRow(
        number=batch.numbers[index], region_code=batch.region_codes[index], values=values, existing=existing
    )
