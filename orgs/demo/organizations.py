"""The demo registry: 558 registered orgs (the Pinghu figures) and ~300 filed community orgs.

Management modes 316 territorial / 218 industry / 24 fallback; kinds in Binhu's
proportions (381 private non-enterprise : 131 social groups : 1 foundation of 513,
scaled to 558); skewed over streets like the communities are. Names are made up;
legal representatives and instructors are Faker zh_CN names (invented).

Everything is generated from a fixed seed before the database is read, then only
the rows that are missing are written, through orgs' services as DEMO_SEEDER (USCC checks,
status histories, inspection and grade rules), so a second run writes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from auditlog.context import disable_auditlog
from django.utils import timezone
from faker import Faker

from accounts.actors import DEMO_SEEDER, as_user
from accounts.audit import audit_summary
from orgs.demo.regions import DISTRICT_CODE, STREETS
from orgs.models import AnnualInspection, GradeAward, Organization, Region
from orgs.querysets import in_region_q
from orgs.rules import inspection_owed
from orgs.services.grades import grade_award_create
from orgs.services.inspection_results import inspections_record_many
from orgs.services.organizations import organization_create
from orgs.uscc import make_uscc

SEED = 20141112  # the comprehensive committee's founding day (DOMAIN.md, Pinghu)
MODE_COUNTS = {"territorial": 316, "industry": 218, "fallback": 24}  # = 558 registered
KIND_COUNTS = {"private_non_enterprise": 414, "social_group": 143, "foundation": 1}  # 381:131:1 scaled
FILED_COUNT = 300
GRADED_SHARE = 0.17  # of all registered; a few are too new to be graded, so ~15% hold a grade
AUTHORITY = "示范区民政局"
FLAGSHIP_NAME = "东湖街道阳光社工服务中心"  # the demo org contact's organization

STEMS = [
    "阳光", "春晖", "同心", "暖阳", "启航", "和美", "善行", "爱心", "乐龄", "益友", "晨曦", "彩虹",
    "明德", "瑞丰", "嘉禾", "安康", "惠民", "众诚", "博雅", "星火", "知行", "青禾", "聚力", "恒善",
    "悦心", "睦邻", "向阳", "映山红", "金穗", "清风",
]  # fmt: skip
PNE_SUFFIXES = [
    "社工服务中心", "居家养老服务中心", "青少年成长服务中心", "文化艺术培训学校", "康复服务中心",
    "心理咨询服务中心", "公益服务中心", "职业技能培训学校", "助残服务中心", "法律服务中心",
    "家庭教育指导中心", "体育健身俱乐部",
]  # fmt: skip
SG_SUFFIXES = [
    "志愿者协会", "商会", "企业家协会", "书法家协会", "摄影家协会", "老年体育协会", "餐饮行业协会",
    "家政服务业协会", "社会工作者协会", "青年创业促进会", "科普协会", "棋类协会",
]  # fmt: skip
FILED_ACTIVITIES = [
    "文体队", "志愿服务队", "睦邻互助会", "老年协会", "书画社", "读书会", "调解队", "平安巡逻队",
    "合唱团", "太极拳队", "亲子服务社", "邻里议事会",
]  # fmt: skip
INDUSTRIES = {
    "private_non_enterprise": ["社会工作", "养老服务", "教育培训", "卫生健康", "文化体育", "法律服务"],
    "social_group": ["行业协会", "文化体育", "慈善公益", "科技", "社会工作"],
    "foundation": ["慈善公益"],
}
SUPERVISORS = {
    "教育培训": "示范区教育局",
    "卫生健康": "示范区卫生健康局",
    "文化体育": "示范区文化和广电旅游体育局",
    "行业协会": "示范区工商业联合会",
    "科技": "示范区科学技术协会",
    "法律服务": "示范区司法局",
}
RESULT_WEIGHTS = {"qualified": 80, "basically_qualified": 8, "unqualified": 3, "not_filed": 9}
GRADE_WEIGHTS = {5: 8, 4: 22, 3: 45, 2: 18, 1: 7}
SECTION_FIELDS = (
    "has_party_organization", "no_party_organization_reason", "full_members_employed",
    "party_activities_held", "instructor_name",
)  # fmt: skip
RESULT_FIELDS = ("result", "supervisor_filed_on", "registry_filed_on")
NO_PARTY_REASONS = [
    "正式党员不足三名，党员纳入联合党支部",
    "暂无党员，已由街道选派党建指导员",
    "党员组织关系在原单位",
]


@dataclass
class DemoOrg:
    fields: dict
    inspections: list[dict] = field(default_factory=list)
    grades: list[dict] = field(default_factory=list)


def _street_weights(streets: list[Region], communities: dict[int, list[Region]]) -> list[float]:
    # Skewed like the communities: a town-centre street holds far more orgs than a rural town.
    return [len(communities[s.pk]) ** 1.5 for s in streets]


def _registered_specs(rng, fake, streets, communities, years) -> list[DemoOrg]:
    modes = [m for m, n in MODE_COUNTS.items() for _ in range(n)]
    kinds = [k for k, n in KIND_COUNTS.items() for _ in range(n)]
    rng.shuffle(modes)
    rng.shuffle(kinds)
    # The flagship (serial 1) is a territorial private non-enterprise unit: swap one to the front.
    for values, wanted in ((modes, "territorial"), (kinds, "private_non_enterprise")):
        i = values.index(wanted)
        values[0], values[i] = values[i], values[0]
    weights = _street_weights(streets, communities)
    last_year = years[-1]
    names: set[str] = {FLAGSHIP_NAME}
    specs = []
    for serial, (mode, kind) in enumerate(zip(modes, kinds, strict=True), 1):
        if serial == 1:
            street = streets[0]
            region, name = communities[street.pk][0], FLAGSHIP_NAME
        else:
            street = rng.choices(streets, weights)[0]
            at_street = mode == "fallback" or rng.random() < (0.6 if mode == "industry" else 0.3)
            region = street if at_street else rng.choice(communities[street.pk])
            place = "示范区" if mode == "industry" and rng.random() < 0.5 else street.name
            suffixes = {"private_non_enterprise": PNE_SUFFIXES, "social_group": SG_SUFFIXES}
            suffix = rng.choice(suffixes.get(kind, ["教育发展基金会"]))
            name = f"{place}{rng.choice(STEMS)}{suffix}"
            while name in names:
                name = f"{place}{rng.choice(STEMS)}{rng.choice(STEMS)}{suffix}"
            names.add(name)
        industry = rng.choice(INDUSTRIES[kind])
        # Mostly long-registered; a few in the last half of last year (they skip its inspection).
        if rng.random() < 0.04:
            registered_on = date(last_year, 7, 1) + timedelta(days=rng.randrange(170))
        else:
            registered_on = date(2006, 1, 1) + timedelta(
                days=rng.randrange((date(last_year, 6, 30) - date(2006, 1, 1)).days)
            )
        staff = min(200, int(rng.paretovariate(1.2) * (4 if kind == "private_non_enterprise" else 2)))
        org_fields = {
            "name": name,
            "kind": kind,
            "registration": "registered",
            "uscc": make_uscc(kind, DISTRICT_CODE, serial),
            "registering_authority": AUTHORITY,
            "authority_division_code": DISTRICT_CODE,
            "supervisor": SUPERVISORS.get(industry, "") if mode == "industry" else "",
            "industry": industry,
            "management_mode": mode,
            "region": region,
            "established_on": registered_on - timedelta(days=rng.randrange(10, 200)),
            "registered_on": registered_on,
            "legal_representative": fake.name(),
            "contact_phone": f"0573-85{rng.randrange(10**6):06d}",
            "address": f"{street.name}{rng.choice(STEMS)}路{rng.randrange(1, 400)}号",
            "staff_count": staff,
            "is_public": rng.random() < 0.95,
        }
        specs.append(DemoOrg(org_fields, _inspections(rng, fake, org_fields, years), []))
        if serial == 1 or rng.random() < GRADED_SHARE:
            specs[-1].grades = _grades(rng, registered_on, last_year, flagship=serial == 1)
    return specs


def _inspections(rng, fake, org_fields, years) -> list[dict]:
    probe = Organization(**{k: v for k, v in org_fields.items() if k != "region"})
    rows = []
    for year in years:
        if not inspection_owed(probe, year):
            continue
        result = rng.choices(list(RESULT_WEIGHTS), list(RESULT_WEIGHTS.values()))[0]
        if result == "not_filed" and rng.random() < 0.5:
            continue  # owes it and has not even started
        filed = result != "not_filed"
        has_party = rng.random() < 0.12
        supervisor_on = date(year + 1, 3, 1) + timedelta(days=rng.randrange(30)) if filed else None
        registry_on = date(year + 1, 4, 10) + timedelta(days=rng.randrange(50)) if filed else None
        rows.append(
            {
                "year": year,
                "result": result,
                "supervisor_filed_on": supervisor_on if org_fields["supervisor"] else None,
                "registry_filed_on": registry_on,
                "has_party_organization": has_party if filed else None,
                "no_party_organization_reason": ""
                if has_party or not filed
                else rng.choice(NO_PARTY_REASONS),
                "full_members_employed": (rng.randrange(3, 12) if has_party else rng.randrange(0, 3))
                if filed
                else None,
                "party_activities_held": (rng.randrange(4, 24) if has_party else rng.randrange(0, 4))
                if filed
                else None,
                "instructor_name": fake.name() if filed and rng.random() < 0.5 else "",
            }
        )
    return rows


def _grades(rng, registered_on, last_year, *, flagship=False) -> list[dict]:
    first = max(registered_on.year + 2, last_year - 4)  # still valid today
    if first > last_year:
        return []
    year = rng.randrange(first, last_year + 1)
    grades = [
        {
            "grade": 4 if flagship else rng.choices(list(GRADE_WEIGHTS), list(GRADE_WEIGHTS.values()))[0],
            "year": year,
        }
    ]
    if year + 3 <= last_year and rng.random() < 0.3:  # re-evaluated later
        grades.append({"grade": min(5, grades[0]["grade"] + rng.choice([0, 1])), "year": year + 3})
    for n, grade in enumerate(grades, 1):
        grade["announced_on"] = date(grade.pop("year"), 11, 20)
        grade["document"] = f"示民〔{grade['announced_on'].year}〕{rng.randrange(10, 90)}号-{n}"
    return grades


def _filed_specs(rng, streets, communities) -> list[DemoOrg]:
    weights = _street_weights(streets, communities)
    taken: set[tuple[int, str]] = set()
    specs: list[DemoOrg] = []
    while len(specs) < FILED_COUNT:
        street = rng.choices(streets, weights)[0]
        community = rng.choice(communities[street.pk])
        name = f"{community.name}{rng.choice(FILED_ACTIVITIES)}"
        if (community.pk, name) in taken:
            continue
        taken.add((community.pk, name))
        specs.append(
            DemoOrg(
                {
                    "name": name,
                    "kind": "community",
                    "registration": "filed",
                    "uscc": None,
                    "management_mode": "territorial",
                    "region": community,
                    "registered_on": date(2015, 1, 1) + timedelta(days=rng.randrange(3650)),
                    "staff_count": rng.randrange(0, 4),
                    "is_public": True,
                }
            )
        )
    return specs


def demo_specs(today: date | None = None) -> list[DemoOrg]:
    """The whole demo registry, from the fixed seed and the demo district's regions."""
    today = today or timezone.localdate()
    district = Region.objects.get(code=DISTRICT_CODE)
    streets = list(Region.objects.filter(parent=district).order_by("code"))
    communities = {s.pk: list(Region.objects.filter(parent=s).order_by("code")) for s in streets}
    if len(streets) != len(STREETS):
        raise RuntimeError("Seed the demo regions (orgs.demo.regions.seed_regions) first.")
    rng = random.Random(SEED)  # noqa: S311 (demo data: reproducible, not secret)
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    years = [today.year - 2, today.year - 1]
    return _registered_specs(rng, fake, streets, communities, years) + _filed_specs(rng, streets, communities)


def seed_organizations(today: date | None = None) -> dict[str, int]:
    """Write the missing demo orgs, inspections and grades; returns how many rows were created.

    Like the registry import, the registry's thousands of rows leave one change-log entry that
    stands for them (on the demo district), not one per row: per-row logging is switched off here
    (it was most of the time it took), the services' checks are not."""
    with disable_auditlog():
        created = _seed_registry(demo_specs(today))
    if created["organizations"] or created["inspections"] or created["grades"]:
        audit_summary(
            instance=Region.objects.get(code=DISTRICT_CODE),
            actor=as_user(DEMO_SEEDER),
            changes={key: created[key] for key in ("organizations", "inspections", "grades")},
            additional_data={"kind": "demo_registry", "by": DEMO_SEEDER.name},
        )
    return created


def _seed_registry(specs: list[DemoOrg]) -> dict[str, int]:
    usccs = [s.fields["uscc"] for s in specs if s.fields["uscc"]]
    district = Region.objects.get(code=DISTRICT_CODE)
    demo_orgs = Organization.objects.filter(in_region_q(district, "region__"))
    existing = dict(demo_orgs.filter(uscc__in=usccs).values_list("uscc", "pk"))
    # A code already registered outside the demo district belongs to someone else: leave it alone.
    taken_elsewhere = set(
        Organization.objects.filter(uscc__in=usccs)
        .exclude(pk__in=existing.values())
        .values_list("uscc", flat=True)
    )
    specs = [s for s in specs if s.fields["uscc"] not in taken_elsewhere]
    region_ids = {s.fields["region"].pk for s in specs if not s.fields["uscc"]}
    existing_filed = {
        (region_id, name): pk
        for pk, region_id, name in Organization.objects.filter(
            registration="filed", region_id__in=region_ids
        ).values_list("pk", "region_id", "name")
    }

    def key(spec):
        f = spec.fields
        return f["uscc"] or (f["region"].pk, f["name"])

    def lookup(spec):
        f = spec.fields
        return existing.get(f["uscc"]) if f["uscc"] else existing_filed.get((f["region"].pk, f["name"]))

    # organization_create checks each USCC against its kind, places it in scope and starts its history.
    new = [organization_create(**s.fields, actor=DEMO_SEEDER) for s in specs if lookup(s) is None]
    ids = {key(s): lookup(s) for s in specs}
    ids.update({(o.uscc or (o.region_id, o.name)): o.pk for o in new})

    have_inspections = set(
        AnnualInspection.objects.filter(organization_id__in=ids.values()).values_list(
            "organization_id", "year"
        )
    )
    by_id = Organization.objects.in_bulk(list(ids.values()))
    inspections = inspections_record_many(
        rows=[
            _inspection_row(by_id[ids[key(s)]], row)
            for s in specs
            for row in s.inspections
            if (ids[key(s)], row["year"]) not in have_inspections
        ],
        actor=DEMO_SEEDER,
    )

    have_grades = set(
        GradeAward.objects.filter(organization_id__in=ids.values()).values_list(
            "organization_id", "announced_on"
        )
    )
    grades = 0
    for s in specs:
        for g in s.grades:
            if (ids[key(s)], g["announced_on"]) not in have_grades:
                grade_award_create(organization=by_id[ids[key(s)]], **g, actor=DEMO_SEEDER)
                grades += 1
    return {
        "organizations": len(new),
        "inspections": len(inspections),
        "grades": grades,
        "flagship_created": any(o.uscc == make_uscc("private_non_enterprise", DISTRICT_CODE, 1) for o in new),
    }


def _inspection_row(organization: Organization, row: dict) -> dict:
    """One year's inspection for inspections_record_many: the registry's result, and the
    organization's party-building section when it filed at all."""
    filed = row["result"] != AnnualInspection.Result.NOT_FILED
    return {
        "organization": organization,
        "year": row["year"],
        **{name: row[name] for name in RESULT_FIELDS},
        "section": {name: row[name] for name in SECTION_FIELDS} if filed else None,
    }


def flagship_organization() -> Organization | None:
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        return None
    return Organization.objects.filter(
        in_region_q(district, "region__"),
        name=FLAGSHIP_NAME,
        uscc=make_uscc("private_non_enterprise", DISTRICT_CODE, 1),
    ).first()
