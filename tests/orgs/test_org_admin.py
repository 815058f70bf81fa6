"""Organization admin: scope, filters, search, writes through services, constant query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orgs.models import GradeAward, Organization
from orgs.uscc import make_uscc
from tests.access import assert_role_matrix
from tests.orgs.admin_forms import org_add_data
from tests.orgs.factories import AnnualInspectionFactory, GradeAwardFactory, OrganizationFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/orgs/organization/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _names(response) -> set[str]:
    return {org.name for org in response.context["cl"].result_list}


def test_organization_admin_change_matrix_other_street_is_404(role_users, regions):
    org = OrganizationFactory(region=regions.community_b1)
    assert_role_matrix(
        role_users,
        f"{CHANGELIST}{org.pk}/change/",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 200,
            "secretary": 302,
            "org_contact": 302,
            "anonymous": 302,
        },
    )


def test_organization_admin_changelist_street_staff_sees_own_street_only(regions, street_staff):
    OrganizationFactory(region=regions.community_a1, name="甲街道组织")
    OrganizationFactory(region=regions.community_b1, name="乙街道组织")
    response = _client(street_staff).get(CHANGELIST)
    assert response.status_code == 200
    assert _names(response) == {"甲街道组织"}


def test_organization_admin_street_filter_lists_only_streets_in_scope(regions, street_staff):
    response = _client(street_staff).get(CHANGELIST)
    street_filter = next(
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", None) == "street"
    )
    assert [code for code, _name in street_filter.lookup_choices] == [regions.street_a.code]


def test_organization_admin_street_filter_of_other_street_shows_nothing(regions, street_staff):
    OrganizationFactory(region=regions.community_b1)
    response = _client(street_staff).get(CHANGELIST, {"street": regions.street_b.code})
    assert _names(response) == set()


def test_organization_admin_default_status_filter_is_active(regions, district_staff):
    OrganizationFactory(name="在册组织")
    OrganizationFactory(name="已注销组织", status="deregistered", status_changed_on=date(2024, 1, 10))
    client = _client(district_staff)
    assert _names(client.get(CHANGELIST)) == {"在册组织"}
    assert _names(client.get(CHANGELIST, {"status": "all"})) == {"在册组织", "已注销组织"}
    assert _names(client.get(CHANGELIST, {"status": "deregistered"})) == {"已注销组织"}


def test_organization_admin_search_by_spaced_lowercase_uscc(regions, district_staff):
    org = OrganizationFactory(name="被搜组织")
    OrganizationFactory(name="别的组织")
    assert org.uscc is not None
    term = f"{org.uscc[:6].lower()} {org.uscc[6:]}"
    assert _names(_client(district_staff).get(CHANGELIST, {"q": term})) == {"被搜组织"}


def test_organization_admin_grade_and_inspection_filters(regions, district_staff):
    graded = OrganizationFactory(name="五A组织")
    GradeAwardFactory(organization=graded, grade=5, announced_on=date(2024, 12, 1))
    inspected = OrganizationFactory(name="合格组织")
    AnnualInspectionFactory(organization=inspected, year=2023, result="qualified")
    client = _client(district_staff)
    assert _names(client.get(CHANGELIST, {"grade": "5"})) == {"五A组织"}
    rows = client.get(CHANGELIST, {"inspection_year": "2023", "inspection_result": "qualified"})
    assert _names(rows) == {"合格组织"}
    rows = client.get(CHANGELIST, {"inspection_year": "2023", "inspection_result": "not_filed"})
    assert _names(rows) == {"五A组织"}


def test_organization_admin_add_normalises_uscc_through_service(regions, street_staff):
    response = _client(street_staff).post(f"{CHANGELIST}add/", org_add_data(regions.community_a1))
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organization.objects.get()
    assert org.uscc == make_uscc("private_non_enterprise", "330482", 77)
    assert org.authority_division_code == "330482"


def test_organization_admin_add_uscc_of_other_kind_shows_field_error(regions, street_staff):
    response = _client(street_staff).post(
        f"{CHANGELIST}add/", org_add_data(regions.community_a1, kind="foundation")
    )
    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.errors
    assert not Organization.objects.exists()


def test_organization_admin_add_in_other_street_shows_region_error(regions, street_staff):
    response = _client(street_staff).post(f"{CHANGELIST}add/", org_add_data(regions.community_b1))
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not Organization.objects.exists()


def test_organization_admin_grade_inline_creates_award_through_service(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1)
    data = org_add_data(
        regions.community_a1,
        name=org.name,
        uscc=org.uscc,
        **{
            "grade_awards-TOTAL_FORMS": "1",
            "grade_awards-0-grade": "4",
            "grade_awards-0-announced_on": "2024-12-05",
            "grade_awards-0-document": "示民〔2024〕8号",
        },
    )
    response = _client(district_staff).post(f"{CHANGELIST}{org.pk}/change/", data)
    assert response.status_code == 302
    award = GradeAward.objects.get(organization=org)
    assert (award.grade, award.valid_from, award.valid_until) == (4, date(2025, 1, 1), date(2029, 12, 31))


def test_organization_admin_grade_inline_on_filed_org_shows_error(regions, district_staff):
    org = OrganizationFactory(region=regions.community_a1, registration="filed", kind="community")
    data = org_add_data(
        regions.community_a1,
        name=org.name,
        kind="community",
        registration="filed",
        uscc="",
        **{
            "grade_awards-TOTAL_FORMS": "1",
            "grade_awards-0-grade": "4",
            "grade_awards-0-announced_on": "2024-12-05",
        },
    )
    response = _client(district_staff).post(f"{CHANGELIST}{org.pk}/change/", data)
    assert response.status_code == 200
    assert not GradeAward.objects.exists()


def test_organization_admin_set_status_action_deregisters_on_date(regions, street_staff):
    org = OrganizationFactory(region=regions.community_a1)
    client = _client(street_staff)
    form_page = client.post(CHANGELIST, {"action": "set_status", "_selected_action": [org.pk]})
    assert form_page.status_code == 200
    response = client.post(
        CHANGELIST,
        {
            "action": "set_status",
            "_selected_action": [org.pk],
            "apply": "yes",
            "status": "deregistered",
            "on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.status, org.status_changed_on) == ("deregistered", date(2025, 3, 1))


def test_organization_admin_export_action_is_offered(regions, district_staff):
    response = _client(district_staff).get(CHANGELIST)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "export_xlsx" in choices and "set_status" in choices


def test_organization_admin_changelist_query_count_does_not_grow(regions, street_staff):
    def add(n):
        for i in range(n):
            org = OrganizationFactory(region=regions.community_a1 if i % 2 else regions.street_a)
            if i % 3 == 0:
                GradeAwardFactory(organization=org)

    client = _client(street_staff)
    add(5)
    small = page_queries(client, CHANGELIST, {"status": "all"})
    add(45)
    assert page_queries(client, CHANGELIST, {"status": "all"}) == small


def test_organization_admin_count_is_bounded(regions, district_staff, monkeypatch):
    monkeypatch.setattr("config.paginator.CappedPaginator.count_cap", 3)
    for _ in range(5):
        OrganizationFactory()
    with CaptureQueriesContext(connection) as ctx:
        response = _client(district_staff).get(CHANGELIST)
    assert response.context["cl"].result_count == 4  # stops counting past the cap
    counts = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and "orgs_organization" in q["sql"]
    ]
    assert counts and all("LIMIT 4" in sql for sql in counts)


def test_organization_admin_region_autocomplete_is_scoped(regions, street_staff):
    response = _client(street_staff).get(
        "/admin/autocomplete/",
        {"app_label": "orgs", "model_name": "organization", "field_name": "region", "term": "社区"},
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {regions.community_a1.pk, regions.community_a2.pk}


def test_organization_admin_add_page_renders(regions, street_staff):
    response = _client(street_staff).get(f"{CHANGELIST}add/")
    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.fields
