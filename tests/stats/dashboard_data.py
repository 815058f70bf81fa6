"""A small coverage dataset over the shared region tree, with district snapshots on two dates.

Street A (东湖): 东湖单建中心 (single branch), 东湖未覆盖中心 (nothing).
Street B (钟埭): 钟埭联建甲/乙 (one joint branch; 甲 employs 3 full members: should build),
钟埭未覆盖协会 (nothing, but an instructor: work-covered).
"""

import datetime as dt
from dataclasses import dataclass

from stats.snapshots import coverage_snapshot_write
from tests.stats import builders as b

EARLIER = dt.date(2026, 9, 30)
LATEST = dt.date(2026, 10, 31)
SINCE = dt.date(2024, 1, 1)


@dataclass
class Dataset:
    regions: object
    orgs: dict
    committee: object


def build(regions, *, snapshots=(EARLIER, LATEST)) -> Dataset:
    cc = b.committee(regions.district)
    orgs = {
        "a_single": b.organization("东湖单建中心", region=regions.community_a1),
        "a_none": b.organization("东湖未覆盖中心", region=regions.community_a2),
        "b_joint_1": b.organization("钟埭联建甲", region=regions.community_b1),
        "b_joint_2": b.organization("钟埭联建乙", region=regions.community_b1, management_mode="industry"),
        "b_none": b.organization("钟埭未覆盖协会", region=regions.community_b2, kind="social_group"),
    }
    single = b.party_org("东湖单建支部", mode="single", region=regions.community_a1, parent=cc)
    joint = b.party_org("钟埭联合支部", mode="joint", region=regions.community_b1, parent=cc)
    b.link(single, orgs["a_single"], SINCE)
    b.link(joint, orgs["b_joint_1"], SINCE)
    b.link(joint, orgs["b_joint_2"], SINCE)
    b.full_members(joint, orgs["b_joint_1"], 3, dt.date(2020, 1, 1))
    b.instructor_assignment(orgs["b_none"], SINCE)
    for day in snapshots:
        coverage_snapshot_write(region=regions.district, day=day)
    return Dataset(regions, orgs, cc)
