"""The registry import's bulk paths (issue 15): cells cleaned once per distinct value, existing
organizations matched by one array parameter, and the column-wise COPY commit (new rows by COPY,
changed ones by COPY into a temporary table + one UPDATE … FROM), all-or-nothing."""

import pytest
from django.db import connection

from config.personal_data.phones import phone_hash
from orgs.models import Organization
from orgs.uscc import make_uscc
from tests.orgs.registry_files import filed_row, registered_row, xlsx_upload

pytestmark = pytest.mark.django_db


def _codes(n: int) -> list[str]:
    return [make_uscc("social_group", "330482", 500 + i) for i in range(n)]


def test_a_bad_value_repeated_is_an_error_on_every_row_that_has_it(regions, district_staff, run_import):
    codes = _codes(4)
    rows = [
        registered_row(regions, 统一社会信用代码=codes[0], 成立日期="2019-02-30"),
        registered_row(regions, 统一社会信用代码=codes[1], 成立日期="2019-02-30", 管理方式="不知道"),
        registered_row(regions, 统一社会信用代码=codes[2], 管理方式="不知道"),
        registered_row(regions, 统一社会信用代码=codes[3]),
    ]
    job = run_import(district_staff, xlsx_upload(rows))
    assert job.status == "invalid"
    assert [(row, column) for row, column, _message in job.errors] == [
        (2, "成立日期"),
        (3, "管理方式"),
        (3, "成立日期"),
        (4, "管理方式"),
    ]
    assert Organization.objects.count() == 0


def test_a_boolean_cell_is_not_taken_for_the_number_one(regions, district_staff, run_import):
    # given: a staff count of 1, then a TRUE cell (True == 1 in Python: one cache key would merge them)
    codes = _codes(2)
    rows = [
        registered_row(regions, 统一社会信用代码=codes[0], 从业人员数=1),
        registered_row(regions, 统一社会信用代码=codes[1], 从业人员数=True),
    ]
    job = run_import(district_staff, xlsx_upload(rows))
    # then: the TRUE cell is refused, the 1 is not
    assert job.status == "invalid"
    assert [(row, column) for row, column, _message in job.errors] == [(3, "从业人员数")]


def test_reimport_creates_updates_and_leaves_alone_in_one_commit(regions, district_staff, run_import):
    # given: two registered orgs and a filed one imported
    codes = _codes(3)
    first = [
        registered_row(regions, 统一社会信用代码=codes[0], 名称="甲协会", 联系电话="0573-85000001"),
        registered_row(regions, 统一社会信用代码=codes[1], 名称="乙协会", 联系电话="0573-85000002"),
        filed_row(regions, 名称="丙队", 联系电话="0573-85000003"),
    ]
    assert run_import(district_staff, xlsx_upload(first)).created_count == 3
    # when: the file comes back with one phone changed, the filed org's address changed, one new row
    second = [
        registered_row(regions, 统一社会信用代码=codes[0], 名称="甲协会", 联系电话="0573-85000001"),
        registered_row(regions, 统一社会信用代码=codes[1], 名称="乙协会", 联系电话="139 0000 2222"),
        filed_row(regions, 名称="丙队", 联系电话="0573-85000003", 地址="和平路1号"),
        registered_row(regions, 统一社会信用代码=codes[2], 名称="丁协会"),
    ]
    job = run_import(district_staff, xlsx_upload(second))
    # then: matched by code and by name + division, nothing duplicated
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count) == ("done", 1, 2, 1)
    assert Organization.objects.count() == 4
    changed = Organization.objects.get(uscc=codes[1])
    assert changed.contact_phone == "139 0000 2222"
    assert Organization.objects.get(contact_phone_hash=phone_hash("13900002222")) == changed
    assert Organization.objects.get(name="丙队").address == "和平路1号"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orgs_organization WHERE contact_phone LIKE '%%0573%%'")
        assert cursor.fetchone()[0] == 0  # every phone stored as ciphertext


def test_a_bad_row_in_a_reimport_writes_nothing(regions, district_staff, run_import):
    codes = _codes(2)
    assert (
        run_import(district_staff, xlsx_upload([registered_row(regions, 统一社会信用代码=codes[0])])).status
        == "done"
    )
    before = list(Organization.objects.values_list("uscc", "name", "contact_phone"))
    rows = [
        registered_row(regions, 统一社会信用代码=codes[0], 名称="改名协会"),  # an update …
        registered_row(regions, 统一社会信用代码=codes[1]),  # … a create …
        registered_row(regions, 统一社会信用代码=codes[1] + "X"),  # … and a bad code
    ]
    job = run_import(district_staff, xlsx_upload(rows))
    assert job.status == "invalid" and job.error_count >= 1
    assert list(Organization.objects.values_list("uscc", "name", "contact_phone")) == before


def test_import_queries_grow_by_a_fixed_number_per_batch(regions, district_staff, run_import, monkeypatch):
    """Lookups per batch, never per row: the queries of an import (validation + commit) grow by the
    same count for each batch added, whatever the rows hold."""
    from orgs.registry_io import parse
    from tests.queries import call_queries

    monkeypatch.setattr(parse, "BATCH_SIZE", 2)
    counts = []
    for batches in (1, 1, 2, 4):  # the first run warms the per-process caches (content types…)
        Organization.objects.all().delete()
        codes = [make_uscc("social_group", "330482", 700 + 10 * batches + i) for i in range(batches)]
        rows = []
        for code in codes:  # a batch of two rows: a registered org and a filed one
            rows += [
                registered_row(regions, 统一社会信用代码=code, 名称=f"协会{code}"),
                filed_row(regions, 名称=f"队{code}"),
            ]
        queries, job = call_queries(run_import, district_staff, xlsx_upload(rows))
        assert (job.status, job.created_count) == ("done", 2 * batches)
        counts.append(queries)
    per_batch = counts[2] - counts[1]
    assert counts[3] - counts[2] == 2 * per_batch
    assert per_batch <= 6  # validation: orgs by code, filed orgs; commit: the same two, the COPY's
