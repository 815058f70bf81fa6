"""Row validation: raw cells → clean Organization values, or (row, column header, message) errors.

One `RegistryValidator` reads one file, batch by batch, and keeps what must span
the whole file: the keys already seen (a USCC, or a filed org's name + division;
a duplicate inside the file is an error) and the divisions looked up. Each batch
costs a fixed number of queries (divisions not seen yet; existing orgs by USCC;
existing filed orgs by name + division), never one per row, and nothing is held
beyond the batch except those keys.

The per-row checks avoid building model instances (the import's hot loop): each
text column is checked against its model field's length and validators, and the
USCC/kind/registration rules are orgs.services.organizations' own.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import getitem
from types import SimpleNamespace
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.db.models import F, Field, Lookup, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.personal_data import phones
from orgs.models import Organization, Region
from orgs.registry_io.cells import CellError, as_text, cell_cleaner
from orgs.registry_io.columns import BY_KEY, COLUMNS, IMPORT_COLUMNS, IMPORT_FIELDS, ColumnType
from orgs.registry_io.parse import ColumnBatch, RawRow
from orgs.services.organizations import _normalise_codes
from orgs.uscc import (
    CIVIL_AFFAIRS_AUTHORITY,
    KIND_TYPE_CHAR,
    ORG_CODE_WEIGHTS,
    USCC_ALPHABET,
    USCC_LENGTH,
    validate_uscc,
)

# Errors kept for the preview; past this only the count grows (a file this wrong is fixed and re-sent).
ERRORS_KEPT = 10_000
ALLOWED_REGION_KINDS = (Region.Kind.STREET, Region.Kind.COMMUNITY)
COLUMN_ORDER = {c.header: i for i, c in enumerate(COLUMNS)}
_EXISTING_FIELDS = ("id", *IMPORT_FIELDS, "region__tree_id", "region__lft", "region__rght")
_REGION_FIELDS = ("id", "code", "name", "kind", "is_active", "tree_id", "lft", "rght")

RowError = tuple[int | None, str, str]  # (spreadsheet row, column header, message)
_SKIP = object()  # a cell with an error: its column is left out of the row's values


_PHONE_SEPARATOR = phones._SEPARATORS.pattern.removesuffix("+")  # one separator character
# A phone that validate_phone accepts, read as it is: separators anywhere, at most a leading "+",
# then 7–15 digits (what remains once normalize_phone drops the separators). One match instead of
# a validator call through Django's run_validators for each of a column's (all distinct) phones.
_PHONE_ACCEPTED = re.compile(rf"{_PHONE_SEPARATOR}*\+?(?:{_PHONE_SEPARATOR}*\d){{7,15}}{_PHONE_SEPARATOR}*")
# Validators with a match that accepts what they accept (anything else is run through them).
_ACCEPTED_BY = ((phones.validate_phone, _PHONE_ACCEPTED.fullmatch),)


def _text_checks() -> dict[str, tuple[int | None, object, Callable[[str], object] | None]]:
    """Text column → (max length, model field if it has validators beyond the length, a match that
    accepts what those validators accept, if there is one)."""
    checks: dict[str, tuple[int | None, object, Callable[[str], object] | None]] = {}
    for column in IMPORT_COLUMNS:
        if column.type != ColumnType.TEXT:
            continue
        field = cast(Field, Organization._meta.get_field(column.key))
        extra = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        accept = next((match for v, match in _ACCEPTED_BY if len(extra) == 1 and v is extra[0]), None)
        checks[column.key] = (field.max_length, field if extra else None, accept)
    return checks


_TEXT_CHECKS = _text_checks()


@dataclass(frozen=True, slots=True)
class RegionInfo:
    id: int
    code: str
    name: str
    kind: str
    is_active: bool
    tree_id: int
    lft: int
    rght: int


@dataclass(slots=True)
class CleanRow:
    number: int
    region_code: str
    values: dict  # Organization field → value; region_id is set once the division is resolved
    existing: dict | None = None  # the matching organization's stored values (with "id"), if any

    @property
    def key(self):
        if self.values["registration"] == Organization.Registration.REGISTERED:
            return self.values["uscc"]
        return (self.values["name"], self.region_code)

    def changed(self) -> bool:
        return self.existing is None or any(self.existing[f] != self.values[f] for f in IMPORT_FIELDS)


@dataclass(slots=True)
class CheckedBatch:
    """A batch's good rows column by column, as validation hands them on: row numbers, division
    codes, IMPORT_FIELDS' values (region_id included) and each row's stored organization (or None)."""

    numbers: list[int]
    region_codes: list[str]
    columns: dict[str, list]
    existing: list[dict | None]

    def __len__(self) -> int:
        return len(self.numbers)

    def rows(self) -> list[CleanRow]:
        keys = list(self.columns)
        return [
            CleanRow(
                number=number, region_code=code, values=dict(zip(keys, values, strict=True)), existing=match
            )
            for number, code, values, match in zip(
                self.numbers,
                self.region_codes,
                zip(*self.columns.values(), strict=True),
                self.existing,
                strict=True,
            )
        ]


class _Scope:
    """The uploader's region subtree, read once; membership is then a comparison of tree bounds."""

    def __init__(self, user):
        self.everything = bool(user is not None and user.is_active and user.is_superuser)
        self.bounds = None
        if not self.everything and getattr(user, "is_platform_staff", False) and user.scope_region_id:
            self.bounds = (
                Region.objects.filter(pk=user.scope_region_id).values_list("tree_id", "lft", "rght").first()
            )

    def contains(self, tree_id: int, lft: int, rght: int) -> bool:
        if self.everything:
            return True
        if self.bounds is None:
            return False
        scope_tree, scope_lft, scope_rght = self.bounds
        return tree_id == scope_tree and scope_lft <= lft and rght <= scope_rght


class RegistryValidator:
    def __init__(self, *, user):
        self.scope = _Scope(user)
        self.errors: list[RowError] = []
        self.error_count = 0
        lookups = {c.key: c.choice_lookup() for c in IMPORT_COLUMNS if c.labels}
        # (column, cleaner); text cells (None) are cleaned inline, the most common case.
        self._plan = [
            (c, None if c.type == ColumnType.TEXT else cell_cleaner(c, lookups)) for c in IMPORT_COLUMNS
        ]
        self._regions: dict[str, RegionInfo | None] = {}
        self._first_row_of_key: dict[object, int] = {}
        self._today = timezone.localdate()

    def add_error(self, row: int | None, header: str, message) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append((row, header, str(message)))

    def sorted_errors(self) -> list[RowError]:
        """By row, then in the file's column order (division and scope errors are found last)."""
        return sorted(self.errors, key=lambda e: (e[0] or 0, COLUMN_ORDER.get(e[1], -1)))

    def validate_batch(self, batch: list[RawRow]) -> list[CleanRow]:
        """Every check for a batch of raw rows; returns the good rows (errors go to self.errors).
        Each row's rules are checked by the row path (`_finish_row`), which validate_columns' fast
        path must agree with (tested)."""
        raws = [raw for _number, raw in batch]
        columns = {column.key: [raw.get(column.key) for raw in raws] for column in IMPORT_COLUMNS}
        return self.check_columns(([number for number, _raw in batch], columns), fast=False).rows()

    def validate_columns(self, batch: ColumnBatch) -> list[CleanRow]:
        """validate_batch for a batch read column by column (parse.SheetReader.column_batches): the
        row numbers and each column's cells (a column absent from the file may be left out)."""
        return self.check_columns(batch).rows()

    def check_columns(self, batch: ColumnBatch, *, fast: bool = True) -> "CheckedBatch":
        """validate_columns without a dict a row: the good rows column by column. A row with no bad
        cell is checked against the row rules on the columns (`_fast_row`); any other row, or one
        the fast check does not pass, goes through the row path (`_finish_row`), which words the
        messages. Then the checks that depend on the database (divisions, existing orgs)."""
        numbers, cells_by_key = batch
        columns, errors = self._clean_columns(cells_by_key, len(numbers))
        self._check_text(columns, errors)
        kept = self._check_rows(numbers, columns, errors, fast=fast)
        codes = columns.pop("region")
        if len(kept) != len(numbers):
            numbers = [numbers[i] for i in kept]
            codes = [codes[i] for i in kept]
            columns = {key: [values[i] for i in kept] for key, values in columns.items()}
        region_ids = self._region_ids(numbers, codes)
        if None in region_ids:
            good = [i for i, region_id in enumerate(region_ids) if region_id is not None]
            numbers, codes, region_ids = (
                [column[i] for i in good] for column in (numbers, codes, region_ids)
            )
            columns = {key: [values[i] for i in good] for key, values in columns.items()}
        columns["region_id"] = region_ids
        registered = Organization.Registration.REGISTERED
        usccs = [
            code if registration == registered else None
            for registration, code in zip(columns["registration"], columns["uscc"], strict=True)
        ]
        existing, refused = self._match_existing(numbers, usccs, columns["name"], region_ids)
        if refused:
            good = [i for i in range(len(numbers)) if i not in refused]
            numbers = [numbers[i] for i in good]
            codes = [codes[i] for i in good]
            existing = [existing[i] for i in good]
            columns = {key: [values[i] for i in good] for key, values in columns.items()}
        return CheckedBatch(numbers=numbers, region_codes=codes, columns=columns, existing=existing)

    def _check_rows(
        self, numbers: list[int], columns: dict[str, list], errors: dict[int, dict[str, str]], *, fast: bool
    ) -> list[int]:
        """The rules across each row's cells (codes, status date, staff count, a key seen twice):
        the indexes of the rows that pass, their columns updated with the rules' normal forms
        (authority division code filled, a filed org's code None); errors recorded in row order."""
        kept = []
        keys = list(columns)
        fast_row = self._fast_row(columns) if fast else None
        for index, number in enumerate(numbers):
            if fast_row is not None and index not in errors and fast_row(index, number):
                kept.append(index)
                continue
            row_errors = errors.get(index)
            if row_errors is None:
                values = {key: columns[key][index] for key in keys}
                row_errors = {}
            else:
                values = {key: value for key in keys if (value := columns[key][index]) is not _SKIP}
            row = self._finish_row(number, values, row_errors)
            if row is not None:
                for key, value in row.values.items():
                    columns[key][index] = value
                kept.append(index)
        return kept

    def _fast_row(self, columns: dict[str, list]) -> Callable[[int, int], bool]:
        """A check of one row with no bad cell, on the columns, for the common rows: an active org
        with no status date and a staff count ≥ 0 that is either a registered org whose code is in
        normal form and passes validate_uscc for its kind (the authority division code empty or
        agreeing) or a filed community org without a code; its key seen first here. True: the row
        passes (its columns set as the row path sets them); False: the row path decides (and words
        the error)."""
        registration, kind, uscc = columns["registration"], columns["kind"], columns["uscc"]
        authority, status = columns["authority_division_code"], columns["status"]
        changed_on, staff = columns["status_changed_on"], columns["staff_count"]
        name, region = columns["name"], columns["region"]
        first_row_of_key = self._first_row_of_key
        registered, filed = Organization.Registration.REGISTERED, Organization.Registration.FILED
        active, community = Organization.Status.ACTIVE, Organization.Kind.COMMUNITY

        def check(index: int, number: int) -> bool:
            if status[index] != active or changed_on[index] is not None:
                return False
            count = staff[index]
            if count is not None and count < 0:
                return False
            if registration[index] == registered:
                code = uscc[index]
                if not code or not _uscc_good(code, kind[index]):
                    return False
                given = authority[index]
                if given and given != code[2:8]:
                    return False
                if first_row_of_key.setdefault(code, number) != number:
                    return False
                authority[index] = code[2:8]
                return True
            if registration[index] == filed:
                if uscc[index] or kind[index] != community or not region[index]:
                    return False
                if first_row_of_key.setdefault((name[index], region[index]), number) != number:
                    return False
                uscc[index] = None
                return True
            return False

        return check

    # -- the cells, column by column --------------------------------------------------------------

    def _clean_columns(
        self, cells_by_key: dict[str, list], count: int
    ) -> tuple[dict[str, list], dict[int, dict[str, str]]]:
        """Each column's `count` cells cleaned in one pass over the column (the import's hot loop):
        column key → values (`_SKIP` where the cell has an error), and row index → {column key:
        message}. Cells as either reader gives them: calamine's raw "" (an empty cell) and whole
        floats clean as the stdlib values None and int do."""
        errors: dict[int, dict[str, str]] = {}
        columns: dict[str, list] = {}
        required = _("This column is required, but the cell is empty.")
        for column, cleaner in self._plan:
            key = column.key
            cells = cells_by_key.get(key) or [None] * count
            values: list[Any]
            if cleaner is None and not column.required and column.default is None:
                # an optional text column: its text stripped, "" when empty (as_text(None) == "")
                try:
                    columns[key] = list(map(str.strip, cells))  # text cells only: one C loop
                except TypeError:  # an empty cell read as None, or a number, date or boolean
                    columns[key] = [v.strip() if type(v) is str else as_text(v) for v in cells]
                continue
            if cleaner is None:
                values = [
                    None if v is None else ((v.strip() if type(v) is str else as_text(v)) or None)
                    for v in cells
                ]
            else:
                values = _clean_distinct(cells, cleaner, key, errors)
            if column.required:
                for index, value in enumerate(values):
                    if value is None:
                        errors.setdefault(index, {})[key] = required
                        values[index] = _SKIP
            elif column.default is not None:
                default = column.default
                values = [default if v is None else v for v in values]
            elif column.type == ColumnType.TEXT:
                values = ["" if v is None else v for v in values]
            columns[key] = values
        return columns, errors

    def _check_text(self, columns: dict[str, list], errors: dict[int, dict[str, str]]) -> None:
        """Each text column against its model field's length and validators: a length by comparison,
        validators once per distinct value of the column."""
        for key, (max_length, field, accept) in _TEXT_CHECKS.items():
            if field is None and max_length is None:
                continue
            verdicts: dict[str, str | None] = {}
            for index, value in enumerate(columns[key]):
                if not value or value is _SKIP:
                    continue
                if (max_length is None or len(value) <= max_length) and (
                    field is None or (accept is not None and accept(value))
                ):
                    continue
                if value not in verdicts:
                    try:
                        cast(Field, Organization._meta.get_field(key)).run_validators(value)
                        verdicts[value] = None
                    except ValidationError as exc:
                        verdicts[value] = exc.messages[0]
                verdict = verdicts[value]
                if verdict is not None:
                    errors.setdefault(index, {})[key] = verdict

    # -- one row ----------------------------------------------------------------------------------

    def _finish_row(self, number: int, values: dict, errors: dict[str, str]) -> CleanRow | None:
        """The rules across a row's cells, then the row kept or its errors recorded."""
        region_code = values.pop("region", None)
        self._check_rules(values, errors)
        self._check_key(number, values, region_code, errors)
        if errors:
            for column in IMPORT_COLUMNS:  # in the file's column order
                if column.key in errors:
                    self.add_error(number, column.header, errors[column.key])
            return None
        return CleanRow(number=number, region_code=region_code, values=values)

    def _check_rules(self, values: dict, errors: dict) -> None:
        staff_count = values.get("staff_count")
        if staff_count is not None and staff_count < 0:
            errors["staff_count"] = _("The staff count cannot be negative (%(value)d).") % {
                "value": staff_count
            }
        self._check_status_date(values, errors)
        if "registration" not in values:
            return  # the code rules depend on it
        if "kind" not in values:
            # The kind is wrong or missing: the code can still be checked on its own.
            if values["registration"] == Organization.Registration.REGISTERED and values.get("uscc"):
                try:
                    validate_uscc(values["uscc"])
                except ValidationError as exc:
                    errors.setdefault("uscc", exc.messages[0])
            return
        if self._codes_fast(values, errors):
            return
        codes = SimpleNamespace(
            registration=values["registration"],
            kind=values["kind"],
            uscc=values.get("uscc"),
            authority_division_code=values.get("authority_division_code", ""),
        )
        for field, message in _normalise_codes(codes).items():
            errors.setdefault(field, _first_message(message))
        values["uscc"] = codes.uscc
        if "authority_division_code" not in errors:
            values["authority_division_code"] = codes.authority_division_code

    @staticmethod
    def _codes_fast(values: dict, errors: dict) -> bool:
        """The good path of the code rules: a registered org whose code is already in normal form and
        passes every check of validate_uscc for its kind. Sets what _normalise_codes would set and
        returns True; anything else (a failure, a code to normalise) returns False for the full check,
        which builds the message."""
        if values["registration"] != Organization.Registration.REGISTERED or "uscc" in errors:
            return False
        code = values.get("uscc")
        if not code or not _uscc_good(code, values["kind"]):
            return False
        if "authority_division_code" in errors:
            return True  # the slow path leaves the cell's own error and this value alone too
        given = values.get("authority_division_code", "")
        if given and given != code[2:8]:
            return False  # the disagreement message comes from _normalise_codes
        values["authority_division_code"] = code[2:8]
        return True

    def _check_status_date(self, values: dict, errors: dict) -> None:
        changed_on = values.get("status_changed_on")
        if values.get("status", "active") != Organization.Status.ACTIVE and changed_on is None:
            if "status_changed_on" not in errors:
                errors["status_changed_on"] = _(
                    "A deregistered or revoked organization needs the date its status changed."
                )
            return
        if changed_on is None:
            return
        if changed_on > self._today:
            errors["status_changed_on"] = _("The date the status changed cannot be in the future.")
        elif values.get("registered_on") and changed_on < values["registered_on"]:
            errors["status_changed_on"] = _(
                "The date the status changed cannot be before the registration date (%(date)s)."
            ) % {"date": values["registered_on"].isoformat()}

    def _check_key(self, number: int, values: dict, region_code, errors: dict) -> None:
        """A USCC (or a filed org's name + division) may appear once in a file."""
        registration = values.get("registration")
        if registration == Organization.Registration.REGISTERED:
            if "uscc" in errors or not values.get("uscc"):
                return
            key, field = values["uscc"], "uscc"
        elif registration == Organization.Registration.FILED:
            if "name" in errors or not region_code:
                return
            key, field = (values["name"], region_code), "name"
        else:
            return
        first = self._first_row_of_key.setdefault(key, number)
        if first != number:
            if field == "uscc":
                message = _("This unified social credit code already appears in row %(row)d.")
            else:
                message = _(
                    "A filed organization with this name and division already appears in row %(row)d."
                )
            errors.setdefault(field, message % {"row": first})

    # -- divisions --------------------------------------------------------------------------------

    def _region_ids(self, numbers: list[int], codes: list[str]) -> list:
        """Each row's division id from its code (one query for the codes not seen yet; each code
        checked once); None, with the error recorded, where the division is refused."""
        unseen = set(codes) - self._regions.keys()
        if unseen:
            self._load_regions(unseen)
        verdicts = {code: self._region_error(code) for code in set(codes)}
        header = BY_KEY["region"].header
        region_ids: list = []
        for number, code in zip(numbers, codes, strict=True):
            info, message = verdicts[code]
            if message:
                self.add_error(number, header, message)
                region_ids.append(None)
            else:
                region_ids.append(cast(RegionInfo, info).id)
        return region_ids

    def _load_regions(self, codes: set[str]) -> None:
        self._regions.update(dict.fromkeys(codes))
        for values in Region.objects.filter(code__in=codes).values(*_REGION_FIELDS):
            self._regions[values["code"]] = RegionInfo(**values)

    def _region_error(self, code: str) -> tuple[RegionInfo | None, str | None]:
        info = self._regions.get(code)
        if info is None:
            return None, _("There is no division with the code %(code)s.") % {"code": code}
        if info.kind not in ALLOWED_REGION_KINDS:
            return None, _(
                "%(code)s (%(name)s) is at the level “%(level)s”: give the code of a street/town or a "
                "community/village."
            ) % {"code": code, "name": info.name, "level": Region.Kind(info.kind).label}
        if not info.is_active:
            return None, _("The division %(code)s (%(name)s) is no longer in use.") % {
                "code": code,
                "name": info.name,
            }
        if not self.scope.contains(info.tree_id, info.lft, info.rght):
            return None, _(
                "%(code)s (%(name)s) is outside your scope: you may import organizations of your own "
                "street or district only."
            ) % {"code": code, "name": info.name}
        return info, None

    # -- existing organizations -------------------------------------------------------------------

    def _match_existing(
        self, numbers: list[int], usccs: list[str | None], names: list[str], region_ids: list
    ) -> tuple[list[dict | None], set[int]]:
        """Each row's stored organization (its values, with "id"), or None: a registered org (its
        code in `usccs`) by code, a filed one (None there) by name + division; one query per key
        kind. Returns them and the indexes of the rows refused (an update outside the scope: the
        error is recorded)."""
        existing: list[dict | None] = [None] * len(numbers)
        registered = {code: index for index, code in enumerate(usccs) if code is not None}
        filed = {(names[index], region_ids[index]): index for index, code in enumerate(usccs) if code is None}
        refused = set()
        if registered:
            for match in _EXISTING_BY_CODE.rows(list(registered)):
                index = registered[match["uscc"]]
                bounds = (match.pop("region__tree_id"), match.pop("region__lft"), match.pop("region__rght"))
                if not self.scope.contains(*bounds):
                    refused.add(index)
                    self.add_error(
                        numbers[index],
                        BY_KEY["uscc"].header,
                        _(
                            "An organization with this code already exists outside your scope; "
                            "staff of its own street or district must change it."
                        ),
                    )
                    continue
                existing[index] = match
        if filed:
            candidates = _EXISTING_FILED.rows(
                list({name for name, _region in filed}), list({region for _name, region in filed})
            )
            for match in candidates:
                filed_index = filed.get((match["name"], match["region_id"]))
                if filed_index is not None:
                    for extra in ("region__tree_id", "region__lft", "region__rght"):
                        match.pop(extra)
                    existing[filed_index] = match
        return existing, refused

    def recheck_stored(self, batch: Any) -> tuple[list, list[dict | None]]:
        """The commit's re-check of a spooled batch (orgs.registry_io.spool.StoredBatch), without reading
        its rows back: each row's division id (None where refused) and stored organization (or
        None). Errors go to self.errors."""
        region_ids = self._region_ids(batch.numbers, batch.region_codes)
        good = [index for index, region_id in enumerate(region_ids) if region_id is not None]
        if len(good) == len(region_ids):
            existing, _refused = self._match_existing(batch.numbers, batch.usccs, batch.names, region_ids)
            return region_ids, existing
        # rows refused for their division are not matched (as validation leaves them out)
        matches, _refused = self._match_existing(
            *(
                [column[index] for index in good]
                for column in (batch.numbers, batch.usccs, batch.names, region_ids)
            )
        )
        existing = [None] * len(region_ids)
        for index, match in zip(good, matches, strict=True):
            existing[index] = match
        return region_ids, existing


def _clean_distinct(cells: list, cleaner: Any, key: str, errors: dict[int, dict[str, str]]) -> list:
    """`cleaner` over a column's cells, run once per distinct value (a choice, a division code or a
    date repeats across a batch); a cell that fails gets its message in `errors` and `_SKIP` as value.
    Keyed by value, so cells equal in Python must clean alike: True == 1 == 1.0 does not (a boolean
    is not a number), so a column mixing booleans with numbers is cleaned cell by cell (a boolean
    equals no text, date or None)."""
    types = set(map(type, cells))
    if bool in types and (int in types or float in types):
        values = []
        for index, cell in enumerate(cells):
            try:
                values.append(cleaner(cell))
            except CellError as exc:
                errors.setdefault(index, {})[key] = exc.message
                values.append(_SKIP)
        return values
    cleaned: dict = {}
    failed: dict = {}
    for cell in set(cells):
        try:
            cleaned[cell] = cleaner(cell)
        except CellError as exc:
            failed[cell] = exc.message
            cleaned[cell] = _SKIP
    if failed:
        for index, cell in enumerate(cells):
            if cell in failed:
                errors.setdefault(index, {})[key] = failed[cell]
    return [cleaned[cell] for cell in cells]


class _AnyOf(Lookup):
    """`column = ANY(…)` of the values, passed as one JSON text parameter (PostgreSQL).

    JSON because psycopg2 adapts a list to an ARRAY literal value by value (~1 µs each: 0.2 s of
    CPU per phase for 100k rows' codes and names); `json.dumps` writes the list in one call, and
    the server reads it back by `jsonb_array_elements_text`.

    The array goes through a scalar subquery so that the planner does not see its values: with
    them it weighs 2,000 index probes against one sequential scan and, from ~50k rows in the
    table, scans the whole table for every batch (18 ms a batch at 100k rows, 2 ms by the index;
    the commit's re-check runs while the import fills the table). Hidden, the array counts as a
    few values and the unique index is probed. Cast to `text[]`/`bigint[]`, never to the column's
    `varchar(n)[]` (an explicit cast to varchar(n) truncates)."""

    lookup_name = "any_of"
    prepare_rhs = False  # the list is written as JSON (text, numbers, None)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        cast = self.lhs.output_field.cast_db_type(connection) or "text"  # "varchar(18)", "bigint"…
        element = "text" if cast.startswith("varchar") else cast
        values = "ARRAY(SELECT jsonb_array_elements_text(%s::jsonb))"
        return f"{lhs} = ANY((SELECT {values})::{element}[])", (*lhs_params, _json_list(self.rhs))


def _json_list(values: Any) -> str:
    return json.dumps(list(values), ensure_ascii=False)


class _ExistingQuery:
    """Stored organizations' `_EXISTING_FIELDS` (dicts, as `.values()` gives them) by `= ANY` of one
    or two lists. On PostgreSQL the statement is compiled once and run with each batch's lists (the
    ORM spent ~3 ms building it, twice a batch in each phase); elsewhere it is the ORM's `__in`."""

    def __init__(self, *fields: str, **filters: Any) -> None:
        self.fields, self.filters = fields, filters
        self._compiled: tuple[str, list, list[int]] | None = None
        meta = Organization._meta
        converters = [
            (index, getattr(meta.get_field(name), "from_db_value", None))
            for index, name in enumerate(_EXISTING_FIELDS)
            if "__" not in name
        ]  # the fields whose values .values() converts (the encrypted phone)
        self._converters = [(index, convert) for index, convert in converters if convert is not None]

    def _queryset(self, *lists: list) -> Any:
        lookups = [_one_of(field, values) for field, values in zip(self.fields, lists, strict=True)]
        return Organization.objects.filter(*lookups, **self.filters).order_by().values(*_EXISTING_FIELDS)

    def rows(self, *lists: list) -> Iterator[dict]:
        if connection.vendor != "postgresql":
            yield from self._queryset(*lists)
            return
        if self._compiled is None:
            markers = [[f"\x00marker {i}"] for i in range(len(lists))]
            sql, params = self._queryset(*markers).query.sql_with_params()
            written = [_json_list(marker) for marker in markers]
            positions = [next(i for i, p in enumerate(params) if p == marker) for marker in written]
            self._compiled = (sql, list(params), positions)
        sql, params, positions = self._compiled
        params = list(params)
        for position, values in zip(positions, lists, strict=True):
            params[position] = _json_list(values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            records = cursor.fetchall()
        for record in records:
            values = list(record)
            for index, convert in self._converters:
                values[index] = convert(values[index], None, connection)
            yield dict(zip(_EXISTING_FIELDS, values, strict=True))


_EXISTING_BY_CODE = _ExistingQuery("uscc")
_EXISTING_FILED = _ExistingQuery("name", "region_id", registration="filed")


def _one_of(field: str, values: Any) -> Q | _AnyOf:
    """`field IN (values)`; on PostgreSQL `field = ANY(…)` with the values as one JSON parameter (_AnyOf).
    A batch's 2,000-value IN list cost the ORM ~15 ms to build (each value prepared by the field;
    twice a batch in each phase: ~1.4 s of CPU for 100k rows); one JSON text costs one json.dumps."""
    if not isinstance(values, list):
        values = list(values)
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    return _AnyOf(F(field), values)


_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}  # stdnum's cn.uscc check-digit values
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Per position, character → its weighted value: a checksum is then one `sum(map(getitem, …))`
# (a generator over zip with two lookups per character took ~8 µs a code, 0.5 s of 70k codes).
# Only the USCC alphabet is in the tables, so any other character raises KeyError.
_USCC_TABLES = tuple({c: v * w for c, v in _USCC_VALUE.items()} for w in _USCC_WEIGHTS)
_ORG_CODE_TABLES = tuple({c: int(c, 36) * w for c in USCC_ALPHABET} for w in ORG_CODE_WEIGHTS)  # GB 11714
_ORG_CHECK_CHAR = {r: "X" if 11 - r == 10 else "0" if 11 - r == 11 else str(11 - r) for r in range(11)}


def _uscc_good(code: str, kind: str) -> bool:
    """True when validate_uscc(code, kind=kind) would return `code` unchanged (no message is needed)."""
    if (
        len(code) != USCC_LENGTH
        or code[0] != CIVIL_AFFAIRS_AUTHORITY
        or code[1] != KIND_TYPE_CHAR.get(kind)
        or not code[2:8].isdigit()
    ):
        return False
    try:
        org_total = sum(map(getitem, _ORG_CODE_TABLES, code[8:16]))
        total = sum(map(getitem, _USCC_TABLES, code))  # the first 17 characters (map stops there)
    except KeyError:  # a character outside the alphabet
        return False
    return code[16] == _ORG_CHECK_CHAR[org_total % 11] and code[17] == USCC_ALPHABET[-total % 31]


def _first_message(message) -> str:
    if isinstance(message, list | tuple):
        return str(message[0])
    return str(message)
