import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from members.id_numbers import make_id_number
from members.models import Member, MemberImport, RevealLog, StageChange
from tests.members.admin_forms import ADD, logged_in, member_add_data
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:members_member_changelist")


def _change_url(member):
    return reverse("admin:members_member_change", args=[member.pk])


def _reveal_url(member):
    return reverse("admin:members_member_reveal", args=[member.pk])


def test_member_admin_changelist_masks_personal_data(pos, superuser):
    member = MemberFactory(phone="13812345678")
    body = logged_in(superuser).get(CHANGELIST).content.decode()
    assert member.id_number_masked in body and "138****5678" in body
    assert member.id_number not in body and "13812345678" not in body


def test_member_admin_change_form_never_prefills_id_or_phone(pos, superuser):
    member = MemberFactory(phone="13812345678")
    response = logged_in(superuser).get(_change_url(member))
    body = response.content.decode()
    assert response.status_code == 200
    assert member.id_number not in body and "13812345678" not in body
    assert member.id_number_masked in body


def test_member_admin_search_by_exact_id_number(pos, superuser):
    member, other = MemberFactory(), MemberFactory()
    response = logged_in(superuser).get(CHANGELIST, {"q": member.id_number.lower()})
    assert list(response.context["cl"].result_list) == [member]
    assert other not in response.context["cl"].result_list


def test_member_admin_find_by_id_number_post_redirects_to_member(pos, street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    other = MemberFactory(party_organization=pos.branch_b)
    client = logged_in(street_staff)
    url = reverse("admin:members_member_find")
    response = client.post(url, {"id_number": member.id_number.lower()})
    assert response.status_code == 302 and response["Location"] == _change_url(member)
    missed = client.post(url, {"id_number": other.id_number})  # outside street A
    assert missed.status_code == 200 and missed.context["form"].errors["id_number"]
    assert other.id_number not in missed.content.decode()


def test_member_admin_search_by_name(pos, superuser):
    member = MemberFactory(name="欧阳明月")
    MemberFactory(name="张三")
    response = logged_in(superuser).get(CHANGELIST, {"q": "明月"})
    assert list(response.context["cl"].result_list) == [member]


def test_member_admin_filters_stage_status_po_street(pos, superuser, regions):
    full_a = MemberFactory(party_organization=pos.branch_a)
    applicant_a2 = MemberFactory(party_organization=pos.branch_a2, stage="applicant")
    full_b = MemberFactory(party_organization=pos.branch_b)
    client = logged_in(superuser)

    def result(query):
        return set(client.get(CHANGELIST, query).context["cl"].result_list)

    assert result({"stage__exact": "applicant"}) == {applicant_a2}
    assert result({"po": str(pos.branch_b.pk)}) == {full_b}
    assert result({"street": regions.street_a.code}) == {full_a, applicant_a2}
    assert result({"status__exact": "active", "stage__exact": "full"}) == {full_a, full_b}


def test_member_admin_street_staff_sees_own_street_only(pos, street_staff):
    own = MemberFactory(party_organization=pos.branch_a)
    other = MemberFactory(party_organization=pos.branch_b)
    client = logged_in(street_staff)
    assert set(client.get(CHANGELIST).context["cl"].result_list) == {own}
    assert client.get(_change_url(other)).status_code == 404


def test_member_admin_secretary_has_no_admin(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    assert logged_in(secretary_a).get(_change_url(member)).status_code == 302  # to the admin login


def test_member_admin_add_writes_through_service(pos, district_staff):
    response = logged_in(district_staff).post(ADD, member_add_data(pos))
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="赵六")
    assert (member.gender, member.birth_date, member.phone) == ("male", dt.date(1990, 1, 2), "13912345678")
    assert StageChange.objects.filter(member=member, recorded_by=district_staff).exists()


def test_member_admin_add_bad_check_char_shown_on_field(pos, superuser):
    number = make_id_number("110101", dt.date(1990, 1, 2), 11)
    bad = number[:17] + ("1" if number[17] != "1" else "2")
    response = logged_in(superuser).post(ADD, member_add_data(pos, id_number=bad))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "id_number" in errors and number[17] in errors["id_number"][0]
    assert not Member.objects.exists()


def test_member_admin_add_outside_scope_refused(pos, street_staff):
    response = logged_in(street_staff).post(ADD, member_add_data(pos, party_organization=pos.branch_b.pk))
    assert response.status_code == 200
    assert "party_organization" in response.context["adminform"].form.errors
    assert not Member.objects.exists()


def test_member_admin_change_empty_id_keeps_number(pos, superuser):
    member = MemberFactory(phone="13812345678")
    data = member_add_data(pos, name="改名", id_number="", phone="", gender="", birth_date="")
    response = logged_in(superuser).post(_change_url(member), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.name, fresh.id_number, fresh.phone) == ("改名", member.id_number, "13812345678")


def test_member_admin_changelist_query_count_constant(pos, superuser):
    client = logged_in(superuser)
    MemberFactory.create_batch(5, party_organization=pos.branch_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CHANGELIST).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    MemberFactory.create_batch(45, party_organization=pos.branch_b)
    assert count() == small


# --- reveal -----------------------------------------------------------------------------------------


def test_member_admin_reveal_get_shows_masked_only_and_logs_nothing(pos, superuser):
    member = MemberFactory()
    body = logged_in(superuser).get(_reveal_url(member)).content.decode()
    assert member.id_number_masked in body and member.id_number not in body
    assert not RevealLog.objects.exists()


def test_member_admin_reveal_post_shows_value_and_logs(pos, street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    response = logged_in(street_staff).post(_reveal_url(member), {"field": "id_number", "reason": "核对档案"})
    assert response.status_code == 200
    assert member.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert RevealLog.objects.filter(
        member=member, user=street_staff, field="id_number", reason="核对档案"
    ).exists()


def test_member_admin_reveal_without_reason_refused(pos, superuser):
    member = MemberFactory()
    response = logged_in(superuser).post(_reveal_url(member), {"field": "id_number", "reason": ""})
    assert member.id_number not in response.content.decode()
    assert not RevealLog.objects.exists()


def test_member_admin_reveal_out_of_scope_404(pos, other_street_staff):
    member = MemberFactory(party_organization=pos.branch_a)
    response = logged_in(other_street_staff).post(_reveal_url(member), {"field": "id_number", "reason": "x"})
    assert response.status_code == 404
    assert not RevealLog.objects.exists()


# --- export / import --------------------------------------------------------------------------------


def test_member_admin_export_masks_personal_data(pos, superuser):
    member = MemberFactory(phone="13812345678")
    response = logged_in(superuser).post(
        CHANGELIST, {"action": "export_xlsx", "_selected_action": [member.pk]}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert member.id_number_masked in cells and "138****5678" in cells
    assert member.id_number not in cells and "13812345678" not in cells


HEADERS = ["姓名", "公民身份号码", "性别", "所在党组织", "发展阶段", "申请入党日期", "转正日期", "联系电话"]


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "members.xlsx"
    return data


IMPORT = reverse("admin:members_member_import")


def _good_rows(pos):
    return [
        [
            "钱一",
            make_id_number("110101", dt.date(1980, 1, 1), 11),
            "男",
            pos.branch_a.name,
            "正式党员",
            None,
            "2010-07-01",
            "13800000001",
        ],
        [
            "孙二",
            make_id_number("110101", dt.date(1985, 2, 2), 22),
            "",
            pos.branch_a.name,
            "入党申请人",
            "2024-03-01",
            None,
            None,
        ],
    ]


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """POST the file to the import page; the check runs in the (eager) worker task; returns the job."""

    def run(client, data) -> MemberImport:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(IMPORT, {"file": data})
        assert response.status_code == 302, response.content[:500]
        job = MemberImport.objects.latest("pk")
        assert response["Location"] == reverse("admin:members_member_import_job", args=[job.pk])
        return job

    return run


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """POST an action ("commit", "retry") on the job's page, running the task it queues."""

    def run(client, job, action):
        url = reverse("admin:members_member_import_job", args=[job.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": action})
        job.refresh_from_db()
        return response

    return run


def test_member_import_valid_file_checked_in_the_job_then_committed(pos, superuser, upload, act):
    client = logged_in(superuser)
    job = upload(client, _xlsx(_good_rows(pos)))
    assert not Member.objects.exists()  # the check writes nothing
    assert (job.status, job.errors, job.new_count) == ("valid", [], 2)
    page = client.get(reverse("admin:members_member_import_job", args=[job.pk]))
    assert "Import these rows" in page.content.decode()
    act(client, job, "commit")
    assert job.status == "done"
    assert set(Member.objects.values_list("name", "stage")) == {("钱一", "full"), ("孙二", "applicant")}
    assert StageChange.objects.count() == 2
    assert not job.file  # the workbook (full ID numbers) is gone once the job ended


def test_member_import_bad_rows_listed_and_nothing_written(pos, superuser, upload):
    rows = _good_rows(pos)
    rows[1][1] = rows[1][1][:17] + ("1" if rows[1][1][17] != "1" else "2")  # wrong check character
    rows.append(
        [
            "李三",
            make_id_number("110101", dt.date(2010, 1, 1), 11),
            "",
            pos.branch_a.name,
            "入党申请人",
            "2024-03-01",
            None,
            None,
        ]
    )
    rows.append(["周四", rows[0][1], "", "不存在的支部", "正式党员", None, "2010-07-01", None])
    client = logged_in(superuser)
    job = upload(client, _xlsx(rows))
    by_row = {(row, column) for row, column, _message in job.errors}
    assert (3, "公民身份号码") in by_row  # check character
    assert (4, "申请入党日期") in by_row  # under 18 at application
    assert (5, "所在党组织") in by_row
    assert job.status == "invalid" and not job.file
    page = client.get(reverse("admin:members_member_import_job", args=[job.pk])).content.decode()
    assert "所在党组织" in page and "import-error" in page  # the errors are listed on the job's page
    assert "Import these rows" not in page
    assert not Member.objects.exists()


def test_member_import_commit_revalidates_all_or_nothing(pos, superuser, upload, act):
    client = logged_in(superuser)
    job = upload(client, _xlsx(_good_rows(pos)))
    # someone registers the first person between the check and the commit, in another branch
    MemberFactory(id_number=_good_rows(pos)[0][1], party_organization=pos.branch_b)
    act(client, job, "commit")
    assert job.status == "invalid" and job.errors
    assert Member.objects.count() == 1  # only the one registered meanwhile


def test_member_import_existing_person_updates_own_data(pos, superuser, upload, act):
    existing = MemberFactory(id_number=_good_rows(pos)[0][1], party_organization=pos.branch_a, phone="")
    client = logged_in(superuser)
    job = upload(client, _xlsx(_good_rows(pos)[:1]))
    assert job.update_count == 1
    act(client, job, "commit")
    existing.refresh_from_db()
    assert (existing.name, existing.phone, Member.objects.count()) == ("钱一", "13800000001", 1)


def test_member_import_export_cannot_be_reimported(pos, superuser, upload):
    member = MemberFactory(party_organization=pos.branch_a)
    client = logged_in(superuser)
    exported = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [member.pk]})
    data = io.BytesIO(exported.getvalue())
    data.name = "export.xlsx"
    errors = upload(client, data).errors
    assert errors and errors[0][1] == "公民身份号码"


def test_member_import_staff_outside_scope_party_organization_refused(pos, street_staff, upload):
    rows = _good_rows(pos)
    rows[0][3] = pos.branch_b.name
    errors = upload(logged_in(street_staff), _xlsx(rows)).errors
    assert [(r, c) for r, c, _m in errors] == [(2, "所在党组织")]


def test_member_import_job_of_another_user_answers_404(pos, superuser, street_staff, upload):
    job = upload(logged_in(superuser), _xlsx(_good_rows(pos)))
    url = reverse("admin:members_member_import_job", args=[job.pk])
    assert logged_in(street_staff).get(url).status_code == 404
    assert logged_in(street_staff).post(url, {"action": "commit"}).status_code == 404
    job.refresh_from_db()
    assert job.status == "valid"


def test_member_import_not_an_xlsx_refused(pos, superuser):
    data = io.BytesIO(b"name,id\n")
    data.name = "members.xlsx"
    response = logged_in(superuser).post(IMPORT, {"file": data})
    assert response.context["form"].errors
