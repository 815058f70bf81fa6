"""The registry spreadsheet's columns: one spec shared by the template, export, parser and validator.

Headers and choice labels are Chinese and fixed. They are the file format, not
interface text: a file exported by an English-speaking officer must import
anywhere, so they are not translated. The instructions sheet (`note`) is.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ColumnType:
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    INT = "int"
    BOOL = "bool"
    REGION = "region"
    USCC = "uscc"
    INFO = "info"  # written on export for the reader, ignored on import


@dataclass(frozen=True)
class Column:
    key: str  # the Organization field it fills (`region` is the division code)
    header: str
    type: str = ColumnType.TEXT
    required: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # value → Chinese label written to files
    aliases: dict[str, str] = field(default_factory=dict)  # more accepted spellings → value
    default: object = None  # used when the cell is empty
    width: int = 16
    note: str | Promise = ""

    @property
    def imported(self) -> bool:
        return self.type != ColumnType.INFO

    def choice_lookup(self) -> dict[str, str]:
        """Every accepted spelling (label, value, alias; case-folded) → stored value."""
        lookup = {}
        for value, label in self.labels.items():
            lookup[label.casefold()] = value
            lookup[value.casefold()] = value
        lookup.update({alias.casefold(): value for alias, value in self.aliases.items()})
        return lookup


KIND_LABELS = {
    "social_group": "社会团体",
    "private_non_enterprise": "民办非企业单位",
    "foundation": "基金会",
    "community": "社区社会组织",
}
REGISTRATION_LABELS = {"registered": "登记", "filed": "备案"}
MANAGEMENT_MODE_LABELS = {"territorial": "属地管理", "industry": "行业管理", "fallback": "兜底管理"}
STATUS_LABELS = {"active": "正常", "deregistered": "注销", "revoked": "撤销"}
BOOL_LABELS = {True: "是", False: "否"}
BOOL_ACCEPTED = {
    "是": True,
    "否": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}

COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", required=True, width=32, note=_("Full registered name.")),
    Column("short_name", "简称", note=_("Optional.")),
    Column(
        "kind",
        "类型",
        ColumnType.CHOICE,
        required=True,
        labels=KIND_LABELS,
        aliases={"社会服务机构": "private_non_enterprise", "民非": "private_non_enterprise"},
        width=18,
        note=_("A filed organization must be a community social organization."),
    ),
    Column(
        "registration",
        "登记/备案",
        ColumnType.CHOICE,
        required=True,
        labels=REGISTRATION_LABELS,
        width=10,
        note=_("Registered organizations have a USCC; filed ones have none."),
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        ColumnType.USCC,
        width=22,
        note=_(
            "18 characters (GB 32100-2015). Required for registered organizations, empty for filed "
            "ones. Importing the same code again updates that organization."
        ),
    ),
    Column("registering_authority", "登记管理机关", width=20),
    Column(
        "authority_division_code",
        "登记机关区划代码",
        width=14,
        note=_("6 digits, e.g. 330482."),
    ),
    Column("supervisor", "业务主管单位", width=20),
    Column("industry", "行业"),
    Column(
        "management_mode",
        "管理方式",
        ColumnType.CHOICE,
        labels=MANAGEMENT_MODE_LABELS,
        default="territorial",
        note=_("Empty means territorial management."),
    ),
    Column(
        "region",
        "所在街道/社区(区划代码)",
        ColumnType.REGION,
        required=True,
        width=22,
        note=_(
            "The 9-digit street or 12-digit community code (the sheet “区划代码” of the template lists "
            "them); it must lie inside your own scope. "
            "A filed organization is matched by name and this code."
        ),
    ),
    Column(
        "region_name",
        "所在街道/社区名称",
        ColumnType.INFO,
        width=18,
        note=_("Written on export for reading only; ignored on import."),
    ),
    Column("established_on", "成立日期", ColumnType.DATE, width=12, note=_("Dates: see below.")),
    Column("registered_on", "登记日期", ColumnType.DATE, width=12),
    Column(
        "status",
        "状态",
        ColumnType.CHOICE,
        labels=STATUS_LABELS,
        default="active",
        width=8,
        aliases={"已注销": "deregistered", "已撤销": "revoked", "存续": "active"},
        note=_("Empty means active."),
    ),
    Column(
        "status_changed_on",
        "状态变更日期",
        ColumnType.DATE,
        width=12,
        note=_("Required when the status is deregistered or revoked."),
    ),
    Column("legal_representative", "法定代表人", width=12),
    Column("contact_phone", "联系电话", width=16, note=_("Staff only; never shown in public.")),
    Column("address", "地址", width=32),
    Column(
        "staff_count",
        "从业人员数",
        ColumnType.INT,
        default=0,
        width=10,
        note=_("A whole number, 0 or more; empty means 0."),
    ),
    Column("website", "网址", width=24, note=_("A full address starting with http:// or https://.")),
    Column("description", "简介", width=40),
    Column(
        "is_public",
        "是否公开",
        ColumnType.BOOL,
        default=True,
        width=10,
        note=_("Whether it appears in the public directory; empty means yes."),
    ),
)

IMPORT_COLUMNS = tuple(c for c in COLUMNS if c.imported)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required)
# Organization fields an import writes (the region column fills region_id).
IMPORT_FIELDS = tuple("region_id" if c.key == "region" else c.key for c in IMPORT_COLUMNS)

_HEADER_NOISE = re.compile(r"\s+")
_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "／": "/"})


def normalize_header(raw: object) -> str:
    """Headers compared loosely: spaces and full-width brackets/slashes do not matter."""
    if raw is None:
        return ""
    return _HEADER_NOISE.sub("", str(raw)).translate(_FULL_WIDTH)


HEADER_LOOKUP = {normalize_header(c.header): c for c in COLUMNS}
