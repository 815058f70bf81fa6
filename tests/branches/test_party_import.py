"""Excel import of the party side (issue 12): a bad row writes nothing and is reported by sheet, row
and column; a re-import updates by external id; the template has Chinese headers and region codes."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from branches.models import CoverageLink, Instructor, InstructorAssignment, PartyImport, PartyOrganization
from branches.party_import.run import party_import_run
from branches.party_import.sheets import ASSIGNMENTS, COVERAGE_LINKS, INSTRUCTORS, PARTY_ORGANIZATIONS
from tests.branches.factories import comprehensive_committee
from tests.orgs.factories import OrganizationFactory

D = dt.date
pytestmark = pytest.mark.django_db


def workbook(party=(), links=(), instructors=(), assignments=()) -> io.BytesIO:
    book = Workbook()
    default_sheet = book.active
    assert default_sheet is not None
    book.remove(default_sheet)
    for sheet, rows in (
        (PARTY_ORGANIZATIONS, party),
        (COVERAGE_LINKS, links),
        (INSTRUCTORS, instructors),
        (ASSIGNMENTS, assignments),
    ):
        ws = book.create_sheet(sheet.title)
        ws.append([header for header, _k, _r in sheet.columns])
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def setup(regions):
    comprehensive_committee(regions.district)
    a = OrganizationFactory(region=regions.community_a1, registered_on=D(2015, 1, 1))
    b = OrganizationFactory(region=regions.community_a1, registered_on=D(2016, 1, 1))
    return {"regions": regions, "a": a, "b": b}


def good_book(setup, *, fallback_name="青山兜底党支部", link_until="2022-12-31"):
    regions, a, b = setup["regions"], setup["a"], setup["b"]
    committee = PartyOrganization.objects.get(kind="comprehensive_committee")
    from orgs.services.external_keys import Kind, external_bind

    external_bind(Kind.PARTY_ORGANIZATION, regions.district, "PO-0", committee)
    return workbook(
        party=[
            ("PO-0", committee.name, "综合党委", "", regions.district.code, "", "2014-11-12", ""),
            (
                "PO-1",
                "青山联合党支部",
                "联合党支部",
                "联合组建",
                regions.street_a.code,
                "PO-0",
                "2016-01-01",
                "2022-12-31",
            ),
            ("PO-2", fallback_name, "党支部", "兜底", regions.street_a.code, "PO-0", "2015-06-01", ""),
        ],
        links=[
            ("LK-1", "PO-1", a.uscc, "2017-01-01", link_until),
            ("LK-2", "PO-2", a.uscc, "2022-12-31", ""),
            ("LK-3", "PO-1", b.uscc, dt.datetime(2018, 1, 1), "2020-01-01"),
        ],
        instructors=[("IN-1", "陈指导员", "街道选派", "青山街道党工委", regions.street_a.code)],
        assignments=[("AS-1", "IN-1", b.uscc, "2020-01-01", "")],
    )


def test_party_import_writes_every_sheet(setup, superuser):
    report = party_import_run(file=good_book(setup), actor=superuser, commit=True)
    assert report.errors == [] and report.committed
    po = PartyOrganization.objects.get(name="青山联合党支部")
    assert (po.status, po.dissolved_on, po.parent.kind) == (
        "dissolved",
        D(2022, 12, 31),
        "comprehensive_committee",
    )
    assert CoverageLink.objects.filter(organization=setup["a"]).count() == 2
    assert InstructorAssignment.objects.get().organization == setup["b"]


def test_party_import_preview_writes_nothing(setup, superuser):
    report = party_import_run(file=good_book(setup), actor=superuser, commit=False)
    assert report.ok and not report.committed and report.created >= 6
    assert not PartyOrganization.objects.filter(name="青山联合党支部").exists()


def test_party_import_bad_row_writes_nothing_and_names_cell(setup, superuser):
    book = good_book(setup)
    wb = load_workbook(book)
    wb[COVERAGE_LINKS.title]["D3"] = "2016-13-01"  # LK-2's start: not a date
    wb[COVERAGE_LINKS.title].append(["LK-4", "PO-2", "NOSUCHCODE", "2020-01-01", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    report = party_import_run(file=buffer, actor=superuser, commit=True)
    assert not report.committed
    cells = {(e["sheet"], e["row"], e["column"]) for e in report.errors}
    assert ("覆盖关系", 3, "起始日期") in cells
    assert ("覆盖关系", 5, "社会组织统一社会信用代码") in cells
    assert not PartyOrganization.objects.filter(name="青山联合党支部").exists()
    assert not CoverageLink.objects.exists() and not Instructor.objects.exists()


def test_party_import_refused_period_names_row_and_conflict(setup, superuser):
    book = workbook(
        party=[
            ("PO-9", "甲支部", "联合党支部", "联合组建", setup["regions"].street_a.code, "", "2019-01-01", "")
        ],
    )
    report = party_import_run(file=book, actor=superuser, commit=True)
    assert not report.committed and report.errors[0]["sheet"] == "党组织"
    assert report.errors[0]["row"] == 2


def test_party_import_reimport_updates_by_external_id(setup, superuser):
    assert party_import_run(file=good_book(setup), actor=superuser, commit=True).committed
    counts = (
        PartyOrganization.objects.count(),
        CoverageLink.objects.count(),
        InstructorAssignment.objects.count(),
    )
    report = party_import_run(
        file=good_book(setup, fallback_name="青山社会组织兜底党支部", link_until="2022-06-30"),
        actor=superuser,
        commit=True,
    )
    assert report.errors == [] and report.committed and report.created == 0
    assert (
        PartyOrganization.objects.count(),
        CoverageLink.objects.count(),
        InstructorAssignment.objects.count(),
    ) == counts
    assert CoverageLink.objects.get(organization=setup["a"], since=D(2017, 1, 1)).until == D(2022, 6, 30)
    assert PartyOrganization.objects.filter(name="青山社会组织兜底党支部").exists()


def test_party_import_template_chinese_headers_and_region_codes(setup, admin_client):
    response = admin_client.get(reverse("admin:branches_partyorganization_import_template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:4] == ["党组织", "覆盖关系", "党建指导员", "指导关系"]
    assert [c.value for c in book["党组织"][1]][:3] == ["外部编号", "名称", "类别"]
    codes = [row[0] for row in book["区划代码"].iter_rows(min_row=2, values_only=True)]
    assert setup["regions"].community_a1.code in codes


def test_party_import_admin_check_then_confirm_as_jobs(
    setup, admin_client, superuser, django_capture_on_commit_callbacks
):
    # given: the upload page
    url = reverse("admin:branches_partyorganization_import")
    assert admin_client.get(url).status_code == 200
    # when: a good workbook is uploaded (the check job runs eagerly once the upload commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"file": _upload(good_book(setup))})
    assert response.status_code == 302
    job = PartyImport.objects.get()
    page = admin_client.get(response.url)
    # then: checked, nothing written, the confirm button shown
    assert job.pk and page.context["job"].status == "valid"
    assert "Import these rows" in page.content.decode()
    assert not PartyOrganization.objects.filter(name="青山联合党支部").exists()
    # when: confirmed
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(response.url, {"action": "confirm"})
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 7)
    assert PartyOrganization.objects.filter(name="青山联合党支部").exists()
    assert "7 rows added" in admin_client.get(response.url).content.decode()
    assert not job.file  # the workbook is not kept once the job has ended


def test_party_import_job_bad_row_writes_nothing_and_lists_cell(
    setup, admin_client, django_capture_on_commit_callbacks
):
    regions = setup["regions"]
    book = workbook(party=[("PO-9", "错误党支部", "不知道", "", regions.street_a.code, "", "2016-01-01", "")])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:branches_partyorganization_import"), {"file": _upload(book)}
        )
    page = admin_client.get(response.url)
    job = page.context["job"]
    assert job.status == "invalid"
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("党组织", 2, "类别")]
    assert "Import these rows" not in page.content.decode()
    assert not PartyOrganization.objects.filter(name="错误党支部").exists()


def test_party_import_job_archive_bomb_refused_before_parsing(
    setup, superuser, django_capture_on_commit_callbacks
):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.party_import.jobs import party_import_create

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (80 * 1024 * 1024))
    with django_capture_on_commit_callbacks(execute=True):
        job = party_import_create(
            actor=superuser, file=SimpleUploadedFile("bomb.xlsx", buffer.getvalue()), language="en"
        )
    job.refresh_from_db()
    assert job.status == "invalid" and "unpacks to more than" in job.errors[0]["message"]


def test_party_import_job_failed_shows_reason_and_staff_retry(
    setup, admin_client, superuser, django_capture_on_commit_callbacks, monkeypatch
):
    from branches.party_import import jobs

    def boom(*args, **kwargs):
        raise RuntimeError("worker died")

    # given: a check that dies (a defect or a killed worker)
    monkeypatch.setattr(jobs, "party_import_run", boom)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:branches_partyorganization_import"), {"file": _upload(good_book(setup))}
        )
    job = PartyImport.objects.get()
    page = admin_client.get(reverse("admin:branches_partyorganization_import_job", args=[job.pk]))
    # then: failed, the reason and a retry button shown, nothing written
    assert page.context["job"].status == "failed"
    assert "nothing was written" in page.content.decode() and "Retry this import" in page.content.decode()
    # when: staff retry once the cause is gone
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(page.request["PATH_INFO"], {"action": "retry"})
    job.refresh_from_db()
    assert job.status == "valid"


def test_party_import_job_stale_marked_failed(setup, superuser):
    from datetime import timedelta

    from django.utils import timezone

    from branches.party_import.jobs import party_import_fail_stale

    job = PartyImport.objects.create(original_name="x.xlsx", created_by=superuser, status="importing")
    PartyImport.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert party_import_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "Retry it" in job.failure_message


def test_party_import_job_page_scope(setup, superuser, role_users, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.party_import.jobs import party_import_create

    with django_capture_on_commit_callbacks(execute=True):
        job = party_import_create(
            actor=superuser, file=SimpleUploadedFile("p.xlsx", good_book(setup).getvalue()), language="en"
        )
    url = reverse("admin:branches_partyorganization_import_job", args=[job.pk])
    for role, expected in (
        ("superuser", 200),
        ("district_staff", 404),
        ("secretary", 302),
        ("anonymous", 302),
    ):
        client = Client()
        if role_users[role] is not None:
            client.force_login(role_users[role])
        assert client.get(url).status_code == expected, role


def test_party_import_job_refuses_no_actor(setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.party_import.jobs import party_import_create

    with pytest.raises(TypeError):
        party_import_create(actor=None, file=SimpleUploadedFile("p.xlsx", b"x"), language="en")


def test_party_import_admin_scope(setup, role_users):
    url = reverse("admin:branches_partyorganization_import")
    for role, expected in (("secretary", 302), ("anonymous", 302)):
        client = Client()
        if role_users[role] is not None:
            client.force_login(role_users[role])
        assert client.get(url).status_code == expected, role


def _upload(buffer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("party.xlsx", buffer.getvalue())


def test_party_import_job_reimport_updates_by_external_id(
    setup, superuser, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from branches.party_import.jobs import party_import_create, party_import_request_commit

    def run_job(book):
        with django_capture_on_commit_callbacks(execute=True):
            job = party_import_create(
                actor=superuser, file=SimpleUploadedFile("p.xlsx", book.getvalue()), language="en"
            )
        with django_capture_on_commit_callbacks(execute=True):
            party_import_request_commit(job=job, actor=superuser)
        job.refresh_from_db()
        return job

    # given: the workbook imported once
    first = run_job(good_book(setup))
    counts = (PartyOrganization.objects.count(), CoverageLink.objects.count())
    # when: imported again with a renamed branch and a link's corrected end date
    second = run_job(good_book(setup, fallback_name="青山兜底党支部（更名）", link_until="2022-06-30"))
    # then: updated, not duplicated
    assert (first.status, second.status) == ("done", "done")
    assert second.created_count == 0 and second.updated_count == first.created_count + first.updated_count
    assert (PartyOrganization.objects.count(), CoverageLink.objects.count()) == counts
    assert PartyOrganization.objects.filter(name="青山兜底党支部（更名）").exists()
    assert CoverageLink.objects.get(until=D(2022, 6, 30)).organization == setup["a"]
