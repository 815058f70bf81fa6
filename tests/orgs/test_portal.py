"""The org contact's portal pages (/portal/org/) and the services behind them."""

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from orgs.models import AnnualInspection, Organization
from orgs.services.inspections import inspection_file_party_section, inspection_report_year
from orgs.services.profiles import organization_update_profile
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.orgs.factories import AnnualInspectionFactory, OrganizationFactory

SECTION = {
    "has_party_organization": "yes",
    "no_party_organization_reason": "",
    "full_members_employed": "4",
    "party_activities_held": "12",
    "party_activities_summary": "每月主题党日，开展志愿服务。",
    "instructor_name": "李指导",
}


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Mid-March 2026: the 2025 inspection is being filed, before both deadlines."""
    time_machine.move_to(dt.datetime(2026, 3, 15, 10, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def org(regions):
    return OrganizationFactory(
        name="和平社区养老服务中心",
        short_name="和平养老",
        region=regions.community_a1,
        contact_phone="0573-85120001",
        legal_representative="张建华",
        staff_count=8,
    )


@pytest.fixture
def other_org(regions):
    return OrganizationFactory(name="朝阳社区文体协会", kind="social_group", region=regions.community_b1)


@pytest.fixture
def contact(org):
    return UserFactory(role=Role.ORG_CONTACT, organization=org, username="org_a_contact")


@pytest.fixture
def contact_client(client, contact):
    client.force_login(contact)
    return client


def _profile_post(org, **changes):
    data = {
        "short_name": org.short_name,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "website": org.website,
        "staff_count": str(org.staff_count),
        "description": org.description,
    }
    data.update(changes)
    return data


def _png(size=(900, 300)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(buf, format="PNG")
    return SimpleUploadedFile("logo.png", buf.getvalue(), content_type="image/png")


# --- access ---------------------------------------------------------------------------------------


def test_portal_org_detail_role_matrix_only_own_contact_gets_200(role_users, org, contact):
    url = reverse("orgs_portal:detail", args=[org.pk])
    users = {**role_users, "own_contact": contact}
    expected = {
        "own_contact": 200,
        "org_contact": 404,  # a contact with no organization linked
        "superuser": 404,  # staff keep the registry in the admin
        "district_staff": 404,
        "street_staff": 404,
        "secretary": 404,
        "anonymous": 302,
    }
    assert_role_matrix(users, url, expected)


@pytest.mark.parametrize("name", ["detail", "edit", "inspection"])
def test_portal_org_pages_other_orgs_id_is_404_for_a_contact(contact_client, other_org, name):
    response = contact_client.get(reverse(f"orgs_portal:{name}", args=[other_org.pk]))
    assert response.status_code == 404


def test_portal_org_post_to_other_org_writes_nothing(contact_client, other_org):
    response = contact_client.post(
        reverse("orgs_portal:edit", args=[other_org.pk]), _profile_post(other_org, short_name="偷改")
    )
    assert response.status_code == 404
    other_org.refresh_from_db()
    assert other_org.short_name != "偷改"


def test_portal_org_home_redirects_contact_to_own_org(contact_client, org):
    response = contact_client.get("/portal/org/")
    assert response.status_code == 302
    assert response.url == f"/portal/org/{org.pk}/"


def test_portal_org_home_anonymous_redirected_to_login(client):
    response = client.get("/portal/org/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_portal_org_detail_shows_own_profile_with_sidebar_links_and_deadlines(contact_client, org):
    html = contact_client.get(reverse("orgs_portal:detail", args=[org.pk])).content.decode()
    assert "和平社区养老服务中心" in html and "0573-85120001" in html and "张建华" in html
    assert f'href="/portal/org/{org.pk}/inspection/"' in html
    assert 'class="portal-sidebar"' in html
    # the 2025 inspection is due in 2026: supervisor 31 March, registry 31 May
    assert "2026年3月31日" in html and "2026年5月31日" in html


# --- profile --------------------------------------------------------------------------------------


def test_portal_org_edit_valid_post_saves_own_fields_ignores_identity_fields(contact_client, org):
    name, uscc, region_id = org.name, org.uscc, org.region_id
    data = _profile_post(
        org,
        short_name="和平颐养",
        contact_phone="138 1234 5678",
        website="heping.example.cn",
        staff_count="12",
        address="和平路1号",
        # not the contact's to keep: ignored
        name="改名组织",
        uscc="",
        legal_representative="冒名",
        is_public="",
    )
    response = contact_client.post(reverse("orgs_portal:edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.short_name, org.contact_phone, org.website, org.staff_count, org.address) == (
        "和平颐养",
        "13812345678",
        "https://heping.example.cn",
        12,
        "和平路1号",
    )
    assert (org.name, org.uscc, org.region_id, org.legal_representative) == (name, uscc, region_id, "张建华")
    assert org.is_public is True


def test_portal_org_edit_bad_values_named_per_field_and_nothing_written(contact_client, org):
    # given a post with a good short name but a bad phone, website and staff count
    data = _profile_post(
        org, short_name="新简称", contact_phone="12345", website="not a url", staff_count="-3"
    )
    # when
    response = contact_client.post(reverse("orgs_portal:edit", args=[org.pk]), data)
    # then the page comes back with an error on each bad field, under its label
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"contact_phone", "website", "staff_count"}
    html = response.content.decode()
    for field in ("contact_phone", "website", "staff_count"):
        label = str(form.fields[field].label)
        assert f'<a href="#id_{field}">{label}</a>' in html
    org.refresh_from_db()
    assert org.short_name == "和平养老"


def test_portal_org_edit_bad_phone_reported_on_phone_field_nothing_written(contact_client, org):
    data = _profile_post(org, short_name="新简称", contact_phone="12345")
    response = contact_client.post(reverse("orgs_portal:edit", args=[org.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contact_phone"]
    assert 'href="#id_contact_phone"' in response.content.decode()
    org.refresh_from_db()
    assert (org.short_name, org.contact_phone) == ("和平养老", "0573-85120001")


def test_portal_org_edit_logo_upload_reencoded_and_resized(contact_client, org):
    data = _profile_post(org, logo=_png((1024, 256)))
    response = contact_client.post(reverse("orgs_portal:edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith("orgs/logos/") and org.logo.name.endswith(".png")
    with org.logo.open("rb") as f:
        assert Image.open(f).size == (512, 128)


def test_portal_org_edit_non_image_logo_refused_on_logo_field_nothing_written(contact_client, org):
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not really a png" * 10, content_type="image/png")
    data = _profile_post(org, short_name="改了简称", logo=fake)
    response = contact_client.post(reverse("orgs_portal:edit", args=[org.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["logo"]
    org.refresh_from_db()
    assert org.short_name == "和平养老" and not org.logo


def test_organization_update_profile_identity_field_is_a_programming_error(org, contact):
    with pytest.raises(TypeError):
        organization_update_profile(organization=org, actor=contact, name="改名")


@pytest.mark.parametrize("who", ["other_contact", "secretary", "anonymous"])
def test_organization_update_profile_refused_for_others(org, other_org, secretary, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "other_contact": UserFactory(role=Role.ORG_CONTACT, organization=other_org),
        "secretary": secretary,
        "anonymous": AnonymousUser(),
    }[who]
    with pytest.raises(PermissionDenied):
        organization_update_profile(organization=org, actor=actor, short_name="x")


def test_organization_update_profile_street_staff_of_other_street_refused(org, other_street_staff):
    with pytest.raises(PermissionDenied):
        organization_update_profile(organization=org, actor=other_street_staff, short_name="x")


def test_organization_update_profile_deregistered_org_refused(regions):
    gone = OrganizationFactory(status="deregistered", status_changed_on=dt.date(2025, 6, 1))
    contact = UserFactory(role=Role.ORG_CONTACT, organization=gone)
    with pytest.raises(ValidationError):
        organization_update_profile(organization=gone, actor=contact, short_name="x")


def test_organization_update_profile_collects_every_bad_field(org, contact):
    with pytest.raises(ValidationError) as exc:
        organization_update_profile(
            organization=org, actor=contact, contact_phone="abc", website="nope", staff_count=-1
        )
    assert set(exc.value.message_dict) == {"contact_phone", "website", "staff_count"}
    org.refresh_from_db()
    assert org.contact_phone == "0573-85120001"


def test_organization_update_profile_replacing_logo_deletes_old_file(
    org, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organization_update_profile(organization=org, actor=contact, logo=_png())
    first = Organization.objects.get(pk=org.pk).logo
    storage, first_name = first.storage, first.name
    with django_capture_on_commit_callbacks(execute=True):
        organization_update_profile(organization=org, actor=contact, logo=_png((300, 300)))
    assert first_name is not None and not storage.exists(first_name)
    second_name = Organization.objects.get(pk=org.pk).logo.name
    assert second_name is not None and storage.exists(second_name)


# --- party-building section of the annual inspection -------------------------------------------


def test_inspection_report_year_is_the_previous_calendar_year():
    assert inspection_report_year(dt.date(2026, 3, 15)) == 2025
    assert inspection_report_year(dt.date(2026, 11, 21)) == 2025
    assert inspection_report_year(dt.date(2027, 1, 1)) == 2026


def test_portal_inspection_post_files_section_for_last_year(contact_client, contact, org):
    response = contact_client.post(reverse("orgs_portal:inspection", args=[org.pk]), SECTION)
    assert response.status_code == 302
    inspection = AnnualInspection.objects.get(organization=org)
    assert inspection.year == 2025
    assert inspection.has_party_organization is True
    assert (inspection.full_members_employed, inspection.party_activities_held) == (4, 12)
    assert inspection.instructor_name == "李指导"
    assert inspection.party_section_filed_by == contact
    assert inspection.party_section_filed_at is not None
    assert inspection.result == AnnualInspection.Result.NOT_FILED  # the registry's to set


def test_portal_inspection_second_filing_updates_the_same_row(contact_client, org):
    url = reverse("orgs_portal:inspection", args=[org.pk])
    contact_client.post(url, SECTION)
    contact_client.post(url, {**SECTION, "party_activities_held": "15"})
    assert AnnualInspection.objects.filter(organization=org).count() == 1
    assert AnnualInspection.objects.get(organization=org).party_activities_held == 15


def test_portal_inspection_form_prefilled_from_earlier_filing(contact_client, org):
    url = reverse("orgs_portal:inspection", args=[org.pk])
    contact_client.post(url, SECTION)
    form = contact_client.get(url).context["form"]
    assert form.initial["has_party_organization"] == "yes"
    assert form.initial["party_activities_held"] == 12


def test_portal_inspection_no_party_organization_without_reason_refused(contact_client, org):
    data = {**SECTION, "has_party_organization": "no", "no_party_organization_reason": "  "}
    response = contact_client.post(reverse("orgs_portal:inspection", args=[org.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["no_party_organization_reason"]
    assert not AnnualInspection.objects.filter(organization=org).exists()


def test_portal_inspection_negative_counts_refused_per_field(contact_client, org):
    data = {**SECTION, "full_members_employed": "-1", "party_activities_held": "-2"}
    response = contact_client.post(reverse("orgs_portal:inspection", args=[org.pk]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_members_employed", "party_activities_held"}
    assert not AnnualInspection.objects.exists()


def test_portal_inspection_page_late_after_registry_deadline(client, contact, org, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(contact)
    response = client.get(reverse("orgs_portal:inspection", args=[org.pk]))
    assert response.context["late"] is True
    assert response.context["report_year"] == 2025


@pytest.mark.parametrize(
    ("fields", "late"),
    [
        ({"result": "qualified", "registry_filed_on": dt.date(2026, 5, 20)}, False),
        ({"result": "basically_qualified", "registry_filed_on": None}, False),
        ({"result": "not_filed", "registry_filed_on": dt.date(2026, 5, 30)}, False),
        ({"result": "not_filed", "registry_filed_on": None}, True),
    ],
)
def test_portal_org_detail_late_banner_only_while_inspection_unsettled(
    client, contact, org, time_machine, fields, late
):
    # given the 2025 inspection in some state, and a day after the registry deadline
    AnnualInspectionFactory(organization=org, year=2025, **fields)
    time_machine.move_to(dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(contact)
    # when
    detail = client.get(reverse("orgs_portal:detail", args=[org.pk]))
    form = client.get(reverse("orgs_portal:inspection", args=[org.pk]))
    # then the red "deadline passed" banner shows only while the inspection is still owed
    banner = "The registry deadline has passed"
    for response in (detail, form):
        assert response.context["late"] is late
        assert (banner in response.content.decode()) is late


def test_portal_inspection_filed_community_org_shows_reason_and_refuses_post(client, regions):
    filed = OrganizationFactory(
        name="和平社区读书会", kind="community", registration="filed", region=regions.community_a1
    )
    client.force_login(UserFactory(role=Role.ORG_CONTACT, organization=filed))
    url = reverse("orgs_portal:inspection", args=[filed.pk])
    page = client.get(url)
    assert page.context["not_owed_reason"]
    assert "和平社区读书会" in page.context["not_owed_reason"]
    assert b'name="full_members_employed"' not in page.content
    client.post(url, SECTION)
    assert not AnnualInspection.objects.filter(organization=filed).exists()


def _file(org, actor, year=2025, **overrides):
    kwargs: dict[str, Any] = {
        "has_party_organization": True,
        "no_party_organization_reason": "",
        "full_members_employed": 3,
        "party_activities_held": 6,
        "party_activities_summary": "",
        "instructor_name": "",
    }
    kwargs.update(overrides)
    return inspection_file_party_section(organization=org, year=year, actor=actor, **kwargs)


def test_inspection_file_party_section_filed_org_refused_with_clear_reason(regions):
    filed = OrganizationFactory(name="新华社区舞蹈队", kind="community", registration="filed")
    actor = UserFactory(role=Role.ORG_CONTACT, organization=filed)
    with pytest.raises(ValidationError) as exc:
        _file(filed, actor)
    assert exc.value.code == "inspection_not_owed"
    assert "新华社区舞蹈队" in exc.value.messages[0]


def test_inspection_file_party_section_recently_registered_org_refused(regions):
    new = OrganizationFactory(name="新设服务中心", registered_on=dt.date(2025, 9, 1))
    actor = UserFactory(role=Role.ORG_CONTACT, organization=new)
    with pytest.raises(ValidationError) as exc:
        _file(new, actor)
    assert exc.value.code == "inspection_not_owed"
    assert "2025年9月1日" in exc.value.messages[0]
    assert not AnnualInspection.objects.exists()


def test_inspection_file_party_section_current_year_refused(org, contact):
    with pytest.raises(ValidationError) as exc:
        _file(org, contact, year=2026)
    assert "year" in exc.value.message_dict


def test_inspection_file_party_section_reason_dropped_when_organization_present(org, contact):
    inspection = _file(org, contact, no_party_organization_reason="旧理由")
    assert inspection.no_party_organization_reason == ""


@pytest.mark.parametrize("value", [-1, "x", None, True])
def test_inspection_file_party_section_bad_counts_named(org, contact, value):
    with pytest.raises(ValidationError) as exc:
        _file(org, contact, full_members_employed=value)
    assert list(exc.value.message_dict) == ["full_members_employed"]


def test_inspection_file_party_section_missing_answer_named(org, contact):
    with pytest.raises(ValidationError) as exc:
        _file(org, contact, has_party_organization=None)
    assert "has_party_organization" in exc.value.message_dict


def test_inspection_file_party_section_after_registry_result_contact_refused_staff_allowed(
    org, contact, street_staff
):
    AnnualInspectionFactory(organization=org, year=2025, result=AnnualInspection.Result.QUALIFIED)
    with pytest.raises(ValidationError) as exc:
        _file(org, contact, party_activities_held=99)
    assert exc.value.code == "inspection_closed"
    inspection = _file(org, street_staff, party_activities_held=99)
    assert inspection.party_activities_held == 99
    assert inspection.party_section_filed_by == street_staff


def test_inspection_file_party_section_other_orgs_contact_refused(org, other_org):
    intruder = UserFactory(role=Role.ORG_CONTACT, organization=other_org)
    with pytest.raises(PermissionDenied):
        _file(org, intruder)
    assert not AnnualInspection.objects.exists()


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "inspection", "edit"])
def test_portal_org_pages_query_count_does_not_grow_with_history(contact_client, org, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.orgs.factories import GradeAwardFactory

    url = reverse(f"orgs_portal:{name}", args=[org.pk])
    with CaptureQueriesContext(connection) as small:
        assert contact_client.get(url).status_code == 200
    # given years of inspections and grades, and many other organizations
    for year in range(2015, 2025):
        AnnualInspectionFactory(organization=org, year=year)
    GradeAwardFactory(organization=org, grade=3, announced_on=dt.date(2020, 11, 1))
    GradeAwardFactory(organization=org, grade=4, announced_on=dt.date(2024, 11, 1))
    for _ in range(10):
        OrganizationFactory()
    with CaptureQueriesContext(connection) as large:
        assert contact_client.get(url).status_code == 200
    assert len(small) == len(large)


@pytest.mark.parametrize("name", ["detail", "inspection", "edit"])
def test_portal_org_pages_carry_no_inline_style_or_script(contact_client, org, name):
    import re

    html = contact_client.get(reverse(f"orgs_portal:{name}", args=[org.pk])).content.decode()
    assert re.search(r"<[^>]+\sstyle=", html) is None
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"<[^>]+\son[a-z]+=", html) is None
