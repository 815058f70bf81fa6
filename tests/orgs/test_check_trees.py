"""`check_trees`: every nested-set corruption is reported, a clean tree passes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from mptt.models import MPTTModel

from orgs.management.commands.check_trees import Command
from orgs.models import Region
from orgs.services.regions import region_create
from orgs.tree_checks import _extra_checks, check_model, mptt_models, tree_check
from tests.actors import SYSTEM


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def rows(**by_name):
    """Raw .update() of one fixture region, bypassing the services (the corruption under test)."""

    def corrupt(regions):
        for name, values in by_name.items():
            Region.objects.filter(pk=getattr(regions, name).pk).update(**values)

    return corrupt


# The fixture tree: district [1,14]; street_a [2,7] with a1 [3,4], a2 [5,6]; street_b [8,13] with b1, b2.
CORRUPTIONS = {
    "lft not below rght": (
        rows(community_a1={"lft": 4}),
        "community_a1",
        "must be at least 1 and below rght=4",
    ),
    "even width": (rows(community_a1={"rght": 5}), "community_a1", "rght - lft = 2 is even"),
    "child outside parent": (
        rows(community_a2={"lft": 7, "rght": 8}),
        "community_a2",
        "[7, 8] is not strictly inside its parent",
    ),
    "level not parent + 1": (rows(community_b1={"level": 1}), "community_b1", "level=1 but its parent"),
    "root level": (rows(district={"level": 3}), "district", "root has level 3, not 0"),
    "root lft": (rows(district={"lft": 0}), "district", "root has lft=0, not 1"),
    "overlapping siblings": (
        rows(community_a2={"lft": 3, "rght": 6}),
        "community_a2",
        "overlaps its sibling",
    ),
    "duplicate bound": (
        rows(community_b2={"lft": 10, "rght": 11}),
        "community_b2",
        "bound 10 is used 2 times",
    ),
    "code not under parent": (
        rows(community_a1={"code": "330499002009"}),
        "community_a1",
        "does not start with its parent's code 330499001",
    ),
    "kind not matching level": (
        rows(street_b={"kind": "community"}),
        "street_b",
        "does not match its level 1",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORRUPTIONS)
def test_check_model_corrupted_row_is_reported_on_that_row(regions, case):
    # given
    corrupt, culprit, words = CORRUPTIONS[case]
    assert check_model(Region) == []
    # when
    corrupt(regions)
    # then
    problems = check_model(Region)
    culprit_pk = getattr(regions, culprit).pk
    assert any(p.pk == culprit_pk and words in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.django_db
def test_check_model_node_deleted_without_closing_gap_reports_root_width(regions):
    # A queryset delete skips MPTT's gap closing: the root still spans 14 for 6 nodes.
    Region.objects.filter(pk=regions.community_b2.pk).delete()

    messages = [p.message for p in check_model(Region) if p.pk == regions.district.pk]

    assert any("root rght=14 but the tree has 6 nodes (expected 12)" in m for m in messages), messages


@pytest.mark.django_db
def test_check_model_child_in_other_tree_and_two_roots_reported(regions):
    other = region_create(code="110101", name="东城区", kind="district", actor=SYSTEM)

    Region.objects.filter(pk=regions.community_a1.pk).update(tree_id=other.tree_id)
    Region.objects.filter(pk=other.pk).update(tree_id=regions.district.tree_id)

    problems = [str(p) for p in check_model(Region)]
    assert any(
        f"id={regions.community_a1.pk}: tree_id={other.tree_id} differs from its parent" in p
        for p in problems
    ), problems
    assert any(f"tree_id={regions.district.tree_id} has 2 roots" in p for p in problems), problems


@pytest.mark.django_db
def test_check_model_query_count_does_not_grow_with_tree(regions):
    with CaptureQueriesContext(connection) as small:
        check_model(Region)
    for i in range(3, 40):
        region_create(
            code=f"330499001{i:03d}", name=f"社区{i}", kind="community", parent=regions.street_a, actor=SYSTEM
        )
    with CaptureQueriesContext(connection) as large:
        assert check_model(Region) == []

    assert len(large) == len(small)


@pytest.mark.django_db
def test_tree_check_hook_registered_for_model_is_run(regions):
    @tree_check(Region)
    def no_inactive(model):
        for pk in model.objects.filter(is_active=False).values_list("pk", flat=True):
            yield pk, "inactive (test hook)"

    try:
        Region.objects.filter(pk=regions.street_b.pk).update(is_active=False)
        problems = check_model(Region)
    finally:
        _extra_checks[Region._meta.label].remove(no_inactive)

    assert [(p.pk, p.message) for p in problems] == [(regions.street_b.pk, "inactive (test hook)")]


def test_mptt_models_finds_every_tree_model_and_only_those():
    found = mptt_models()

    assert Region in found
    assert all(issubclass(model, MPTTModel) for model in found)


@pytest.mark.django_db
def test_check_trees_command_clean_tree_prints_ok_summary(regions):
    out = StringIO()

    call_command("check_trees", stdout=out)

    summary = out.getvalue().strip()
    assert summary.startswith("OK: ")
    assert "7 nodes checked" in summary
    assert len(summary.splitlines()) == 1


@pytest.mark.django_db
def test_check_trees_command_corrupted_tree_prints_rows_and_fails(regions):
    Region.objects.filter(pk=regions.community_a2.pk).update(lft=3, rght=6)
    err = StringIO()

    with pytest.raises(CommandError, match=r"tree inconsistencies found in orgs\.Region"):
        call_command("check_trees", "orgs.Region", stderr=err)

    assert f"orgs.Region id={regions.community_a2.pk}: overlaps its sibling" in err.getvalue()


@pytest.mark.django_db
def test_check_trees_from_command_line_corrupted_tree_exits_1(regions, capsys):
    Region.objects.filter(pk=regions.community_a1.pk).update(level=5)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "check_trees"])

    assert exited.value.code == 1
    assert f"orgs.Region id={regions.community_a1.pk}: level=5" in capsys.readouterr().err


@pytest.mark.django_db
def test_check_trees_command_unknown_or_plain_model_is_refused():
    with pytest.raises(CommandError, match="not an MPTT tree model"):
        call_command("check_trees", "accounts.User")
    with pytest.raises(CommandError, match="Unknown model"):
        call_command("check_trees", "orgs.Nothing")
