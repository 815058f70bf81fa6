"""The members spreadsheet's columns. Headers and choice labels are the file format: not translated."""

from django.utils.translation import gettext_lazy as _

from orgs.registry_io.columns import Column, ColumnType, normalize_header

GENDER_LABELS = {"male": "男", "female": "女"}
EDUCATION_LABELS = {
    "primary": "小学及以下",
    "junior": "初中",
    "senior": "高中/中专",
    "college": "大专",
    "bachelor": "本科",
    "master": "硕士研究生",
    "doctor": "博士研究生",
}
AFFILIATION_LABELS = {"formal": "正式", "temporary": "临时(双重组织关系)", "flowing": "流动党员"}
STAGE_LABELS = {
    "applicant": "入党申请人",
    "activist": "入党积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "正式党员",
}
STATUS_LABELS = {
    "active": "正常",
    "suspended": "停止党籍",
    "transferred_out": "已转出",
    "left": "出党/退出",
    "deceased": "去世",
}

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True, width=12),
    Column(
        "id_number",
        "公民身份号码",
        required=True,
        width=22,
        note=_(
            "18 characters; the last may be X. Checked: the check character and the birth date. "
            "Importing the same number again updates that person."
        ),
    ),
    Column(
        "gender",
        "性别",
        ColumnType.CHOICE,
        labels=GENDER_LABELS,
        width=6,
        note=_("Empty: taken from the ID number."),
    ),
    Column(
        "birth_date",
        "出生日期",
        ColumnType.DATE,
        width=12,
        note=_("Empty: taken from the ID number; if given it must agree with it."),
    ),
    Column("ethnicity", "民族", default="汉族", width=8, note=_("Empty means 汉族.")),
    Column("phone", "联系电话", width=16),
    Column("education", "学历", ColumnType.CHOICE, labels=EDUCATION_LABELS, width=12),
    Column(
        "employer_uscc",
        "工作单位统一社会信用代码",
        width=22,
        note=_("The employer's code; it must be an organization inside your scope. Optional."),
    ),
    Column(
        "employer_name",
        "工作单位",
        ColumnType.INFO,
        width=24,
        note=_("Written on export; ignored on import."),
    ),
    Column(
        "party_organization",
        "所在党组织",
        required=True,
        width=24,
        note=_("The exact name of a party organization inside your scope."),
    ),
    Column(
        "affiliation",
        "组织关系类型",
        ColumnType.CHOICE,
        labels=AFFILIATION_LABELS,
        aliases={"临时": "temporary", "流动": "flowing"},
        width=14,
        note=_(
            "Written on export; not changed by an import. Temporary and flowing members are recorded as "
            "periods on the member's page (where, since when, which branch). Leave it empty, or as "
            "exported."
        ),
    ),
    Column(
        "stage",
        "发展阶段",
        ColumnType.CHOICE,
        required=True,
        labels=STAGE_LABELS,
        aliases={"党员": "full", "申请人": "applicant", "积极分子": "activist"},
        width=12,
    ),
    Column("applied_on", "申请入党日期", ColumnType.DATE, width=12, note=_("Required for an applicant.")),
    Column("activist_on", "确定积极分子日期", ColumnType.DATE, width=12, note=_("Required for an activist.")),
    Column(
        "candidate_on", "确定发展对象日期", ColumnType.DATE, width=12, note=_("Required for a candidate.")
    ),
    Column(
        "admitted_on",
        "接收预备党员日期",
        ColumnType.DATE,
        width=12,
        note=_("The admission vote; required for a probationary member."),
    ),
    Column("full_on", "转正日期", ColumnType.DATE, width=12, note=_("Required for a full member.")),
    Column(
        "status",
        "党籍状态",
        ColumnType.INFO,
        labels=STATUS_LABELS,
        width=10,
        note=_("Written on export; ignored on import."),
    ),
)

# Read on import only to refuse a change: the value is derived from the member's periods.
CHECKED_ONLY = ("affiliation",)
IMPORT_COLUMNS = tuple(c for c in COLUMNS if c.type != ColumnType.INFO)
REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required)
HEADER_LOOKUP = {normalize_header(c.header): c for c in COLUMNS}
CHOICE_LOOKUPS = {c.key: c.choice_lookup() for c in COLUMNS if c.type == ColumnType.CHOICE}
