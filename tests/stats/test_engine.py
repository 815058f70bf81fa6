"""The engine against the hand-worked dataset (tests/coverage/conftest.py), figure by figure.

Strongest link on each date (S single, J joint, F fallback, - none, w = work-covered,
x = not counted):

org  street kind mode  staff | D1 2023-06-30 | D3 2024-06-30 | D2 2025-06-30
 1   A      PNE  terr   40   | S             | S             | S
 2   A      SG   terr   10   | J             | J             | J
 3   A      com  ind     3   | J             | J             | J
 4   B      SG   fb      8   | F (+instr.)   | F             | F
 5   A      PNE  ind    35   | J             | S (moved)     | S
 6   B      PNE  terr   12   | F             | S (switched)  | S
 7   B      SG   terr    6   | J             | - w (PO gone) | - w
 8   B      com  terr    4   | J             | F (dissolved joint link ignored) | F
 9   B      com  ind     7   | F             | J (F and J overlap: J) | J
10   A      PNE  terr   50   | J             | J             | J
11   B      SG   terr   30   | -             | -             | -
12   A      SG   terr    5   | J             | x (deregistered 2024-01-01)
13   B      com  terr    2   | x (registered 2024-02-01) | - w | - w
14   —      fdn  fb      3   | F             | F             | F
15   A      com  terr    1   | - (instructor ended 2023-01-01) | - | -

Full members employed (active, full_on ≤ D): org 1: 3; org 2: 2 (a third left); org 10: 3;
org 11: 2 until 2024-01-01, then 3.
"""

import datetime as dt
from typing import Any

import pytest

from stats.coverage.engine import OrgFilter
from stats.coverage.engine import coverage_figures as engine_figures
from tests.stats.conftest import D1, D2, D3

pytestmark = pytest.mark.django_db


def coverage_figures(**kwargs) -> dict:
    """The engine's result in its JSON form (the API's and snapshots' keys): the hand counts below
    check that shape; tests/stats/test_result.py checks the typed attributes."""
    return engine_figures(**kwargs).to_dict()


def figures(total, single, joint, fallback, work, should_build, coverage, work_coverage):
    return {
        "total": total,
        "single": single,
        "joint": joint,
        "fallback": fallback,
        "org_covered": single + joint + fallback,
        "org_coverage": coverage,
        "work_covered": work,
        "work_coverage": work_coverage,
        "should_build": should_build,
    }


def headline(result: dict) -> dict:
    return {key: result[key] for key in figures(0, 0, 0, 0, 0, 0, None, None)}


def test_coverage_figures_past_date_d1_match_hand_count(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D1)

    # total: orgs 1–12, 14, 15 = 14 (13 registered later)
    # single: 1 → 1; joint: 2, 3, 5, 7, 8, 10, 12 → 7; fallback: 4, 6, 9, 14 → 4; covered 12
    # org_coverage 12/14 = 0.857142… → 0.8571; work: none (4 is org-covered, 7's instructor from 2024,
    # 15's ended) → 0; work_coverage 12/14 → 0.8571; should_build: 10 (3 full, joint) → 1
    assert headline(result) == figures(14, 1, 7, 4, 0, 1, 0.8571, 0.8571)
    # large (staff ≥ 30): 1 S, 5 J, 10 J, 11 - → total 4, covered 3 = 0.75; should_build: 10
    assert result["large"] == figures(4, 1, 2, 0, 0, 1, 0.75, 0.75)
    assert [item["id"] for item in result["should_build_list"]] == [dataset.orgs[10].pk]


def test_coverage_figures_later_date_d2_match_hand_count(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D2)

    # total: 1–11, 13, 14, 15 = 14 (12 deregistered on 2024-01-01)
    # single: 1, 5, 6 → 3; joint: 2, 3, 9, 10 → 4; fallback: 4, 8, 14 → 3; covered 10 → 10/14 = 0.7143
    # work: 7 (branch dissolved, instructor), 13 (instructor) → 2; (10 + 2)/14 = 0.857142… → 0.8571
    # should_build: 10 (3 full, joint), 11 (3 full since 2024-01-01, uncovered) → 2
    assert headline(result) == figures(14, 3, 4, 3, 2, 2, 0.7143, 0.8571)
    # large: 1 S, 5 S, 10 J, 11 - → 4; covered 3 → 0.75; should_build 10, 11 → 2
    assert result["large"] == figures(4, 2, 1, 0, 0, 2, 0.75, 0.75)


def test_coverage_figures_should_build_list_names_org_street_and_coverage(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D2)

    # sorted by street code, then name: org 10 (street A 330499001), org 11 (street B 330499002)
    keys = (
        "id",
        "name",
        "street",
        "street_code",
        "kind",
        "management_mode",
        "staff_count",
        "full_members",
        "coverage",
    )
    assert [{key: item[key] for key in keys} for item in result["should_build_list"]] == [
        {
            "id": dataset.orgs[10].pk,
            "name": "十号应建(联合)",
            "street": "东湖街道",
            "street_code": "330499001",
            "kind": "private_non_enterprise",
            "management_mode": "territorial",
            "staff_count": 50,
            "full_members": 3,
            "coverage": "joint",
        },
        {
            "id": dataset.orgs[11].pk,
            "name": "十一号应建(未覆盖)",
            "street": "钟埭街道",
            "street_code": "330499002",
            "kind": "social_group",
            "management_mode": "territorial",
            "staff_count": 30,
            "full_members": 3,
            "coverage": None,
        },
    ]


def test_coverage_figures_by_street_d1_match_hand_count_and_sum_to_totals(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D1)
    rows = {row["code"]: row for row in result["by_street"]}

    # A: 1 S; 2, 3, 5, 10, 12 J; 15 - → 7, covered 6 = 0.8571; should_build 10
    assert headline(rows["330499001"]) == figures(7, 1, 5, 0, 0, 1, 0.8571, 0.8571)
    # B: 7, 8 J; 4, 6, 9 F; 11 - → 6, covered 5 = 0.8333
    assert headline(rows["330499002"]) == figures(6, 0, 2, 3, 0, 0, 0.8333, 0.8333)
    # directly under the district (no street): 14 F
    assert headline(rows[None]) == figures(1, 0, 0, 1, 0, 0, 1.0, 1.0)
    _assert_parts_sum(result, result["by_street"])


def test_coverage_figures_by_street_d2_match_hand_count(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D2)
    rows = {row["code"]: row for row in result["by_street"]}

    # A: 1, 5 S; 2, 3, 10 J; 15 - → 6, covered 5 = 0.8333
    assert headline(rows["330499001"]) == figures(6, 2, 3, 0, 0, 1, 0.8333, 0.8333)
    # B: 6 S; 9 J; 4, 8 F; 7, 13 w; 11 - → 7, covered 4 = 0.5714, (4 + 2)/7 = 0.8571
    assert headline(rows["330499002"]) == figures(7, 1, 1, 2, 2, 1, 0.5714, 0.8571)
    assert [row["code"] for row in result["by_street"]] == ["330499001", "330499002", None]
    _assert_parts_sum(result, result["by_street"])


def test_coverage_figures_by_kind_and_mode_d1_match_hand_count(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D1)
    kinds, modes = result["by_kind"], result["by_management_mode"]

    # PNE 1 S, 5 J, 6 F, 10 J; SG 2 J, 4 F, 7 J, 11 -, 12 J; community 3 J, 8 J, 9 F, 15 -; foundation 14 F
    assert headline(kinds["private_non_enterprise"]) == figures(4, 1, 2, 1, 0, 1, 1.0, 1.0)
    assert headline(kinds["social_group"]) == figures(5, 0, 3, 1, 0, 0, 0.8, 0.8)
    assert headline(kinds["community"]) == figures(4, 0, 2, 1, 0, 0, 0.75, 0.75)
    assert headline(kinds["foundation"]) == figures(1, 0, 0, 1, 0, 0, 1.0, 1.0)
    # territorial 1 S; 2, 7, 8, 10, 12 J; 6 F; 11, 15 - → 9, covered 7 = 0.7778
    # industry 3, 5 J; 9 F → 3; fallback 4, 14 F → 2
    assert headline(modes["territorial"]) == figures(9, 1, 5, 1, 0, 1, 0.7778, 0.7778)
    assert headline(modes["industry"]) == figures(3, 0, 2, 1, 0, 0, 1.0, 1.0)
    assert headline(modes["fallback"]) == figures(2, 0, 0, 2, 0, 0, 1.0, 1.0)
    _assert_parts_sum(result, kinds.values())
    _assert_parts_sum(result, modes.values())


def test_coverage_figures_by_kind_and_mode_d2_match_hand_count(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D2)
    kinds, modes = result["by_kind"], result["by_management_mode"]

    # PNE 1, 5, 6 S, 10 J; SG 2 J, 4 F, 7 w, 11 -; community 3, 9 J, 8 F, 13 w, 15 -; foundation 14 F
    assert headline(kinds["private_non_enterprise"]) == figures(4, 3, 1, 0, 0, 1, 1.0, 1.0)
    assert headline(kinds["social_group"]) == figures(4, 0, 1, 1, 1, 1, 0.5, 0.75)
    assert headline(kinds["community"]) == figures(5, 0, 2, 1, 1, 0, 0.6, 0.8)
    # territorial 1, 6 S; 2, 10 J; 8 F; 7, 13 w; 11, 15 - → 9, covered 5 = 0.5556, (5 + 2)/9 = 0.7778
    assert headline(modes["territorial"]) == figures(9, 2, 2, 1, 2, 2, 0.5556, 0.7778)
    assert headline(modes["industry"]) == figures(3, 1, 2, 0, 0, 0, 1.0, 1.0)
    _assert_parts_sum(result, kinds.values())
    _assert_parts_sum(result, modes.values())


def _assert_parts_sum(result: dict, parts) -> None:
    parts = list(parts)
    for key in ("total", "single", "joint", "fallback", "org_covered", "work_covered", "should_build"):
        assert sum(part[key] for part in parts) == result[key], key
        assert sum(part["large"][key] for part in parts) == result["large"][key], key


def test_coverage_figures_overlapping_links_count_once_by_strongest_active_one(dataset):
    # community B2 holds orgs 7 and 8. On D3 org 8 has two links in force: the joint one of a branch
    # dissolved on 2024-01-01 (does not count) and the fallback one → fallback. Org 7: its only link
    # is to the dissolved branch → not org-covered; instructor since 2024-02-01 → work-covered.
    b2 = coverage_figures(region=dataset.regions.community_b2, day=D3)
    assert headline(b2) == figures(2, 0, 0, 1, 1, 0, 0.5, 1.0)
    # community B1 holds 4 F, 6 S (since 2024-05-01), 9 (F and J overlapping → J), 11 -, 13 w
    b1 = coverage_figures(region=dataset.regions.community_b1, day=D3)
    assert headline(b1) == figures(5, 1, 1, 1, 1, 1, 0.6, 0.8)
    # a community reports under its street
    assert [row["code"] for row in b1["by_street"]] == ["330499002"]


def test_coverage_figures_dissolved_branch_stops_counting_on_dissolution_date(dataset):
    b2 = dataset.regions.community_b2
    # the day before the dissolution both 7 and 8 are joint; from 2024-01-01 on neither is
    assert headline(coverage_figures(region=b2, day=dt.date(2023, 12, 31)))["joint"] == 2
    assert headline(coverage_figures(region=b2, day=dt.date(2024, 1, 1)))["joint"] == 0


def test_coverage_figures_org_moved_joint_to_single_counts_by_date(dataset):
    kinds: dict[str, Any] = {"kinds": ("private_non_enterprise",), "management_modes": ("industry",)}
    only_org5 = OrgFilter(**kinds)  # org 5 is the only industry-managed PNE

    before = coverage_figures(region=dataset.regions.district, day=dt.date(2024, 2, 29), org_filter=only_org5)
    after = coverage_figures(region=dataset.regions.district, day=dt.date(2024, 3, 1), org_filter=only_org5)

    assert (before["total"], before["joint"], before["single"]) == (1, 1, 0)
    assert (after["total"], after["joint"], after["single"]) == (1, 0, 1)


def test_coverage_figures_fallback_ended_single_started_counts_by_date(dataset):
    # org 6 is the only territorial PNE in street B
    only_org6 = OrgFilter(kinds=("private_non_enterprise",), management_modes=("territorial",))
    street_b = dataset.regions.street_b

    before = coverage_figures(region=street_b, day=dt.date(2024, 4, 30), org_filter=only_org6)
    after = coverage_figures(region=street_b, day=dt.date(2024, 5, 1), org_filter=only_org6)

    assert (before["total"], before["fallback"], before["single"]) == (1, 1, 0)
    assert (after["total"], after["fallback"], after["single"]) == (1, 0, 1)


def test_coverage_figures_filter_min_staff_equals_large_subset(dataset):
    result = coverage_figures(region=dataset.regions.district, day=D2)
    large_only = coverage_figures(region=dataset.regions.district, day=D2, org_filter=OrgFilter(min_staff=30))

    assert headline(large_only) == result["large"]
    assert large_only["filters"]["min_staff"] == 30


def test_coverage_figures_party_organizations_by_kind_and_mode(dataset):
    d1 = coverage_figures(region=dataset.regions.district, day=D1)
    d2 = coverage_figures(region=dataset.regions.district, day=D2)

    # D1: committee; branches single1, single2, fallback; joint branches joint, dissolved (until 2024-01-01);
    # single3 founded 2024-03-01 not yet
    assert d1["party_organizations_by_kind"] == {
        "comprehensive_committee": 1,
        "committee": 0,
        "general_branch": 0,
        "branch": 3,
        "joint_branch": 2,
        "temporary_branch": 0,
    }
    assert d1["party_organizations_by_mode"] == {"single": 2, "joint": 2, "fallback": 1}
    # D2: dissolved gone, single3 founded
    assert d2["party_organizations_by_kind"]["branch"] == 4
    assert d2["party_organizations_by_kind"]["joint_branch"] == 1
    assert d2["party_organizations_by_mode"] == {"single": 3, "joint": 1, "fallback": 1}
    # by street on D1: A single1 + joint; B single2 + dissolved; no street: committee + fallback
    streets = {row["code"]: row for row in d1["by_street"]}
    assert streets["330499001"]["party_organizations_by_mode"] == {"single": 1, "joint": 1, "fallback": 0}
    assert streets["330499002"]["party_organizations_by_mode"] == {"single": 1, "joint": 1, "fallback": 0}
    assert streets[None]["party_organizations_by_kind"]["comprehensive_committee"] == 1
    assert streets[None]["party_organizations_by_mode"] == {"single": 0, "joint": 0, "fallback": 1}


def test_coverage_figures_members_by_stage_as_of_date(dataset):
    d1 = coverage_figures(region=dataset.regions.district, day=D1)
    d2 = coverage_figures(region=dataset.regions.district, day=D2)

    # D1: full 3 (org 1) + 2 (org 2; the third left) + 3 (org 10) + 2 (org 11) = 10;
    # probationary: org 11's third; candidate: org 10's fourth (since 2023-06-01);
    # applicant: the pipeline person (activist only from 2024-03-01); the 2025 applicant not yet
    assert d1["members_by_stage"] == {
        "applicant": 1,
        "activist": 1 - 1,
        "candidate": 1,
        "probationary": 1,
        "full": 10,
    }
    # D2: full 10 + org 11's third = 11; probationary: org 10's fourth; activist 1; applicant 1
    assert d2["members_by_stage"] == {
        "applicant": 1,
        "activist": 1,
        "candidate": 0,
        "probationary": 1,
        "full": 11,
    }
    # by street on D1: A: single1 3 full, joint 2 + 3 full and the candidate; B: the applicant;
    # no street (fallback branch): 2 full + 1 probationary
    streets = {row["code"]: row["members_by_stage"] for row in d1["by_street"]}
    assert (streets["330499001"]["full"], streets["330499001"]["candidate"]) == (8, 1)
    assert streets["330499002"] == {
        "applicant": 1,
        "activist": 0,
        "candidate": 0,
        "probationary": 0,
        "full": 0,
    }
    assert (streets[None]["full"], streets[None]["probationary"]) == (2, 1)


def test_coverage_figures_street_scope_counts_only_its_subtree(dataset):
    result = coverage_figures(region=dataset.regions.street_a, day=D1)

    # street A alone: the same as its by_street row on D1
    assert headline(result) == figures(7, 1, 5, 0, 0, 1, 0.8571, 0.8571)
    assert [row["code"] for row in result["by_street"]] == ["330499001"]
    assert result["members_by_stage"]["full"] == 8


def test_coverage_figures_empty_region_has_zero_total_and_null_ratios(regions):
    result = coverage_figures(region=regions.street_b, day=D1)

    assert headline(result) == figures(0, 0, 0, 0, 0, 0, None, None)
    assert result["large"]["org_coverage"] is None
    assert result["by_street"][0]["code"] == "330499002"
    assert result["should_build_list"] == []
