"""The scope rule on Region, through admin and API: outside the scope answers 404."""

import pytest

from orgs.models import Region
from tests.access import assert_role_matrix


@pytest.mark.django_db
def test_region_visible_to_street_staff_is_own_subtree_only(regions, street_staff):
    visible = set(Region.objects.visible_to(street_staff).values_list("code", flat=True))
    assert visible == {regions.street_a.code, regions.community_a1.code, regions.community_a2.code}


@pytest.mark.django_db
def test_region_admin_change_matrix_other_street_is_404(role_users, regions):
    url = f"/admin/orgs/region/{regions.community_b1.pk}/change/"
    assert_role_matrix(
        role_users,
        url,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 200,
            "secretary": 302,  # not admin users: sent to the admin login
            "org_contact": 302,
            "anonymous": 302,
        },
    )


@pytest.mark.django_db
def test_region_api_detail_matrix(role_users, regions):
    url = f"/api/v1/regions/{regions.community_b1.pk}/"
    assert_role_matrix(
        role_users,
        url,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 404,
            "other_street_staff": 200,
            "anonymous": 403,
        },
    )
