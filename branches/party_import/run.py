"""Running a party import: every row through the services, in one transaction, all or nothing.

`party_import_run(file=…, actor=…, commit=False)` is the preview: it writes
everything, gathers every refusal (sheet, row, column, message) and rolls back;
with commit=True the same run stays written unless any row was refused. Rows
are written in dependency order (party organizations by their place in the
sheet, instructors, then the dated rows, dissolutions last), each in a savepoint
so one refusal does not stop the others from being checked. A row whose
external id was imported before updates (or corrects) that record.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import require_actor
from branches.models import CoverageLink, Instructor, InstructorAssignment, PartyOrganization
from branches.party_import.sheets import (
    ASSIGNMENTS,
    COVERAGE_LINKS,
    DISPATCH_LABELS,
    INSTRUCTORS,
    KIND_LABELS,
    MODE_LABELS,
    PARTY_ORGANIZATIONS,
    Sheet,
)
from branches.party_import.workbook import WorkbookError, read_rows
from branches.services.coverage import coverage_link_correct, coverage_link_create
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_correct,
    instructor_create,
    instructor_update,
)
from branches.services.party_organizations import (
    EDITABLE_FIELDS,
    party_organization_create,
    party_organization_dissolve,
    party_organization_update,
)
from orgs.models import Organization, Region
from orgs.services.external_keys import Kind as KeyKind
from orgs.services.external_keys import external_bind, external_find


@dataclass
class ImportReport:
    errors: list[dict] = field(default_factory=list)  # {"sheet", "row", "column", "message"}
    created: int = 0
    updated: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def _header(sheet: Sheet, key: str) -> str:
    return next((header for header, k, _r in sheet.columns if k == key), "")


class _Run:
    def __init__(self, actor, report: ImportReport):
        self.actor, self.report = actor, report
        self.pos: dict[str, PartyOrganization] = {}
        self.instructors: dict[str, Instructor] = {}

    # -- cells ------------------------------------------------------------------------------------

    def error(self, sheet: Sheet, row: int, key: str | None, message) -> None:
        self.report.errors.append(
            {
                "sheet": sheet.title,
                "row": row,
                "column": _header(sheet, key) if key else "",
                "message": str(message),
            }
        )

    def text(self, values, key) -> str:
        value = values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def date(self, sheet, row, values, key, errors: list) -> date | None:
        value = values.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            errors.append((key, _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}))
            return None

    def choice(self, values, key, labels: dict, errors: list) -> str:
        value = self.text(values, key)
        if not value:
            return ""
        code = labels.get(value, value)
        if code not in labels.values():
            errors.append(
                (
                    key,
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": value, "choices": "、".join(labels)},
                )
            )
        return code

    def region(self, values, key, errors: list) -> Region | None:
        code = self.text(values, key)
        region = Region.objects.visible_to(self.actor).filter(code=code).first() if code else None
        if region is None:
            errors.append(
                (key, _("No division with the code “%(code)s” inside your scope.") % {"code": code})
            )
        return region

    def organization(self, values, key, errors: list) -> Organization | None:
        code = self.text(values, key).upper()
        org = Organization.objects.visible_to(self.actor).filter(uscc=code).first() if code else None
        if org is None:
            errors.append(
                (key, _("No organization with the code “%(code)s” inside your scope.") % {"code": code})
            )
        return org

    def required(self, sheet: Sheet, values, errors: list) -> None:
        for _h, key, required in sheet.columns:
            if required and values.get(key) in (None, "") and not any(k == key for k, _m in errors):
                errors.append((key, _("This column is required.")))

    # -- one row ----------------------------------------------------------------------------------

    def write(self, sheet: Sheet, row: int, errors: list, writer) -> None:
        """Report the cell errors, or run `writer` in a savepoint and report its refusals by column."""
        if errors:
            for key, message in errors:
                self.error(sheet, row, key, message)
            return
        try:
            with transaction.atomic():
                created = writer()
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            keys = {key for _h, key, _r in sheet.columns}
            for name, messages in detail.items():
                for message in messages:
                    self.error(sheet, row, name if name in keys else None, message)
            return
        if created:
            self.report.created += 1
        else:
            self.report.updated += 1

    def party_organization(self, row, values, dissolutions: list) -> None:
        sheet = PARTY_ORGANIZATIONS
        errors: list[tuple[str, str]] = []
        fields: dict[str, Any] = {
            "name": self.text(values, "name"),
            "kind": self.choice(values, "kind", KIND_LABELS, errors),
            "building_mode": self.choice(values, "building_mode", MODE_LABELS, errors),
            "region": self.region(values, "region", errors),
            "founded_on": self.date(sheet, row, values, "founded_on", errors),
        }
        parent_key = self.text(values, "parent")
        parent = self.pos.get(parent_key) if parent_key else None
        if parent_key and parent is None:
            errors.append(
                (
                    "parent",
                    _("No party organization above in this sheet has the external id “%(id)s”.")
                    % {"id": parent_key},
                )
            )
        dissolved_on = self.date(sheet, row, values, "dissolved_on", errors)
        self.required(sheet, values, errors)
        external_id = self.text(values, "external_id")

        def writer():
            existing = external_find(
                KeyKind.PARTY_ORGANIZATION, fields["region"], external_id, PartyOrganization
            )
            if existing is not None:
                changed = {
                    k: v for k, v in fields.items() if k in EDITABLE_FIELDS and getattr(existing, k) != v
                }
                po = existing
                if changed:
                    po = party_organization_update(party_organization=existing, actor=self.actor, **changed)
                created = False
            else:
                po = party_organization_create(parent=parent, actor=self.actor, **fields)
                external_bind(KeyKind.PARTY_ORGANIZATION, fields["region"], external_id, po)
                created = True
            self.pos[external_id] = po
            if dissolved_on:
                dissolutions.append((row, po, dissolved_on))
            return created

        self.write(sheet, row, errors, writer)

    def link(self, row, values) -> None:
        sheet = COVERAGE_LINKS
        errors: list[tuple[str, str]] = []
        po_key = self.text(values, "party_organization")
        po = self.pos.get(po_key) or (
            external_find(KeyKind.PARTY_ORGANIZATION, self.actor_region(), po_key, PartyOrganization)
            if po_key
            else None
        )
        if po_key and po is None:
            errors.append(
                (
                    "party_organization",
                    _("No party organization has the external id “%(id)s”.") % {"id": po_key},
                )
            )
        org = self.organization(values, "organization", errors)
        since = self.date(sheet, row, values, "since", errors)
        until = self.date(sheet, row, values, "until", errors)
        self.required(sheet, values, errors)
        external_id = self.text(values, "external_id")

        def writer():
            # Called only when the row has no error: every required cell was read.
            assert po is not None and org is not None and since is not None
            existing = external_find(KeyKind.COVERAGE_LINK, org.region, external_id, CoverageLink)
            if existing is not None:
                coverage_link_correct(link=existing, since=since, until=until, actor=self.actor)
                return False
            link = coverage_link_create(
                party_organization=po, organization=org, since=since, until=until, actor=self.actor
            )
            external_bind(KeyKind.COVERAGE_LINK, org.region, external_id, link)
            return True

        self.write(sheet, row, errors, writer)

    def instructor(self, row, values) -> None:
        sheet = INSTRUCTORS
        errors: list[tuple[str, str]] = []
        fields: dict[str, Any] = {
            "name": self.text(values, "name"),
            "dispatched_by": self.choice(values, "dispatched_by", DISPATCH_LABELS, errors),
            "dispatching_body": self.text(values, "dispatching_body"),
            "region": self.region(values, "region", errors),
        }
        self.required(sheet, values, errors)
        external_id = self.text(values, "external_id")

        def writer():
            existing = external_find(KeyKind.INSTRUCTOR, fields["region"], external_id, Instructor)
            if existing is not None:
                self.instructors[external_id] = instructor_update(
                    instructor=existing, actor=self.actor, **fields
                )
                return False
            instructor = instructor_create(actor=self.actor, **fields)
            external_bind(KeyKind.INSTRUCTOR, fields["region"], external_id, instructor)
            self.instructors[external_id] = instructor
            return True

        self.write(sheet, row, errors, writer)

    def assignment(self, row, values) -> None:
        sheet = ASSIGNMENTS
        errors: list[tuple[str, str]] = []
        key = self.text(values, "instructor")
        instructor = self.instructors.get(key) or (
            external_find(KeyKind.INSTRUCTOR, self.actor_region(), key, Instructor) if key else None
        )
        if key and instructor is None:
            errors.append(("instructor", _("No instructor has the external id “%(id)s”.") % {"id": key}))
        org = self.organization(values, "organization", errors)
        since = self.date(sheet, row, values, "since", errors)
        until = self.date(sheet, row, values, "until", errors)
        self.required(sheet, values, errors)
        external_id = self.text(values, "external_id")

        def writer():
            # Called only when the row has no error: every required cell was read.
            assert instructor is not None and org is not None and since is not None
            existing = external_find(
                KeyKind.INSTRUCTOR_ASSIGNMENT, org.region, external_id, InstructorAssignment
            )
            if existing is not None:
                instructor_assignment_correct(assignment=existing, since=since, until=until, actor=self.actor)
                return False
            assignment = instructor_assign(
                instructor=instructor, organization=org, since=since, until=until, actor=self.actor
            )
            external_bind(KeyKind.INSTRUCTOR_ASSIGNMENT, org.region, external_id, assignment)
            return True

        self.write(sheet, row, errors, writer)

    def actor_region(self):
        """The district the actor works in (external ids are unique per district)."""
        if getattr(self.actor, "scope_region_id", None):
            return self.actor.scope_region
        return Region.objects.filter(parent__isnull=True).order_by("pk").first()

    def dissolve(self, row, po, on) -> None:
        def writer():
            current = PartyOrganization.objects.get(pk=po.pk)
            if current.status == PartyOrganization.Status.DISSOLVED and current.dissolved_on == on:
                return False
            party_organization_dissolve(party_organization=current, on=on, actor=self.actor)
            return False

        self.write(PARTY_ORGANIZATIONS, row, [], writer)


def party_import_run(*, file, actor, commit: bool, on_progress=None) -> ImportReport:
    """Preview (commit=False) or import (commit=True) a workbook; all or nothing.

    `on_progress(processed, total)` is called after each row (the job's progress bar)."""
    require_actor(actor)
    report = ImportReport()
    try:
        sheets = read_rows(file)
    except WorkbookError as exc:
        report.errors.append({"sheet": "", "row": 0, "column": "", "message": str(exc)})
        return report
    run = _Run(actor, report)
    total = sum(len(rows) for rows in sheets.values())
    done = 0

    def step():
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    try:
        with transaction.atomic():
            dissolutions: list = []
            for row, values in sheets.get(PARTY_ORGANIZATIONS.title, []):
                run.party_organization(row, values, dissolutions)
                step()
            for row, values in sheets.get(INSTRUCTORS.title, []):
                run.instructor(row, values)
                step()
            for row, values in sheets.get(COVERAGE_LINKS.title, []):
                run.link(row, values)
                step()
            for row, values in sheets.get(ASSIGNMENTS.title, []):
                run.assignment(row, values)
                step()
            for row, po, on in dissolutions:
                run.dissolve(row, po, on)
            if not commit or report.errors:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report
