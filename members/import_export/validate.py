"""Checking every row of a members import; nothing here writes.

Each row is checked as member_create would check it (ID number, dates, age,
party organization in scope and able to recruit), plus what only a file can get
wrong (the same number twice). A number already registered updates that person's
own data, but only if the file agrees on the party organization and stage:
moving a member is a transfer, advancing one is a pipeline step.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import PartyOrganization
from config.personal_data.phones import clean_phone
from members.import_export.columns import CHOICE_LOOKUPS, IMPORT_COLUMNS
from members.models import Member
from members.selectors import employer_choices
from members.services.members import (
    STAGE_DATE_FIELD,
    check_identity,
    id_number_hash,
    phone_hash,
    stage_date_errors,
)
from members.services.recruitment import recruit_refusal
from orgs.registry_io.cells import CellError, clean_cell
from orgs.uscc import normalize_uscc

HEADERS = {c.key: c.header for c in IMPORT_COLUMNS}
PERSON_FIELDS = ("name", "gender", "birth_date", "ethnicity", "education")
FORMAL = Member.Affiliation.FORMAL.value
DATE_FIELDS = tuple(STAGE_DATE_FIELD.values())


@dataclass
class CleanRow:
    row: int
    values: dict  # Member field → value (id_number and phone normalised)
    employer_uscc: str = ""
    existing_id: int | None = None
    affiliation: str | None = None  # the file's 组织关系类型, only compared (derived from the periods)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    rows: list[CleanRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.rows if r.existing_id is None)

    @property
    def update_count(self) -> int:
        return len(self.rows) - self.new_count


class MemberImportValidator:
    def __init__(self, user, *, today: date | None = None):
        self.user = user
        self.today = today or timezone.localdate()
        self.check = ImportCheck()
        self._party_orgs: dict[str, list[PartyOrganization]] = {}
        for po in (
            PartyOrganization.objects.visible_to(user)
            .filter(status="active")
            .only("pk", "name", "kind", "status")
        ):
            self._party_orgs.setdefault(po.name.strip(), []).append(po)
        self._hashes: dict[str, int] = {}

    def error(self, row: int, key: str, message) -> None:
        self.check.errors.append((row, HEADERS.get(key, ""), str(message)))

    def _cells(self, number: int, raw: dict) -> dict | None:
        values, ok = {}, True
        for column in IMPORT_COLUMNS:
            try:
                value = clean_cell(column, raw.get(column.key), CHOICE_LOOKUPS)
            except CellError as exc:
                self.error(number, column.key, exc.message)
                ok = False
                continue
            if value is None and column.required:
                self.error(number, column.key, _("This column is required."))
                ok = False
            values[column.key] = column.default if value is None and column.default is not None else value
        return values if ok else None

    def _party_organization(self, number: int, name: str) -> PartyOrganization | None:
        found = self._party_orgs.get((name or "").strip(), [])
        if len(found) == 1:
            return found[0]
        if not found:
            self.error(
                number,
                "party_organization",
                _("No active party organization named “%(name)s” inside your scope.") % {"name": name},
            )
        else:
            self.error(
                number,
                "party_organization",
                _("Several party organizations are named “%(name)s”; rename them to tell them apart.")
                % {"name": name},
            )
        return None

    def _row(self, number: int, raw: dict) -> CleanRow | None:
        cells = self._cells(number, raw)
        if cells is None:
            return None
        ok = True
        try:
            info = check_identity(
                id_number=str(cells["id_number"]),
                birth_date=cells.get("birth_date"),
                gender=cells.get("gender") or "",
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                self.error(number, key, messages[0])
            return None
        try:
            phone = clean_phone(cells.get("phone"))
        except ValidationError as exc:
            self.error(number, "phone", exc.messages[0])
            ok = False
        po = self._party_organization(number, cells["party_organization"])
        number_hash = id_number_hash(info.number)
        if number_hash in self._hashes:
            self.error(
                number,
                "id_number",
                _("The same ID number is on row %(row)d.") % {"row": self._hashes[number_hash]},
            )
            ok = False
        self._hashes.setdefault(number_hash, number)
        member = Member(
            stage=cells["stage"],
            birth_date=info.birth_date,
            **{name: cells.get(name) for name in DATE_FIELDS},
        )
        for key, message in stage_date_errors(member, self.today).items():
            self.error(number, key, message)
            ok = False
        if po is not None and cells["stage"] in ("applicant", "activist", "candidate"):
            refusal = recruit_refusal(po)
            if refusal:
                self.error(number, "party_organization", refusal)
                ok = False
        if not ok or po is None:
            return None
        values = {name: cells.get(name) or "" for name in ("name", "ethnicity", "education")}
        values.update(
            gender=info.gender,
            birth_date=info.birth_date,
            id_number=info.number,
            id_number_hash=number_hash,
            phone=phone,
            phone_hash=phone_hash(phone),
            party_organization=po,
            stage=cells["stage"],
            **{name: cells.get(name) for name in DATE_FIELDS},
        )
        row = CleanRow(
            row=number,
            values=values,
            employer_uscc=normalize_uscc(cells.get("employer_uscc") or ""),
            affiliation=cells.get("affiliation"),
        )
        row.warnings = info.warnings
        return row

    def _resolve_employers(self, rows: list[CleanRow]) -> None:
        codes = {r.employer_uscc for r in rows if r.employer_uscc}
        found = (
            dict(employer_choices(self.user).filter(uscc__in=codes).values_list("uscc", "pk"))
            if codes
            else {}
        )
        for row in rows:
            row.values["employer_id"] = None
            if row.employer_uscc:
                if row.employer_uscc in found:
                    row.values["employer_id"] = found[row.employer_uscc]
                else:
                    self.error(
                        row.row,
                        "employer_uscc",
                        _("No organization with the code %(code)s inside your scope.")
                        % {"code": row.employer_uscc},
                    )

    def _match_existing(self, rows: list[CleanRow]) -> None:
        by_hash = {r.values["id_number_hash"]: r for r in rows}
        existing = list(
            Member.objects.filter(id_number_hash__in=list(by_hash)).values(
                "pk",
                "id_number_hash",
                "party_organization_id",
                "party_organization__name",
                "stage",
                "status",
                "affiliation",
            )
        )
        visible = set(
            Member.objects.visible_to(self.user)
            .filter(pk__in=[e["pk"] for e in existing])
            .values_list("pk", flat=True)
        )
        for found in existing:
            row = by_hash[found["id_number_hash"]]
            if found["pk"] not in visible:
                self.error(
                    row.row,
                    "id_number",
                    _("This person is registered with a party organization outside your scope."),
                )
            elif found["party_organization_id"] != row.values["party_organization"].pk:
                self.error(
                    row.row,
                    "party_organization",
                    _("This person's relation is held by %(po)s; move them with a transfer, not an import.")
                    % {"po": found["party_organization__name"]},
                )
            elif found["stage"] != row.values["stage"]:
                self.error(
                    row.row,
                    "stage",
                    _("This person is registered as a %(stage)s; change the stage by the pipeline steps.")
                    % {"stage": Member.Stage(found["stage"]).label},
                )
            elif row.affiliation not in (None, found["affiliation"]):
                self._affiliation_refused(row, found["affiliation"])
            else:
                row.existing_id = found["pk"]
        registered = {found["id_number_hash"] for found in existing}
        for row in rows:  # a new person is formal until a period is recorded
            if row.values["id_number_hash"] not in registered and row.affiliation not in (None, FORMAL):
                self._affiliation_refused(row, FORMAL)

    def _affiliation_refused(self, row: CleanRow, now: str) -> None:
        """The column is derived: an import may repeat the value (an export read back), not change it."""
        self.error(
            row.row,
            "affiliation",
            _(
                "“%(value)s” cannot be set by an import (now: %(now)s). A temporary or flowing member is "
                "recorded as a period on the member's page (where, since when, which branch); leave this "
                "cell empty or as exported."
            )
            % {"value": Member.Affiliation(str(row.affiliation)).label, "now": Member.Affiliation(now).label},
        )

    def validate(self, raw_rows: list[tuple[int, dict]]) -> ImportCheck:
        rows = [row for row in (self._row(number, raw) for number, raw in raw_rows) if row is not None]
        self._resolve_employers(rows)
        self._match_existing(rows)
        self.check.rows = rows
        self.check.warnings = [(r.row, HEADERS["id_number"], w) for r in rows for w in r.warnings]
        self.check.errors.sort(key=lambda e: e[0])
        return self.check
