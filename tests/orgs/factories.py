from dataclasses import dataclass

from orgs.models import Region
from orgs.services.regions import region_create


@dataclass
class RegionTree:
    district: Region
    street_a: Region
    street_b: Region
    community_a1: Region
    community_a2: Region
    community_b1: Region
    community_b2: Region


def build_region_tree(district_code: str = "330499") -> RegionTree:
    """A district with two streets of two communities each, written through the services."""
    district = region_create(code=district_code, name="示范区", kind=Region.Kind.DISTRICT)
    street_a = region_create(code=f"{district_code}001", name="东湖街道", kind="street", parent=district)
    street_b = region_create(code=f"{district_code}002", name="钟埭街道", kind="street", parent=district)
    return RegionTree(
        district=district,
        street_a=street_a,
        street_b=street_b,
        community_a1=region_create(
            code=f"{street_a.code}001", name="和平社区", kind="community", parent=street_a
        ),
        community_a2=region_create(
            code=f"{street_a.code}002", name="新华社区", kind="community", parent=street_a
        ),
        community_b1=region_create(
            code=f"{street_b.code}001", name="朝阳社区", kind="community", parent=street_b
        ),
        community_b2=region_create(
            code=f"{street_b.code}002", name="东风社区", kind="community", parent=street_b
        ),
    )
