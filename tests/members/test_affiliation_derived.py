"""`Member.affiliation` is derived from the temporary and flowing periods, never typed (issue 17).

Every write path that used to take it (portal and admin forms, the member API, the member import) no
longer can; the column follows the period open today through members.services.affiliations only, a
daily job re-derives it when a period stops covering today, and lists, filters and statistics agree.
"""

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.actors import AFFILIATION_SYNC, SystemActor
from members.id_numbers import make_id_number
from members.import_export.validate import MemberImportValidator
from members.models import AffiliationRecord, Member
from members.services.affiliations import (
    affiliation_drift,
    affiliation_end,
    affiliation_start,
    affiliation_sync,
)
from members.services.imports import member_import_commit
from stats.coverage.engine import coverage_figures
from tests.access import assert_role_matrix
from tests.clock import on_collection_day
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("tests")
NOW, _on_collection_day = on_collection_day()
TODAY = timezone.localdate(NOW)
AGO = TODAY - dt.timedelta(days=400)
API = "/api/v1/members/"
PERIODS = "/api/v1/member-affiliations/"


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _post_json(user, url, data):
    return _client(user).post(url, json.dumps(data, default=str), content_type="application/json")


def _flowing(member, *, starts_on=AGO, ends_on=None):
    return affiliation_start(
        member=member,
        kind="flowing",
        starts_on=starts_on,
        ends_on=ends_on,
        location="广东省深圳市",
        contact_party_organization=member.party_organization,
        actor=SYSTEM,
    )


# --- forms: the field is gone, a posted value is ignored, the value is shown read-only -----------------


def test_portal_member_forms_cannot_type_the_affiliation(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    client = _client(secretary_a)
    edit = reverse("members_portal:edit", args=[member.pk])
    assert 'name="affiliation"' not in client.get(edit).content.decode()
    assert 'name="affiliation"' not in client.get(reverse("members_portal:add")).content.decode()
    response = client.post(edit, {"name": "新名字", "ethnicity": "汉族", "affiliation": "flowing"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.affiliation) == ("新名字", "formal")  # the typed value was ignored
    response = client.post(
        reverse("members_portal:add"),
        {
            "name": "吴敏",
            "id_number": make_id_number("110101", dt.date(1995, 3, 3), 12),
            "ethnicity": "汉族",
            "party_organization": pos.branch_a.pk,
            "affiliation": "temporary",
            "stage": "applicant",
            "applied_on": "2025-01-02",
        },
    )
    assert response.status_code == 302
    assert Member.objects.get(name="吴敏").affiliation == "formal"
    _flowing(member)
    page = client.get(reverse("members_portal:detail", args=[member.pk])).content.decode()
    assert "Flowing member" in page and "Record a temporary or flowing period" in page


def test_admin_member_form_shows_affiliation_read_only(pos, superuser):
    member = MemberFactory(party_organization=pos.branch_a)
    _flowing(member)
    client = _client(superuser)
    change = reverse("admin:members_member_change", args=[member.pk])
    page = client.get(change).content.decode()
    assert 'name="affiliation"' not in page and "Flowing member" in page
    assert 'name="affiliation"' not in client.get(reverse("admin:members_member_add")).content.decode()


# --- member API: refused with a 400 naming the field and the periods endpoint --------------------------


def test_member_api_refuses_affiliation_naming_the_periods_endpoint(pos, street_staff):
    data = {
        "name": "王小明",
        "id_number": make_id_number("110101", dt.date(1990, 3, 1), 17),
        "party_organization": pos.branch_a.pk,
        "stage": "full",
        "full_on": "2015-07-01",
        "affiliation": "flowing",
    }
    response = _post_json(street_staff, API, data)
    assert response.status_code == 400, response.content
    message = response.json()["affiliation"][0]
    assert "read-only" in message and "/api/v1/member-affiliations/" in message
    assert not Member.objects.exists()
    # with another bad field, both are named in the same answer
    response = _post_json(street_staff, API, {**data, "stage": "chairman"})
    assert set(response.json()) >= {"affiliation", "stage"}
    # even "formal" is refused: the field cannot be written at all
    assert _post_json(street_staff, API, {**data, "affiliation": "formal"}).status_code == 400
    del data["affiliation"]
    response = _post_json(street_staff, API, data)
    assert response.status_code == 201 and response.json()["affiliation"] == "formal"


def test_periods_api_starts_and_ends_a_period_and_the_member_follows(pos, users):
    member = MemberFactory(party_organization=pos.branch_a)
    start = {
        "member": member.pk,
        "kind": "flowing",
        "starts_on": AGO.isoformat(),
        "contact_party_organization": pos.branch_a.pk,
    }
    response = _post_json(users["secretary_a"], PERIODS, start)  # no place
    assert response.status_code == 400 and "location" in response.json()
    # another branch's secretary does not see the member (named as a missing choice, no write)
    response = _post_json(users["secretary_b"], PERIODS, {**start, "location": "深圳"})
    assert response.status_code == 400 and "member" in response.json()
    for role, code in (("org_contact", 403), ("anonymous", 403)):
        assert _post_json(users[role], PERIODS, {**start, "location": "深圳"}).status_code == code
    assert not AffiliationRecord.objects.exists()
    response = _post_json(users["secretary_a"], PERIODS, {**start, "location": "深圳"})
    assert response.status_code == 201, response.content
    record_id = response.json()["id"]
    assert _client(users["secretary_a"]).get(f"{API}{member.pk}/").json()["affiliation"] == "flowing"
    end = f"{PERIODS}{record_id}/end/"
    assert _post_json(users["secretary_b"], end, {"ends_on": TODAY.isoformat()}).status_code == 404
    response = _post_json(users["secretary_a"], end, {"ends_on": (AGO - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "ends_on" in response.json()
    yesterday = TODAY - dt.timedelta(days=1)
    response = _post_json(users["secretary_a"], end, {"ends_on": yesterday.isoformat()})
    assert response.status_code == 200 and response.json()["ends_on"] == yesterday.isoformat()
    assert _client(users["secretary_a"]).get(f"{API}{member.pk}/").json()["affiliation"] == "formal"


@pytest.fixture
def users(role_users, secretary_a, secretary_b):
    return {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}


def test_periods_api_list_role_matrix(pos, users):
    _flowing(MemberFactory(party_organization=pos.branch_a))
    expected = {"secretary_a": 200, "secretary_b": 200, "district_staff": 200, "anonymous": 403}
    assert_role_matrix(users, PERIODS, expected)


# --- import: the column is compared, never written ------------------------------------------------------


def _raw(pos, number, *, affiliation=None, name="钱一"):
    return {
        "name": name,
        "id_number": number,
        "party_organization": pos.branch_a.name,
        "stage": "正式党员",
        "full_on": "2010-07-01",
        "affiliation": affiliation,
    }


NUMBER = make_id_number("110101", dt.date(1980, 1, 1), 11)
OTHER = make_id_number("110101", dt.date(1981, 1, 1), 13)


def test_import_refuses_a_new_person_typed_temporary_or_flowing(pos, superuser):
    check = MemberImportValidator(superuser).validate(
        [
            (2, _raw(pos, NUMBER, affiliation="流动党员")),
            (3, _raw(pos, OTHER, affiliation="正式", name="孙二")),
        ]
    )
    assert [(row, column) for row, column, _m in check.errors] == [(2, "组织关系类型")]
    message = check.errors[0][2]
    assert "cannot be set by an import" in message and "period" in message


def test_import_accepts_the_exported_value_and_refuses_a_change(pos, superuser):
    away = MemberFactory(party_organization=pos.branch_a, id_number=NUMBER, stage="full")
    _flowing(away)
    home = MemberFactory(party_organization=pos.branch_a, id_number=OTHER, stage="full")
    rows = [
        (2, _raw(pos, NUMBER, affiliation="流动党员")),  # as exported: fine
        (3, _raw(pos, OTHER, affiliation="临时", name="孙二")),  # a change: refused
    ]
    check = MemberImportValidator(superuser).validate(rows)
    assert [(row, column) for row, column, _m in check.errors] == [(3, "组织关系类型")]
    assert "Formal relation" in check.errors[0][2]
    rows[1] = (3, _raw(pos, OTHER, name="孙二"))  # the cell emptied: the person imports
    check = member_import_commit(user=superuser, raw_rows=rows)
    assert not check.errors and check.update_count == 2
    away.refresh_from_db()
    home.refresh_from_db()
    assert (away.affiliation, home.affiliation) == ("flowing", "formal")
    assert not affiliation_drift().exists()


def test_import_template_marks_the_column_as_not_imported(pos, superuser):
    import io

    from openpyxl import load_workbook

    response = _client(superuser).get(reverse("admin:members_member_import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data, help_sheet = workbook["党员名册"], workbook["填写说明"]
    headers = [cell.value for cell in data[1]]
    cell = data.cell(row=1, column=headers.index("组织关系类型") + 1)
    assert cell.fill.fgColor.rgb.endswith("A0A7AD")  # grey: like the columns an import ignores
    row = next(r for r in help_sheet.iter_rows(values_only=True) if r[0] == "组织关系类型")
    assert not row[2] and "not changed by an import" in str(row[3])


# --- the column cannot drift ------------------------------------------------------------------------


def test_every_write_path_leaves_no_drift(pos, secretary_a):
    members = [MemberFactory(party_organization=pos.branch_a) for _ in range(3)]
    _flowing(members[0])
    record = _flowing(members[1], starts_on=AGO)
    affiliation_end(record=record, ends_on=TODAY - dt.timedelta(days=2), actor=SYSTEM)
    affiliation_start(
        member=members[2],
        kind="temporary",
        starts_on=AGO,
        formal_outside_body="外地某党支部",
        holding_party_organization=pos.temporary,
        actor=SYSTEM,
    )
    assert list(Member.objects.order_by("pk").values_list("affiliation", flat=True)) == [
        "flowing",
        "formal",
        "temporary",
    ]
    assert not affiliation_drift().exists()


def test_a_period_ending_today_drifts_tomorrow_and_the_daily_job_repairs_it(pos):
    member = MemberFactory(party_organization=pos.branch_a)
    record = _flowing(member)
    affiliation_end(record=record, ends_on=TODAY, actor=SYSTEM)
    member.refresh_from_db()
    assert member.affiliation == "flowing" and not affiliation_drift().exists()  # still covers today
    tomorrow = TODAY + dt.timedelta(days=1)
    assert list(affiliation_drift(tomorrow)) == [member]
    assert affiliation_sync(actor=AFFILIATION_SYNC, day=tomorrow) == 1
    member.refresh_from_db()
    assert member.affiliation == "formal" and not affiliation_drift(tomorrow).exists()
    assert affiliation_sync(actor=AFFILIATION_SYNC, day=tomorrow) == 0  # nothing else touched


def test_sync_job_scheduled_daily_and_refuses_no_actor(pos):
    from config.celery_app import app
    from members.tasks import member_affiliation_sync_task

    entry = app.conf.beat_schedule["member-affiliation-sync-daily"]
    assert entry["task"] == "members.tasks.member_affiliation_sync_task"
    member = MemberFactory(party_organization=pos.branch_a)
    Member.objects.filter(pk=member.pk).update(affiliation="temporary")  # a legacy typed value
    assert member_affiliation_sync_task() == 1
    member.refresh_from_db()
    assert member.affiliation == "formal"
    with pytest.raises(TypeError):
        affiliation_sync(actor=None)  # type: ignore[arg-type]  # None is refused: what this test shows


WRITING_CALLS = {"Member", "create", "update", "update_or_create", "get_or_create", "member_create"}


def test_only_the_affiliation_service_writes_the_column():
    """No source outside members/services/affiliations.py sets `affiliation=` on a member (constructor,
    create, update) or assigns `.affiliation`; the demo's temporary and flowing members come from
    periods too (members/demo_affiliations.py)."""
    root = Path(settings.BASE_DIR)
    allowed = {"members/services/affiliations.py"}
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in {".venv", "node_modules", "tests", "bench"} or "/migrations/" in rel:
            continue
        if rel in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(k.arg == "affiliation" for k in node.keywords):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in WRITING_CALLS:
                    offenders.append(f"{rel}:{node.lineno}")
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr == "affiliation":
                        offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


# --- lists, filters and statistics agree ------------------------------------------------------------


def test_list_filter_api_filter_and_statistics_agree(pos, regions, secretary_a, district_staff):
    away = MemberFactory(party_organization=pos.branch_a, name="流动甲")
    _flowing(away)
    back = MemberFactory(party_organization=pos.branch_a, name="回来乙")
    affiliation_end(record=_flowing(back), ends_on=TODAY - dt.timedelta(days=1), actor=SYSTEM)
    typed = MemberFactory(party_organization=pos.branch_a, name="手填丙")
    Member.objects.filter(pk=typed.pk).update(affiliation="flowing")  # a value typed before this change
    affiliation_sync(actor=AFFILIATION_SYNC)
    page = _client(secretary_a).get(reverse("members_portal:list") + "?affiliation=flowing").content.decode()
    assert "流动甲" in page and "回来乙" not in page and "手填丙" not in page
    rows = _client(district_staff).get(API + "?affiliation=flowing").json()
    listed = [row["name"] for row in rows.get("results", rows)]
    figures = coverage_figures(region=regions.district, day=TODAY)
    assert listed == ["流动甲"] and figures.members_by_affiliation["flowing"] == len(listed)


# --- the data migration -----------------------------------------------------------------------------


def test_migration_turns_typed_values_into_periods_or_reports_them(pos):
    from auditlog.models import LogEntry

    # The people are written by today's services, at today's schema (a later migration may rename a
    # column they write); then the schema goes back to before 0009 and the typed values are set.
    flowing = MemberFactory(party_organization=pos.branch_a, name="流动", stage="full")
    temporary = MemberFactory(party_organization=pos.branch_a, name="临时", stage="full")
    applicant = MemberFactory(
        party_organization=pos.branch_a, name="申请人", stage="applicant", applied_on=dt.date(2024, 1, 1)
    )
    recorded = MemberFactory(party_organization=pos.branch_a, name="已登记", stage="full")
    _flowing(recorded)
    if connection.vendor == "postgresql":  # the rows' deferred checks now, or the tables cannot change
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("members", "0008_member_import_jobs")])
    Member.objects.filter(pk=flowing.pk).update(affiliation="flowing")
    Member.objects.filter(pk__in=[temporary.pk, applicant.pk]).update(affiliation="temporary")
    Member.objects.filter(pk=recorded.pk).update(affiliation="temporary")  # drifted from its period
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    values = dict(Member.objects.values_list("name", "affiliation"))
    assert values == {"流动": "flowing", "临时": "formal", "申请人": "formal", "已登记": "flowing"}
    made = AffiliationRecord.objects.get(member=flowing)
    assert (made.kind, made.starts_on, made.location, made.contact_party_organization) == (
        "flowing",
        TODAY,
        "未登记",
        pos.branch_a,
    )
    assert made.recorded_by_system == "members.affiliation_sync" and "迁移" in made.note
    assert AffiliationRecord.objects.filter(member=recorded).count() == 1  # not doubled
    logged = {
        entry.object_id: entry.additional_data["reason"]
        for entry in LogEntry.objects.filter(additional_data__migration__startswith="members.0009")
    }
    assert logged == {flowing.pk: "converted", temporary.pk: "temporary", applicant.pk: "ineligible"}
    assert not affiliation_drift().exists()
