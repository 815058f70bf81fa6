"""The hand-worked dataset: 15 organizations whose figures on three dates are worked out in
tests/coverage/test_engine.py, one comment line per organization."""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.stats import builders as b

D1 = dt.date(2023, 6, 30)  # a past date
D3 = dt.date(2024, 6, 30)  # two links of org 8 and of org 9 overlap
D2 = dt.date(2025, 6, 30)  # the later date


@dataclass
class Dataset:
    regions: object
    pos: dict
    orgs: dict


@pytest.fixture
def dataset(regions) -> Dataset:
    r = regions
    cc = b.committee(r.district)
    pos = {
        "cc": cc,
        "single1": b.party_org("东湖一号单独支部", mode="single", region=r.community_a1, parent=cc),
        "single2": b.party_org("钟埭二号单独支部", mode="single", region=r.community_b1, parent=cc),
        "joint": b.party_org("新华联合支部", mode="joint", region=r.community_a2, parent=cc),
        "fallback": b.party_org(
            "综合党委兜底支部", mode="fallback", region=r.district, parent=cc, founded_on=dt.date(2015, 1, 1)
        ),
        "dissolved": b.party_org(
            "东风联合支部(已撤销)",
            mode="joint",
            region=r.community_b2,
            parent=cc,
            dissolved_on=dt.date(2024, 1, 1),
        ),
        "single3": b.party_org(
            "五号单独支部", mode="single", region=r.community_a1, parent=cc, founded_on=dt.date(2024, 3, 1)
        ),
    }
    p = pos
    y2020 = dt.date(2020, 1, 1)
    org = b.organization
    o = {
        1: org("一号单独组建", region=r.community_a1, staff_count=40),
        2: org("二号联合组建", region=r.community_a2, kind="social_group", staff_count=10),
        3: org(
            "三号联合组建(备案)",
            region=r.community_a2,
            kind="community",
            management_mode="industry",
            staff_count=3,
        ),
        4: org(
            "四号兜底", region=r.community_b1, kind="social_group", management_mode="fallback", staff_count=8
        ),
        5: org("五号联合转单独", region=r.community_a1, management_mode="industry", staff_count=35),
        6: org("六号兜底转单独", region=r.community_b1, staff_count=12),
        7: org("七号支部撤销", region=r.community_b2, kind="social_group", staff_count=6),
        8: org("八号重叠(撤销支部)", region=r.community_b2, kind="community", staff_count=4),
        9: org(
            "九号重叠(兜底与联合)",
            region=r.community_b1,
            kind="community",
            management_mode="industry",
            staff_count=7,
        ),
        10: org("十号应建(联合)", region=r.community_a1, staff_count=50),
        11: org("十一号应建(未覆盖)", region=r.community_b1, kind="social_group", staff_count=30),
        12: org(
            "十二号已注销",
            region=r.community_a2,
            kind="social_group",
            status="deregistered",
            status_changed_on=dt.date(2024, 1, 1),
        ),
        13: org(
            "十三号新登记",
            region=r.community_b1,
            kind="community",
            staff_count=2,
            registered_on=dt.date(2024, 2, 1),
        ),
        14: org(
            "十四号区直属", region=r.district, kind="foundation", management_mode="fallback", staff_count=3
        ),
        15: org("十五号无覆盖", region=r.community_a1, kind="community", staff_count=1),
    }
    b.link(p["single1"], o[1], y2020)
    b.link(p["joint"], o[2], y2020)
    b.link(p["joint"], o[3], y2020)
    b.link(p["fallback"], o[4], y2020)
    b.instructor_assignment(o[4], y2020)  # org-covered: never work-covered
    b.link(p["joint"], o[5], y2020, dt.date(2024, 3, 1))  # joint → own single branch on 2024-03-01
    b.link(p["single3"], o[5], dt.date(2024, 3, 1))
    b.link(p["fallback"], o[6], y2020, dt.date(2024, 5, 1))  # fallback ended, single started 2024-05-01
    b.link(p["single2"], o[6], dt.date(2024, 5, 1))
    b.link(p["dissolved"], o[7], y2020)  # link never ended; its branch dissolved 2024-01-01
    b.instructor_assignment(o[7], dt.date(2024, 2, 1))
    b.link(p["dissolved"], o[8], y2020, dt.date(2025, 1, 1))  # ended a year after the dissolution …
    b.link(p["fallback"], o[8], dt.date(2024, 2, 1))  # … overlapping the fallback link
    b.link(p["fallback"], o[9], y2020, dt.date(2024, 9, 1))  # overlaps the joint link 2024-06 … 2024-09
    b.link(p["joint"], o[9], dt.date(2024, 6, 1))
    b.link(p["joint"], o[10], y2020)
    b.link(p["joint"], o[12], y2020, dt.date(2024, 1, 1))
    b.instructor_assignment(o[13], dt.date(2024, 3, 1))
    b.link(p["fallback"], o[14], y2020)
    b.instructor_assignment(o[15], dt.date(2019, 1, 1), dt.date(2023, 1, 1))  # ended before D1

    full = dt.date(2021, 1, 1)
    b.full_members(p["single1"], o[1], 3, full)  # single-covered: not should-build
    b.full_members(p["joint"], o[2], 2, full)
    b.full_members(p["joint"], o[2], 1, full, status="left")  # left: not counted anywhere
    b.full_members(p["joint"], o[10], 3, full)
    b.member(  # org 10's fourth: candidate from 2023-06-01, probationary from 2024-01-01
        p["joint"],
        employer=o[10],
        stage="probationary",
        applied_on=dt.date(2021, 3, 1),
        activist_on=dt.date(2021, 6, 1),
        candidate_on=dt.date(2023, 6, 1),
        admitted_on=dt.date(2024, 1, 1),
    )
    b.full_members(p["fallback"], o[11], 2, dt.date(2022, 1, 1))
    b.member(  # org 11's third: probationary from 2023-01-01, full from 2024-01-01
        p["fallback"], employer=o[11], admitted_on=dt.date(2023, 1, 1), full_on=dt.date(2024, 1, 1)
    )
    b.member(  # applicant from 2023-03-01, activist from 2024-03-01
        p["single2"], stage="activist", applied_on=dt.date(2023, 3, 1), activist_on=dt.date(2024, 3, 1)
    )
    b.member(p["single2"], stage="applicant", applied_on=dt.date(2025, 1, 1))
    return Dataset(regions=regions, pos=pos, orgs=o)
