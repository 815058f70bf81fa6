"""Staff record inspection results: the service's rules and the scoped admin."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orgs.models import AnnualInspection
from orgs.services.inspection_results import inspection_record_result, inspections_record_many
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.orgs.factories import OrganizationFactory


@pytest.mark.django_db
def test_inspection_record_result_valid_creates_row(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    inspection = inspection_record_result(
        organization=org,
        year=2025,
        actor=district_staff,
        result="qualified",
        supervisor_filed_on=dt.date(2026, 3, 20),
        registry_filed_on=dt.date(2026, 5, 15),
    )
    assert AnnualInspection.objects.get(pk=inspection.pk).result == "qualified"


@pytest.mark.django_db
def test_inspection_record_result_twice_updates_same_row(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    for result in ("unqualified", "basically_qualified"):
        inspection_record_result(
            organization=org,
            year=2025,
            actor=district_staff,
            result=result,
            registry_filed_on=dt.date(2026, 5, 1),
        )
    assert list(AnnualInspection.objects.filter(organization=org).values_list("result", flat=True)) == [
        "basically_qualified"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"result": "qualified"}, "registry_filed_on"),
        ({"result": "qualified", "registry_filed_on": dt.date(2025, 12, 31)}, "registry_filed_on"),
        (
            {
                "result": "qualified",
                "supervisor_filed_on": dt.date(2026, 4, 1),
                "registry_filed_on": dt.date(2026, 3, 1),
            },
            "registry_filed_on",
        ),
        ({"result": "excellent", "registry_filed_on": dt.date(2026, 5, 1)}, "result"),
    ],
)
def test_inspection_record_result_bad_input_names_field_and_writes_nothing(
    regions, district_staff, kwargs, field
):
    org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError) as exc:
        inspection_record_result(organization=org, year=2025, actor=district_staff, **kwargs)
    assert field in exc.value.message_dict
    assert not AnnualInspection.objects.filter(organization=org).exists()


@pytest.mark.django_db
def test_inspection_record_result_filed_org_refused(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1, registration="filed", kind="community")
    with pytest.raises(ValidationError, match="filed community organization"):
        inspection_record_result(
            organization=org,
            year=2025,
            actor=district_staff,
            result="qualified",
            registry_filed_on=dt.date(2026, 5, 1),
        )


@pytest.mark.django_db
def test_inspection_record_result_out_of_scope_refused(regions, street_staff):
    org = OrganizationFactory(region=regions.community_b1)
    with pytest.raises(ValidationError):
        inspection_record_result(
            organization=org,
            year=2025,
            actor=street_staff,
            result="qualified",
            registry_filed_on=dt.date(2026, 5, 1),
        )
    assert not AnnualInspection.objects.exists()


@pytest.mark.django_db
def test_inspection_admin_change_matrix(role_users, regions):
    org = OrganizationFactory(region=regions.community_b1)
    inspection = inspection_record_result(
        organization=org, year=2025, actor=SYSTEM, result="qualified", registry_filed_on=dt.date(2026, 5, 1)
    )
    assert_role_matrix(
        role_users,
        f"/admin/orgs/annualinspection/{inspection.pk}/change/",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 200,
            "secretary": 302,
            "anonymous": 302,
        },
    )


@pytest.mark.django_db
def test_inspection_admin_add_bad_dates_shows_error_and_writes_nothing(client, regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    client.force_login(district_staff)
    response = client.post(
        "/admin/orgs/annualinspection/add/",
        {
            "organization": org.pk,
            "year": 2025,
            "result": "qualified",
            "supervisor_filed_on": "2026-04-01",
            "registry_filed_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "registry_filed_on" in response.context["adminform"].form.errors
    assert not AnnualInspection.objects.exists()


@pytest.mark.django_db
def test_inspection_admin_add_valid_writes_through_service(client, regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    client.force_login(district_staff)
    response = client.post(
        "/admin/orgs/annualinspection/add/",
        {"organization": org.pk, "year": 2025, "result": "qualified", "registry_filed_on": "2026-05-01"},
    )
    assert response.status_code == 302
    assert AnnualInspection.objects.get(organization=org).result == "qualified"


def _bulk_row(org, year=2024, **extra):
    section = {"has_party_organization": False, "no_party_organization_reason": "党员不足三名"}
    section |= {"full_members_employed": 1, "party_activities_held": 2}
    row = {"organization": org, "year": year, "result": "qualified", "section": section}
    return row | {"supervisor_filed_on": None, "registry_filed_on": dt.date(year + 1, 4, 20)} | extra


@pytest.mark.django_db
def test_inspections_record_many_writes_result_and_section(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    rows = [
        _bulk_row(org, 2023),
        _bulk_row(org, 2024, result="not_filed", registry_filed_on=None, section=None),
    ]
    written = inspections_record_many(rows=rows, actor=district_staff)
    assert len(written) == 2
    filed, not_filed = AnnualInspection.objects.filter(organization=org).order_by("year")
    assert (filed.result, filed.full_members_employed, filed.party_section_filed_by) == (
        "qualified",
        1,
        district_staff,
    )
    assert filed.party_section_filed_at is not None
    assert (not_filed.result, not_filed.party_section_filed_at, not_filed.has_party_organization) == (
        "not_filed",
        None,
        None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"registry_filed_on": dt.date(2024, 12, 1)}, "only be filed after the year has ended"),
        ({"registry_filed_on": None}, "needs the date the report was filed"),
        ({"section": {"has_party_organization": False}}, "give the reason"),
        ({"year": 2099}, "can be filed from 1 January 2100"),
    ],
)
def test_inspections_record_many_one_bad_row_refuses_all_naming_it(regions, district_staff, extra, says):
    good, bad = (
        OrganizationFactory(region=regions.community_a1),
        OrganizationFactory(region=regions.community_a1),
    )
    with pytest.raises(ValidationError) as exc:
        inspections_record_many(rows=[_bulk_row(good), _bulk_row(bad, **extra)], actor=district_staff)
    message = " ".join(exc.value.messages)
    assert bad.name in message and says in message
    assert not AnnualInspection.objects.exists()


@pytest.mark.django_db
def test_inspections_record_many_refuses_a_recorded_year_a_filed_org_and_out_of_scope(regions, street_staff):
    inside = OrganizationFactory(region=regions.community_a1)
    inspections_record_many(rows=[_bulk_row(inside, section=None)], actor=SYSTEM)  # 2024 recorded
    filed = OrganizationFactory(region=regions.community_a1, registration="filed", kind="community")
    outside = OrganizationFactory(region=regions.community_b1)
    for org in (inside, filed):
        with pytest.raises(ValidationError, match=org.name):
            inspections_record_many(rows=[_bulk_row(org)], actor=street_staff)
    with pytest.raises((ValidationError, PermissionDenied)):
        inspections_record_many(rows=[_bulk_row(outside)], actor=street_staff)
    assert AnnualInspection.objects.count() == 1
