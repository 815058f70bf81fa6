"""The demo district: 8 streets and 114 communities (the Pinghu figures of DOMAIN.md), names made up."""

from accounts.actors import DEMO_SEEDER
from orgs.models import Region
from orgs.services.regions import region_create

DISTRICT_CODE = "330499"
DISTRICT_NAME = "示范区"
STREETS = ["东湖街道", "钟埭街道", "曹桥街道", "当湖街道", "新埭镇", "新仓镇", "广陈镇", "林埭镇"]
# 114 communities, skewed: the town centre's streets are far larger than the rural towns.
COMMUNITIES_PER_STREET = [26, 22, 18, 14, 12, 9, 7, 6]
COMMUNITY_SUFFIXES = ["社区", "村"]
COMMUNITY_STEMS = [
    "和平",
    "新华",
    "朝阳",
    "东风",
    "胜利",
    "建设",
    "团结",
    "幸福",
    "光明",
    "长安",
    "兴隆",
    "永安",
    "清溪",
    "南湖",
    "北港",
    "金桥",
]


def _ensure(code: str, name: str, kind: str, parent: Region | None) -> Region:
    existing = Region.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return region_create(code=code, name=name, kind=kind, parent=parent, actor=DEMO_SEEDER)


def seed_regions() -> Region:
    """Create the demo district through the services (missing rows only); return it as stored."""
    district = _ensure(DISTRICT_CODE, DISTRICT_NAME, Region.Kind.DISTRICT, None)
    for s, (street_name, n_communities) in enumerate(zip(STREETS, COMMUNITIES_PER_STREET, strict=True), 1):
        street = _ensure(f"{DISTRICT_CODE}{s:03d}", street_name, Region.Kind.STREET, district)
        for c in range(1, n_communities + 1):
            stem = COMMUNITY_STEMS[(s * 7 + c) % len(COMMUNITY_STEMS)]
            suffix = COMMUNITY_SUFFIXES[0] if s <= 4 else COMMUNITY_SUFFIXES[1]
            _ensure(f"{street.code}{c:03d}", f"{stem}{c}{suffix}", Region.Kind.COMMUNITY, street)
    return Region.objects.get(pk=district.pk)  # fresh bounds: the inserts below it widened the tree
