"""Organization and grade services: normalised codes, scope of regions, status, derived grade."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from orgs.models import GradeAward, Organization
from orgs.selectors import organization_list, with_current_grade
from orgs.services.grades import grade_award_create
from orgs.services.organizations import (
    organization_create,
    organization_set_status,
    organization_update,
)
from orgs.uscc import make_uscc
from tests.orgs.factories import GradeAwardFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _fields(region, **extra):
    return {
        "name": "东湖阳光社工服务中心",
        "kind": "private_non_enterprise",
        "registration": "registered",
        "uscc": make_uscc("private_non_enterprise", "330482", 12),
        "region": region,
        "registered_on": date(2020, 5, 1),
        **extra,
    }


def test_organization_create_normalises_uscc_and_fills_division(regions, street_staff):
    raw = make_uscc("private_non_enterprise", "330482", 12).lower()
    org = organization_create(
        actor=street_staff, **_fields(regions.community_a1, uscc=f" {raw[:9]}　{raw[9:]} ")
    )
    assert org.uscc == raw.upper()
    assert org.authority_division_code == "330482"


def test_organization_create_uscc_of_other_kind_is_refused_on_uscc_field(regions, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(actor=street_staff, **_fields(regions.community_a1, kind="social_group"))
    assert set(excinfo.value.message_dict) == {"uscc"}


def test_organization_create_region_of_other_street_is_refused(regions, street_staff):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(actor=street_staff, **_fields(regions.community_b1))
    assert "outside your scope" in excinfo.value.message_dict["region"][0]
    assert not Organization.objects.exists()


def test_organization_create_district_as_region_is_refused(regions, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(actor=district_staff, **_fields(regions.district))
    assert "region" in excinfo.value.message_dict


def test_organization_create_duplicate_uscc_is_refused(regions, district_staff):
    organization_create(actor=district_staff, **_fields(regions.community_a1))
    with pytest.raises(ValidationError) as excinfo:
        organization_create(actor=district_staff, **_fields(regions.community_b1, name="另一家"))
    assert "uscc" in excinfo.value.message_dict


def test_organization_create_filed_with_uscc_is_refused(regions, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            actor=district_staff, **_fields(regions.community_a1, kind="community", registration="filed")
        )
    assert "uscc" in excinfo.value.message_dict


def test_organization_create_filed_community_without_uscc_is_saved(regions, district_staff):
    org = organization_create(
        actor=district_staff, **_fields(regions.community_a1, kind="community", registration="filed", uscc="")
    )
    assert org.uscc is None


def test_organization_create_division_code_disagreeing_with_uscc_is_refused(regions, district_staff):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            actor=district_staff, **_fields(regions.community_a1, authority_division_code="330400")
        )
    assert "authority_division_code" in excinfo.value.message_dict


def test_organization_update_by_other_street_staff_is_refused(regions, other_street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError):
        organization_update(organization=org, actor=other_street_staff, name="改名")
    org.refresh_from_db()
    assert org.name != "改名"


def test_organization_update_moving_out_of_scope_is_refused(regions, street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError) as excinfo:
        organization_update(organization=org, actor=street_staff, region=regions.community_b1)
    assert "region" in excinfo.value.message_dict
    org.refresh_from_db()
    assert org.region == regions.community_a1


def test_organization_update_unknown_field_is_a_programming_error(regions, district_staff):
    org = OrganizationFactory()
    with pytest.raises(TypeError):
        organization_update(organization=org, actor=district_staff, status="revoked")


def test_organization_set_status_records_date(regions, street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    organization_set_status(organization=org, status="deregistered", on=date(2025, 3, 1), actor=street_staff)
    org.refresh_from_db()
    assert (org.status, org.status_changed_on) == ("deregistered", date(2025, 3, 1))


def test_organization_set_status_future_date_is_refused(regions, street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError) as excinfo:
        organization_set_status(organization=org, status="revoked", on=date(2999, 1, 1), actor=street_staff)
    assert "status_changed_on" in excinfo.value.message_dict


def test_grade_award_create_computes_validity(regions, district_staff):
    org = OrganizationFactory()
    award = grade_award_create(
        organization=org,
        grade=4,
        announced_on=date(2024, 12, 5),
        document="示民〔2024〕8号",
        actor=district_staff,
    )
    assert (award.valid_from, award.valid_until) == (date(2025, 1, 1), date(2029, 12, 31))


def test_grade_award_create_filed_org_is_refused(regions, district_staff):
    org = OrganizationFactory(registration="filed", kind="community")
    with pytest.raises(ValidationError) as excinfo:
        grade_award_create(
            organization=org, grade=3, announced_on=date(2024, 1, 5), document="", actor=district_staff
        )
    assert "filed" in excinfo.value.message_dict["organization"][0]
    assert not GradeAward.objects.exists()


def test_grade_award_create_out_of_scope_is_refused(regions, other_street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError):
        grade_award_create(
            organization=org, grade=3, announced_on=date(2024, 1, 5), document="", actor=other_street_staff
        )


def test_with_current_grade_latest_valid_announcement_wins(regions):
    org = OrganizationFactory()
    GradeAwardFactory(organization=org, grade=5, announced_on=date(2019, 10, 1))  # valid 2020–2024
    GradeAwardFactory(organization=org, grade=3, announced_on=date(2022, 10, 1))  # valid 2023–2027
    grade_on = {
        day: with_current_grade(Organization.objects.filter(pk=org.pk), on=day).get().current_grade
        for day in (date(2019, 12, 31), date(2021, 6, 1), date(2023, 6, 1), date(2028, 1, 1))
    }
    assert grade_on == {
        date(2019, 12, 31): None,
        date(2021, 6, 1): 5,
        date(2023, 6, 1): 3,
        date(2028, 1, 1): None,
    }


def test_organization_list_other_street_staff_sees_only_own(regions, street_staff, other_street_staff):
    mine = OrganizationFactory(region=regions.community_a1)
    theirs = OrganizationFactory(region=regions.community_b2)
    assert list(organization_list(user=street_staff)) == [mine]
    assert list(organization_list(user=other_street_staff)) == [theirs]


def test_organization_list_filters_by_street_grade_and_search(regions, district_staff):
    a = OrganizationFactory(region=regions.community_a1, name="东湖青年志愿者协会", kind="social_group")
    b = OrganizationFactory(region=regions.community_b1)
    GradeAwardFactory(organization=b, grade=4, announced_on=date(2024, 3, 1))
    assert list(organization_list(user=district_staff, filters={"street": regions.street_a.code})) == [a]
    assert list(organization_list(user=district_staff, filters={"grade": "4"}, on=date(2025, 6, 1))) == [b]
    assert list(organization_list(user=district_staff, filters={"search": "青年志愿"})) == [a]
    assert b.uscc is not None
    spaced = " ".join(b.uscc[i : i + 4] for i in range(0, 18, 4)).lower()
    assert list(organization_list(user=district_staff, filters={"search": spaced})) == [b]


def test_organization_list_inspection_result_of_year(regions, district_staff):
    from tests.orgs.factories import AnnualInspectionFactory

    qualified = OrganizationFactory()
    AnnualInspectionFactory(organization=qualified, year=2024, result="qualified")
    missing = OrganizationFactory()  # owes 2024, no row at all
    row_not_filed = OrganizationFactory()
    AnnualInspectionFactory(organization=row_not_filed, year=2024, result="not_filed")
    new = OrganizationFactory(registered_on=date(2024, 9, 1))  # exempt for 2024

    def pick(result):
        rows = organization_list(
            user=district_staff, filters={"inspection_year": "2024", "inspection_result": result}
        )
        return set(rows)

    assert pick("qualified") == {qualified}
    assert pick("not_filed") == {missing, row_not_filed}
    assert pick("exempt") == {new}


def test_organization_update_by_org_contact_is_refused(regions, org_contact):
    from django.core.exceptions import PermissionDenied

    org = OrganizationFactory()
    org_contact.organization = org
    org_contact.save(update_fields=["organization"])
    with pytest.raises(PermissionDenied):
        organization_update(organization=org, actor=org_contact, region=regions.community_b1)
