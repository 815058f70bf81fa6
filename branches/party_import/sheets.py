"""The sheets of the party import workbook: Chinese headers (what users type) → field keys."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[tuple[str, str, bool], ...]  # (header, key, required)
    help: "str | Promise"  # a lazy translation


PARTY_ORGANIZATIONS = Sheet(
    "党组织",
    (
        ("外部编号", "external_id", True),
        ("名称", "name", True),
        ("类别", "kind", True),
        ("组建方式", "building_mode", False),
        ("区划代码", "region", True),
        ("上级党组织外部编号", "parent", False),
        ("成立日期", "founded_on", False),
        ("撤销日期", "dissolved_on", False),
    ),
    _("One row per party organization, superiors before the organizations under them."),
)
COVERAGE_LINKS = Sheet(
    "覆盖关系",
    (
        ("外部编号", "external_id", True),
        ("党组织外部编号", "party_organization", True),
        ("社会组织统一社会信用代码", "organization", True),
        ("起始日期", "since", True),
        ("终止日期", "until", False),
    ),
    _("One row per period an organization was covered; the end date is exclusive, empty while it runs."),
)
INSTRUCTORS = Sheet(
    "党建指导员",
    (
        ("外部编号", "external_id", True),
        ("姓名", "name", True),
        ("选派方式", "dispatched_by", True),
        ("选派单位", "dispatching_body", True),
        ("区划代码", "region", True),
    ),
    _("One row per instructor."),
)
ASSIGNMENTS = Sheet(
    "指导关系",
    (
        ("外部编号", "external_id", True),
        ("指导员外部编号", "instructor", True),
        ("社会组织统一社会信用代码", "organization", True),
        ("起始日期", "since", True),
        ("终止日期", "until", False),
    ),
    _("One row per period an instructor was assigned to an organization."),
)
SHEETS = (PARTY_ORGANIZATIONS, COVERAGE_LINKS, INSTRUCTORS, ASSIGNMENTS)
REGIONS_SHEET = "区划代码"
# Chinese labels accepted in choice cells (the codes work too).
KIND_LABELS = {
    "综合党委": "comprehensive_committee",
    "党委": "committee",
    "党总支": "general_branch",
    "党支部": "branch",
    "联合党支部": "joint_branch",
    "临时党支部": "temporary_branch",
}
MODE_LABELS = {"单独组建": "single", "联合组建": "joint", "兜底": "fallback"}
DISPATCH_LABELS = {"行业选派": "industry", "街道选派": "street"}
MAX_ROWS = 20000
