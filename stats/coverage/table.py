"""The statistics table: one row per street and a total row, as an officer reads it (labels in the
user's language through gettext; Chinese characters count two columns when aligning)."""

import unicodedata

from django.utils.translation import gettext as _

from branches.models import PartyOrganization
from members.models import Member
from orgs.models import Organization
from stats.coverage.result import CoverageResult, Figures, StreetFigures

SHOULD_BUILD_NAMES_SHOWN = 20  # the table names this many should-build organizations; JSON has them all


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _columns(large_min_staff: int):
    def large(f: Figures) -> Figures:
        return f.large or Figures()

    return [
        (_("Organizations"), lambda f: str(f.total)),
        (_("Single"), lambda f: str(f.single)),
        (_("Joint"), lambda f: str(f.joint)),
        (_("Fallback"), lambda f: str(f.fallback)),
        (_("Org-covered"), lambda f: str(f.org_covered)),
        (_("Org coverage"), lambda f: percent(f.org_coverage)),
        (_("Work-covered"), lambda f: str(f.work_covered)),
        (_("Work coverage"), lambda f: percent(f.work_coverage)),
        (_("Should build"), lambda f: str(f.should_build)),
        (_("Staff ≥ %(n)d") % {"n": large_min_staff}, lambda f: str(large(f).total)),
        (_("Their org coverage"), lambda f: percent(large(f).org_coverage)),
    ]


def street_label(row: StreetFigures) -> str:
    return row.name if row.code is not None and row.name is not None else _("District level (no street)")


def registration_line(result: CoverageResult) -> str:
    """Registered and filed organizations apart, each by management mode (Pinghu's way of putting it:
    "558 registered: territorial 316, industry 218, fallback 24")."""
    parts = []
    for registration, label in Organization.Registration.choices:
        figures = result.by_registration.get(registration)
        if figures is None:
            continue
        modes = result.by_registration_mode.get(registration, {})
        by_mode = ", ".join(
            f"{mode_label} {modes[mode].total}"
            for mode, mode_label in Organization.ManagementMode.choices
            if mode in modes
        )
        parts.append(
            _("%(registration)s %(total)d (%(modes)s), org coverage %(coverage)s")
            % {
                "registration": label,
                "total": figures.total,
                "modes": by_mode,
                "coverage": percent(figures.org_coverage),
            }
        )
    return "; ".join(parts)


def render_table(result: CoverageResult) -> str:
    columns = _columns(result.thresholds["large_org_min_staff"])
    header = [_("Street"), *(label for label, _value in columns)]
    body = [
        [street_label(row), *(value(row.figures) for _label, value in columns)] for row in result.by_street
    ]
    total = [_("Total"), *(value(result.figures) for _label, value in columns)]
    lines = [header, *body, total]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]

    def render(cells):
        return "  ".join(_pad(cell, widths[i], left=i == 0) for i, cell in enumerate(cells))

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    title = _("Coverage of %(region)s (%(code)s) on %(date)s") % {
        "region": result.region.name,
        "code": result.region.code,
        "date": result.date.isoformat(),
    }
    out = [title, render(header), rule, *(render(cells) for cells in body), rule, render(total), ""]
    out.append(registration_line(result))
    modes = ", ".join(
        f"{PartyOrganization.BuildingMode(mode).label} {count}"
        for mode, count in result.party_organizations_by_mode.items()
    )
    out.append(
        _("Party organizations: %(total)d (%(modes)s)")
        % {"total": result.party_organizations, "modes": modes}
    )
    stages = ", ".join(
        f"{Member.Stage(stage).label} {count}" for stage, count in result.members_by_stage.items()
    )
    out.append(_("Members by stage: %(stages)s") % {"stages": stages})
    out.append(
        _("Temporary members: %(temporary)d; flowing members: %(flowing)d")
        % {
            "temporary": result.members_by_affiliation.get("temporary", 0),
            "flowing": result.members_by_affiliation.get("flowing", 0),
        }
    )
    centers = result.service_centers
    out.append(
        _(
            "Service centers: %(city)d city-level; streets %(streets_with)d of %(streets)d; "
            "communities %(communities_with)d of %(communities)d"
        )
        % {
            "city": centers.city,
            "streets_with": centers.streets_with_center,
            "streets": centers.streets,
            "communities_with": centers.communities_with_center,
            "communities": centers.communities,
        }
    )
    should_build = result.should_build_list
    if should_build:
        names = "、".join(item.name for item in should_build[:SHOULD_BUILD_NAMES_SHOWN])
        if len(should_build) > SHOULD_BUILD_NAMES_SHOWN:
            names += _(" … and %(n)d more (see --format json)") % {
                "n": len(should_build) - SHOULD_BUILD_NAMES_SHOWN
            }
        out.append(_("Should build but have no own branch: %(names)s") % {"names": names})
    return "\n".join(out) + "\n"
