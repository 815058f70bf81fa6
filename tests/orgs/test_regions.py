"""Region tree: code rules by level, the write services, the admin and the API."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import translation

from orgs.models import Region
from orgs.services.regions import region_create, region_move, region_update
from orgs.tree_checks import check_model
from tests.actors import SYSTEM
from tests.queries import get_with_queries


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def tree_snapshot():
    return list(Region.objects.order_by("pk").values_list("pk", "code", "tree_id", "lft", "rght", "level"))


def field_errors(excinfo, field):
    error = excinfo.value
    assert hasattr(error, "error_dict"), f"expected field errors, got {error}"
    assert field in error.error_dict, f"expected an error on {field}, got {error.message_dict}"
    return error.error_dict[field]


# --- 1. codes by level ---------------------------------------------------------------------------

INVALID = [
    # (kind, code, parent attribute of the `regions` fixture or None, field, error code, words)
    ("district", "33049", None, "code", "code_length", "exactly 6 digits"),
    ("district", "3304991", None, "code", "code_length", "exactly 6 digits"),
    ("district", "３３０４９８", None, "code", "code_length", "exactly 6 digits"),  # full-width digits
    ("district", "330400", None, "code", "code_not_district", "cannot end in 00"),
    ("district", "100101", None, "code", "code_province", "start at 11"),
    ("district", "330498", "district", "parent", "parent_forbidden", "top of its own tree"),
    ("street", "33049900", "district", "code", "code_length", "exactly 9 digits"),
    ("street", "330498003", "district", "code", "code_prefix", "start with the code of its parent"),
    ("street", "330499000", "district", "code", "code_zero_suffix", "cannot be 000"),
    ("street", "330499003", None, "parent", "parent_missing", "needs a parent"),
    ("street", "330499003", "street_a", "parent", "parent_kind", "must be a District"),
    ("community", "330499001", "street_a", "code", "code_length", "exactly 12 digits"),
    ("community", "330499002003", "street_a", "code", "code_prefix", "(330499001)"),
    ("community", "330499001000", "street_a", "code", "code_zero_suffix", "cannot be 000"),
    ("community", "330499003", "district", "parent", "parent_kind", "must be a Street/town"),
    ("community", "330499001001", "street_a", "code", "unique", "already exists"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "code", "parent", "field", "error_code", "words"), INVALID)
def test_region_create_invalid_code_or_parent_raises_on_field_and_writes_nothing(
    regions, kind, code, parent, field, error_code, words
):
    # given
    before = tree_snapshot()
    # when
    with pytest.raises(ValidationError) as excinfo:
        region_create(
            code=code,
            name="新区划",
            kind=kind,
            parent=getattr(regions, parent) if parent else None,
            actor=SYSTEM,
        )
    # then
    errors = field_errors(excinfo, field)
    assert error_code in [e.code for e in errors]
    assert any(words in message for e in errors for message in e.messages), [e.messages for e in errors]
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_create_valid_levels_build_consistent_tree(db):
    district = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)
    street = region_create(code="110101001", name="东华门街道", kind="street", parent=district, actor=SYSTEM)
    community = region_create(
        code="110101001002", name="多福巷社区", kind="community", parent=street, actor=SYSTEM
    )
    first = region_create(code="110101001001", name="银闸社区", kind="community", parent=street, actor=SYSTEM)

    assert (district.level, street.level, community.level) == (0, 1, 2)
    # Siblings are kept in code order.
    assert list(street.get_children().values_list("code", flat=True)) == ["110101001001", "110101001002"]
    assert first.tree_id == district.tree_id
    assert check_model(Region) == []


# --- 2. services: one district's tree per write ----------------------------------------------------


@pytest.mark.django_db
def test_region_create_community_in_district_a_leaves_district_b_rows_untouched(regions):
    other = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)
    other_street = region_create(
        code="110101001", name="东华门街道", kind="street", parent=other, actor=SYSTEM
    )
    region_create(code="110101001001", name="银闸社区", kind="community", parent=other_street, actor=SYSTEM)
    before_b = list(
        Region.objects.filter(tree_id=other.tree_id)
        .order_by("pk")
        .values_list("pk", "tree_id", "lft", "rght")
    )

    region_create(
        code="330499001003", name="新建社区", kind="community", parent=regions.street_a, actor=SYSTEM
    )

    after_b = list(
        Region.objects.filter(pk__in=[pk for pk, *_ in before_b])
        .order_by("pk")
        .values_list("pk", "tree_id", "lft", "rght")
    )
    assert after_b == before_b
    assert check_model(Region) == []


@pytest.mark.django_db
def test_region_create_district_with_lower_code_appends_tree_without_renumbering(regions):
    # given: district 330499 exists; 110101 sorts before it by code
    before = tree_snapshot()
    # when
    district = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)
    # then: the existing district keeps its tree_id (nothing outside the new tree was written)
    assert [row for row in tree_snapshot() if row[0] != district.pk] == before
    assert district.tree_id == max(row[2] for row in before) + 1
    assert check_model(Region) == []


@pytest.mark.django_db
def test_region_move_community_to_other_street_recodes_and_keeps_tree_consistent(regions):
    moved = region_move(
        region=regions.community_a1, new_parent=regions.street_b, new_code="330499002003", actor=SYSTEM
    )

    assert moved.parent_id == regions.street_b.pk
    assert moved.code == "330499002003"
    assert moved.level == 2
    assert sorted(regions.street_b.get_children().values_list("code", flat=True)) == [
        "330499002001",
        "330499002002",
        "330499002003",
    ]
    assert list(Region.objects.get(pk=regions.street_a.pk).get_children().values_list("code", flat=True)) == [
        "330499001002"
    ]
    assert check_model(Region) == []


@pytest.mark.django_db
def test_region_move_with_code_not_under_new_parent_raises_and_moves_nothing(regions):
    before = tree_snapshot()

    with pytest.raises(ValidationError) as excinfo:
        region_move(
            region=regions.community_a1, new_parent=regions.street_b, new_code="330499001009", actor=SYSTEM
        )

    assert [e.code for e in field_errors(excinfo, "code")] == ["code_prefix"]
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_move_street_to_other_district_recodes_its_communities(regions):
    # given
    other = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)
    # when
    moved = region_move(region=regions.street_a, new_parent=other, new_code="110101007", actor=SYSTEM)
    # then: the street and its communities carry the new prefix and live in the other tree
    subtree = moved.get_descendants(include_self=True)
    assert sorted(subtree.values_list("code", flat=True)) == ["110101007", "110101007001", "110101007002"]
    assert set(subtree.values_list("tree_id", flat=True)) == {other.tree_id}
    assert Region.objects.get(pk=regions.district.pk).get_descendant_count() == 3
    assert check_model(Region) == []
    recode_log = LogEntry.objects.get_for_object(Region.objects.get(pk=regions.community_a1.pk)).first()
    assert recode_log.changes == {"code": ["330499001001", "110101007001"]}


@pytest.mark.django_db
def test_region_move_street_when_recoded_child_code_is_taken_refuses_and_writes_nothing(regions):
    # given: an (inconsistent) row already holds the code community a1 would get
    Region.objects.filter(pk=regions.community_b2.pk).update(code="330499003001")
    before = tree_snapshot()
    # when
    with pytest.raises(ValidationError) as excinfo:
        region_move(region=regions.street_a, new_parent=regions.district, new_code="330499003", actor=SYSTEM)
    # then
    errors = field_errors(excinfo, "code")
    assert errors[0].code == "code_taken"
    assert "330499003001" in errors[0].messages[0]
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_move_district_under_another_raises_on_parent(regions):
    other = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)

    with pytest.raises(ValidationError) as excinfo:
        region_move(region=other, new_parent=regions.district, new_code="110101", actor=SYSTEM)

    assert [e.code for e in field_errors(excinfo, "parent")] == ["parent_forbidden"]


@pytest.mark.django_db
def test_region_move_by_street_staff_to_other_street_is_refused(regions, street_staff):
    before = tree_snapshot()

    with pytest.raises(ValidationError) as excinfo:
        region_move(
            region=regions.community_a1,
            new_parent=regions.street_b,
            new_code="330499002003",
            actor=street_staff,
        )

    assert "inside your own scope" in field_errors(excinfo, "parent")[0].messages[0]
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_create_district_by_district_staff_is_refused(district_staff):
    with pytest.raises(ValidationError) as excinfo:
        region_create(code="110101", name="东城区", kind="district", actor=district_staff)

    assert [e.code for e in field_errors(excinfo, "parent")] == ["superuser_only"]
    assert not Region.objects.filter(code="110101").exists()


@pytest.mark.django_db
def test_region_update_deactivate_street_deactivates_its_communities(regions):
    region_update(region=regions.street_a, is_active=False, actor=SYSTEM)

    assert dict(
        Region.objects.filter(code__startswith="330499").values_list("code", "is_active").order_by("code")
    ) == {
        "330499": True,
        "330499001": False,
        "330499001001": False,
        "330499001002": False,
        "330499002": True,
        "330499002001": True,
        "330499002002": True,
    }


@pytest.mark.django_db
def test_region_update_activate_under_inactive_parent_raises(regions):
    region_update(region=regions.street_a, is_active=False, actor=SYSTEM)

    with pytest.raises(ValidationError) as excinfo:
        region_update(region=regions.community_a1, is_active=True, actor=SYSTEM)

    assert "activate 东湖街道 first" in field_errors(excinfo, "is_active")[0].messages[0]
    assert not Region.objects.get(pk=regions.community_a1.pk).is_active


@pytest.mark.django_db
def test_region_update_rename_from_stale_instance_keeps_tree_columns(regions):
    stale = Region.objects.get(pk=regions.street_a.pk)
    region_create(
        code="330499001003", name="新建社区", kind="community", parent=regions.street_a, actor=SYSTEM
    )

    region_update(region=stale, name="  东湖新街道 ", actor=SYSTEM)

    fresh = Region.objects.get(pk=regions.street_a.pk)
    assert fresh.name == "东湖新街道"
    assert fresh.rght - fresh.lft == 7  # three communities below, not the stale two
    assert check_model(Region) == []


# --- 5. admin --------------------------------------------------------------------------------------

ADD_URL = "/admin/orgs/region/add/"


def admin_post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
def test_region_admin_add_invalid_code_shows_error_and_writes_nothing(client, regions, superuser):
    before = tree_snapshot()

    response = admin_post(
        client,
        superuser,
        ADD_URL,
        {"code": "330499001000", "name": "错误社区", "kind": "community", "parent": regions.street_a.pk},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot be 000" in errors["code"][0]
    assert "cannot be 000" in response.content.decode()
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_admin_add_valid_community_goes_through_service(client, regions, street_staff):
    response = admin_post(
        client,
        street_staff,
        ADD_URL,
        {
            "code": "330499001003",
            "name": "新建社区",
            "kind": "community",
            "parent": regions.street_a.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Region.objects.get(code="330499001003")
    assert (created.parent_id, created.level, created.tree_id) == (
        regions.street_a.pk,
        2,
        regions.district.tree_id,
    )
    assert check_model(Region) == []


@pytest.mark.django_db
def test_region_admin_add_parent_outside_scope_shows_error(client, regions, street_staff):
    before = tree_snapshot()

    response = admin_post(
        client,
        street_staff,
        ADD_URL,
        {"code": "330499002003", "name": "越权社区", "kind": "community", "parent": regions.street_b.pk},
    )

    assert response.status_code == 200
    assert "inside your own scope" in response.context["adminform"].form.errors["parent"][0]
    assert tree_snapshot() == before


@pytest.mark.django_db
def test_region_admin_add_district_by_staff_shows_error(client, district_staff):
    response = admin_post(
        client, district_staff, ADD_URL, {"code": "110101", "name": "东城区", "kind": "district"}
    )

    assert response.status_code == 200
    assert "Only a superuser" in response.context["adminform"].form.errors["parent"][0]
    assert not Region.objects.filter(code="110101").exists()


@pytest.mark.django_db
def test_region_admin_change_form_code_and_parent_read_only(client, regions, superuser):
    url = f"/admin/orgs/region/{regions.community_a1.pk}/change/"
    client.force_login(superuser)

    response = client.post(
        url,
        {"code": "330499002009", "name": "和平新社区", "kind": "community", "parent": regions.street_b.pk},
    )

    assert response.status_code == 302
    community = Region.objects.get(pk=regions.community_a1.pk)
    assert (community.name, community.code, community.parent_id) == (
        "和平新社区",
        "330499001001",
        regions.street_a.pk,
    )
    form_fields = client.get(url).context["adminform"].form.fields
    assert "code" not in form_fields
    assert "parent" not in form_fields


@pytest.mark.django_db
def test_region_admin_deactivate_action_deactivates_subtree(client, regions, district_staff):
    response = admin_post(
        client,
        district_staff,
        "/admin/orgs/region/",
        {"action": "deactivate_regions", "_selected_action": [regions.street_a.pk]},
    )

    assert response.status_code == 302
    assert set(Region.objects.filter(is_active=False).values_list("code", flat=True)) == {
        "330499001",
        "330499001001",
        "330499001002",
    }


@pytest.mark.django_db
def test_region_admin_activate_action_under_inactive_parent_reports_error(client, regions, superuser):
    region_update(region=regions.street_a, is_active=False, actor=SYSTEM)

    response = admin_post(
        client,
        superuser,
        "/admin/orgs/region/",
        {"action": "activate_regions", "_selected_action": [regions.community_a1.pk]},
    )

    assert response.status_code == 302
    assert not Region.objects.get(pk=regions.community_a1.pk).is_active
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("activate 东湖街道 first" in m for m in shown), shown


@pytest.mark.django_db
def test_region_admin_delete_is_forbidden(client, regions, superuser):
    client.force_login(superuser)

    response = client.post(f"/admin/orgs/region/{regions.community_a1.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Region.objects.filter(pk=regions.community_a1.pk).exists()


@pytest.mark.django_db
def test_region_admin_search_and_autocomplete_are_scoped(client, regions, street_staff):
    client.force_login(street_staff)

    changelist = client.get("/admin/orgs/region/", {"q": "社区"})
    autocomplete = client.get(
        "/admin/autocomplete/",
        {"app_label": "orgs", "model_name": "region", "field_name": "parent", "term": "3304"},
    )

    assert {r.code for r in changelist.context["cl"].result_list} == {"330499001001", "330499001002"}
    assert {item["text"] for item in autocomplete.json()["results"]} == {"东湖街道", "和平社区", "新华社区"}


# --- 6. API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_region_api_list_for_street_staff_is_own_subtree(client, regions, street_staff):
    client.force_login(street_staff)

    response = client.get("/api/v1/regions/")

    assert response.status_code == 200
    assert {r["code"] for r in response.json()["results"]} == {"330499001", "330499001001", "330499001002"}


@pytest.mark.django_db
def test_region_api_filter_by_kind_returns_that_level_only(client, regions, district_staff):
    client.force_login(district_staff)

    response = client.get("/api/v1/regions/", {"kind": "street"})

    assert [r["code"] for r in response.json()["results"]] == ["330499001", "330499002"]


def _add_communities(street, count):
    for i in range(3, 3 + count):
        region_create(
            code=f"{street.code}{i:03d}", name=f"社区{i}", kind="community", parent=street, actor=SYSTEM
        )


@pytest.mark.django_db
def test_region_api_list_query_count_does_not_grow_with_rows(client, regions, district_staff):
    client.force_login(district_staff)
    small_queries, small = get_with_queries(client, "/api/v1/regions/")
    small_rows = len(small.json()["results"])  # 7 regions

    _add_communities(regions.street_a, 22)
    _add_communities(regions.street_b, 21)
    large_queries, large = get_with_queries(client, "/api/v1/regions/")
    large_rows = len(large.json()["results"])  # 50 regions

    assert (small_rows, large_rows) == (7, 50)
    assert large_queries == small_queries


# --- demo data -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_regions_builds_consistent_demo_district_and_is_idempotent(db):
    from orgs.demo.regions import seed_regions

    district = seed_regions()
    first = tree_snapshot()
    seed_regions()

    assert Region.objects.filter(kind="street").count() == 8
    assert Region.objects.filter(kind="community").count() == 114
    assert district.get_descendant_count() == 122
    assert tree_snapshot() == first
    assert check_model(Region) == []
