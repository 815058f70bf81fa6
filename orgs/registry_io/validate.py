"""Row validation: raw cells → clean Organization values, or (row, column header, message) errors.

One `RegistryValidator` reads one file, batch by batch, and keeps what must
span the whole file: the keys already seen (a USCC, or name + division for a
filed org; duplicates inside the file are errors) and the divisions looked up.
Each batch costs a fixed number of queries (divisions not seen yet; existing
orgs by USCC; existing filed orgs by name + division), never one per row, and
nothing is held beyond the batch except those keys.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Organization, Region
from orgs.registry_io.cells import CellError, clean_cell
from orgs.registry_io.columns import BY_KEY, IMPORT_COLUMNS, IMPORT_FIELDS, ColumnType
from orgs.registry_io.parse import RawRow
from orgs.services.organizations import _normalise_codes
from orgs.uscc import validate_uscc

# Errors kept for the preview; past this only the count grows (a file this wrong is fixed and re-sent).
ERRORS_KEPT = 10_000
ALLOWED_REGION_KINDS = (Region.Kind.STREET, Region.Kind.COMMUNITY)
# Checked by this module (or not read from the file); clean_fields() checks the rest.
_NOT_CLEANED = {"id", "region", "logo", "uscc", "created_at", "updated_at", "staff_count"}
_NOT_CLEANED |= {c.key for c in IMPORT_COLUMNS if c.type == ColumnType.CHOICE}
_EXISTING_FIELDS = ("id", *IMPORT_FIELDS, "region__tree_id", "region__lft", "region__rght")

RowError = tuple[int | None, str, str]  # (spreadsheet row, column header, message)


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
    values: dict  # Organization field → value, ready for Organization(**values)
    existing: dict | None = None  # the matching organization's current values (with "id"), if any

    @property
    def key(self):
        if self.values["registration"] == Organization.Registration.REGISTERED:
            return self.values["uscc"]
        return (self.values["name"], self.values["region_id"])

    def changed(self) -> bool:
        return self.existing is None or any(self.existing[f] != self.values[f] for f in IMPORT_FIELDS)


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
        self.rows_seen = 0
        self._choice_lookups = {c.key: c.choice_lookup() for c in IMPORT_COLUMNS if c.labels}
        self._regions: dict[str, RegionInfo | None] = {}
        self._first_row_of_key: dict[object, int] = {}
        self._rows_failed_late: set[int] = set()
        self._today = timezone.localdate()

    def add_error(self, row: int | None, header: str, message) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append((row, header, str(message)))

    def validate_batch(self, batch: list[RawRow]) -> list[CleanRow]:
        """Clean rows of the batch (errors go to self.errors); three queries at most."""
        self.rows_seen += len(batch)
        self._rows_failed_late = set()
        self._load_regions({raw.get("region") for _n, raw in batch})
        clean = []
        for number, raw in batch:
            row = self._clean_row(number, raw)
            if row is not None:
                clean.append(row)
        self._attach_existing(clean)
        return [row for row in clean if row.number not in self._rows_failed_late]

    # -- divisions --------------------------------------------------------------------------------

    def _load_regions(self, raw_codes) -> None:
        codes = set()
        for raw in raw_codes:
            try:
                code = clean_cell(BY_KEY["region"], raw, {})
            except CellError:
                continue
            if code and code not in self._regions:
                codes.add(code)
        if not codes:
            return
        for code in codes:
            self._regions[code] = None
        fields = ("id", "code", "name", "kind", "is_active", "tree_id", "lft", "rght")
        for values in Region.objects.filter(code__in=codes).values(*fields):
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

    # -- one row ----------------------------------------------------------------------------------

    def _clean_row(self, number: int, raw: dict) -> CleanRow | None:
        errors: dict[str, str] = {}  # field → message (one per column is enough to act on)
        values: dict = {}
        for column in IMPORT_COLUMNS:
            try:
                value = clean_cell(column, raw.get(column.key), self._choice_lookups)
            except CellError as exc:
                errors[column.key] = exc.message
                continue
            if value is None:
                if column.required:
                    errors[column.key] = _("This column is required, but the cell is empty.")
                    continue
                if column.default is not None:
                    value = column.default
                elif column.type == ColumnType.TEXT:
                    value = ""
            values[column.key] = value

        code = values.pop("region", None)
        if code is not None:
            info, message = self._region_error(code)
            if message:
                errors["region"] = message
            else:
                values["region_id"] = info.id
        self._check_rules(values, errors)
        self._check_key(number, values, errors)
        for column in IMPORT_COLUMNS:  # in the file's column order
            if column.key in errors:
                self.add_error(number, column.header, errors[column.key])
        if errors:
            return None
        return CleanRow(number=number, values=values)

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
        organization = Organization(**{k: v for k, v in values.items() if k not in errors})
        for field, message in _normalise_codes(organization).items():
            errors.setdefault(field, _first_message(message))
        values["uscc"] = organization.uscc
        values["authority_division_code"] = organization.authority_division_code
        try:
            organization.clean_fields(exclude=_NOT_CLEANED | set(errors))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in BY_KEY:
                    errors.setdefault(field, messages[0])

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

    def _check_key(self, number: int, values: dict, errors: dict) -> None:
        """A USCC (or a filed org's name + division) may appear once in a file."""
        registration = values.get("registration")
        if registration == Organization.Registration.REGISTERED:
            if "uscc" in errors or not values.get("uscc"):
                return
            key, field = values["uscc"], "uscc"
            message = _("This unified social credit code already appears in row %(row)d.")
        elif registration == Organization.Registration.FILED:
            if "name" in errors or "region_id" not in values:
                return
            key, field = (values["name"], values["region_id"]), "name"
            message = _("A filed organization with this name and division already appears in row %(row)d.")
        else:
            return
        first = self._first_row_of_key.setdefault(key, number)
        if first != number:
            errors.setdefault(field, message % {"row": first})

    # -- existing organizations -------------------------------------------------------------------

    def _attach_existing(self, rows: list[CleanRow]) -> None:
        """Match rows to existing orgs (one query per key kind) and refuse updates outside the scope."""
        registered = {r.key: r for r in rows if r.values["registration"] == "registered"}
        filed = {r.key: r for r in rows if r.values["registration"] == "filed"}
        if registered:
            for existing in Organization.objects.filter(uscc__in=list(registered)).values(*_EXISTING_FIELDS):
                row = registered[existing["uscc"]]
                if not self.scope.contains(
                    existing.pop("region__tree_id"), existing.pop("region__lft"), existing.pop("region__rght")
                ):
                    self._rows_failed_late.add(row.number)
                    self.add_error(
                        row.number,
                        BY_KEY["uscc"].header,
                        _(
                            "An organization with this code already exists outside your scope; "
                            "staff of its own street or district must change it."
                        ),
                    )
                    continue
                row.existing = existing
        if filed:
            candidates = Organization.objects.filter(
                registration="filed",
                name__in={name for name, _region in filed},
                region_id__in={region for _name, region in filed},
            ).values(*_EXISTING_FIELDS)
            for existing in candidates:
                row = filed.get((existing["name"], existing["region_id"]))
                if row is not None:
                    for extra in ("region__tree_id", "region__lft", "region__rght"):
                        existing.pop(extra)
                    row.existing = existing


def _first_message(message) -> str:
    if isinstance(message, list | tuple):
        return str(message[0])
    return str(message)
