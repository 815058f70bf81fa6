"""The statistics table: one row per street and a total row, as an officer reads it (labels in the
user's language through gettext; Chinese characters count two columns when aligning)."""

import unicodedata

from django.utils.translation import gettext as _

from branches.models import PartyOrganization
from members.models import Member

SHOULD_BUILD_NAMES_SHOWN = 20  # the table names this many should-build organizations; JSON has them all


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _columns(large_min_staff: int):
    return [
        (_("Organizations"), lambda f: str(f["total"])),
        (_("Single"), lambda f: str(f["single"])),
        (_("Joint"), lambda f: str(f["joint"])),
        (_("Fallback"), lambda f: str(f["fallback"])),
        (_("Org-covered"), lambda f: str(f["org_covered"])),
        (_("Org coverage"), lambda f: percent(f["org_coverage"])),
        (_("Work-covered"), lambda f: str(f["work_covered"])),
        (_("Work coverage"), lambda f: percent(f["work_coverage"])),
        (_("Should build"), lambda f: str(f["should_build"])),
        (_("Staff ≥ %(n)d") % {"n": large_min_staff}, lambda f: str(f["large"]["total"])),
        (_("Their org coverage"), lambda f: percent(f["large"]["org_coverage"])),
    ]


def street_label(row: dict) -> str:
    return row["name"] if row["code"] is not None else _("District level (no street)")


def render_table(figures: dict) -> str:
    columns = _columns(figures["thresholds"]["large_org_min_staff"])
    header = [_("Street"), *(label for label, _value in columns)]
    body = [[street_label(row), *(value(row) for _label, value in columns)] for row in figures["by_street"]]
    total = [_("Total"), *(value(figures) for _label, value in columns)]
    lines = [header, *body, total]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]

    def render(cells):
        return "  ".join(_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(cells))

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    title = _("Coverage of %(region)s (%(code)s) on %(date)s") % {
        "region": figures["region"]["name"],
        "code": figures["region"]["code"],
        "date": figures["date"],
    }
    out = [title, render(header), rule, *(render(cells) for cells in body), rule, render(total), ""]
    modes = ", ".join(
        f"{PartyOrganization.BuildingMode(mode).label} {count}"
        for mode, count in figures["party_organizations_by_mode"].items()
    )
    out.append(
        _("Party organizations: %(total)d (%(modes)s)")
        % {"total": sum(figures["party_organizations_by_kind"].values()), "modes": modes}
    )
    stages = ", ".join(
        f"{Member.Stage(stage).label} {count}" for stage, count in figures["members_by_stage"].items()
    )
    out.append(_("Members by stage: %(stages)s") % {"stages": stages})
    should_build = figures["should_build_list"]
    if should_build:
        names = "、".join(item["name"] for item in should_build[:SHOULD_BUILD_NAMES_SHOWN])
        if len(should_build) > SHOULD_BUILD_NAMES_SHOWN:
            names += _(" … and %(n)d more (see --format json)") % {
                "n": len(should_build) - SHOULD_BUILD_NAMES_SHOWN
            }
        out.append(_("Should build but have no own branch: %(names)s") % {"names": names})
    return "\n".join(out) + "\n"
