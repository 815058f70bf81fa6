"""Checks of a party organization's place in the tree, kind, mode, region and dates.

`validate(po, parent)` gathers every refusal at once (so a form shows each wrong
field together), then the model's own validation. The services call it inside
the tree lock, on rows read there.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import CommitteePost, CoverageLink, PartyOrganization
from branches.rules import BRANCH_KINDS
from branches.services.posts import describe_post
from orgs.models import Region
from orgs.querysets import in_region_q

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode

# The kinds a node may sit directly under; a branch of any kind has nothing under it.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    Kind.COMMITTEE: frozenset({Kind.COMPREHENSIVE_COMMITTEE, Kind.COMMITTEE}),
    Kind.GENERAL_BRANCH: frozenset({Kind.COMPREHENSIVE_COMMITTEE, Kind.COMMITTEE}),
    **{
        kind: frozenset({Kind.COMPREHENSIVE_COMMITTEE, Kind.COMMITTEE, Kind.GENERAL_BRANCH})
        for kind in BRANCH_KINDS
    },
}


def today() -> date:
    return timezone.localdate()


def _kind_label(kind: str) -> str:
    return str(dict(Kind.choices).get(kind, kind))


def _structure_errors(po: PartyOrganization, parent: PartyOrganization | None) -> dict:
    """Kind, superior and building mode agree (DOMAIN.md's tree)."""
    errors: dict[str, str] = {}
    if po.kind == Kind.COMPREHENSIVE_COMMITTEE:
        if parent is not None:
            errors["parent"] = _(
                "A comprehensive committee is the top of its own tree; leave the superior empty."
            )
        if po.building_mode:
            errors["building_mode"] = _("A comprehensive committee has no building mode; leave it empty.")
        return errors
    if parent is None:
        errors["parent"] = _("Choose the superior party organization.")
    elif parent.status != PartyOrganization.Status.ACTIVE:
        errors["parent"] = _("%(parent)s is dissolved; choose an active superior.") % {"parent": parent}
    elif po.kind in ALLOWED_PARENT_KINDS and parent.kind not in ALLOWED_PARENT_KINDS[po.kind]:
        errors["parent"] = _("A %(kind)s cannot be placed under a %(parent_kind)s (%(parent)s).") % {
            "kind": _kind_label(po.kind),
            "parent_kind": _kind_label(parent.kind),
            "parent": parent,
        }
    if not po.building_mode:
        errors["building_mode"] = _("Choose the building mode (single, joint or fallback).")
    elif po.kind == Kind.JOINT_BRANCH and po.building_mode != Mode.JOINT:
        errors["building_mode"] = _("A joint branch is built jointly: choose the joint mode.")
    elif po.kind == Kind.BRANCH and po.building_mode == Mode.JOINT:
        errors["kind"] = _(
            "A branch built jointly by several organizations is a joint branch: choose that kind."
        )
    return errors


def _date_errors(po: PartyOrganization, today: date) -> dict:
    errors: dict[str, str] = {}
    if po.founded_on and po.founded_on > today:
        errors["founded_on"] = _("The founding date cannot be in the future.")
    if po.kind == Kind.TEMPORARY_BRANCH:
        if po.term_started_on or po.term_years:
            errors["term_started_on"] = _(
                "A temporary branch holds no elections, so it has no term; leave the term empty."
            )
        return errors
    if po.term_started_on:
        if po.term_started_on > today:
            errors["term_started_on"] = _("The current term cannot start in the future.")
        elif po.founded_on and po.term_started_on < po.founded_on:
            errors["term_started_on"] = _(
                "The current term cannot start before the organization was founded (%(date)s)."
            ) % {"date": po.founded_on}
    return errors


def _region_errors(po: PartyOrganization, parent: PartyOrganization | None) -> dict:
    """A node's region lies inside its comprehensive committee's region (the tree is per district)."""
    if parent is None or po.region_id is None:
        return {}
    root = parent if parent.parent_id is None else parent.get_root()
    inside = Region.objects.filter(in_region_q(root.region_id), pk=po.region_id).exists()
    if inside:
        return {}
    return {
        "region": _("This region lies outside %(root)s's region (%(root_region)s); choose one inside it.")
        % {"root": root, "root_region": root.region}
    }


def _subtree_errors(po: PartyOrganization) -> dict:
    """After a change of kind or region, the nodes under `po` must still fit under it."""
    if po.pk is None or po.is_leaf_node():
        return {}
    errors: dict[str, str] = {}
    child_kinds = set(po.get_children().values_list("kind", flat=True))
    misfits = sorted(k for k in child_kinds if po.kind not in ALLOWED_PARENT_KINDS.get(k, ()))
    if misfits:
        errors["kind"] = _("A %(kind)s cannot have a %(child_kinds)s under it; move those first.") % {
            "kind": _kind_label(po.kind),
            "child_kinds": "、".join(_kind_label(k) for k in misfits),
        }
    if po.parent_id is None:
        outside = po.get_descendants().exclude(in_region_q(po.region_id, "region__"))
        names = list(outside.values_list("name", flat=True)[:5])
        if names:
            errors["region"] = _("These party organizations under it lie outside that region: %(names)s.") % {
                "names": "、".join(names)
            }
    return errors


def _history_errors(po: PartyOrganization) -> dict:
    """A founding date cannot move after the links and posts the organization already has; the
    refusal names the earliest such row."""
    if po.pk is None or po.founded_on is None:
        return {}
    earliest = (
        CoverageLink.objects.filter(party_organization=po, since__lt=po.founded_on).order_by("since").first()
    )
    if earliest is not None:
        return {
            "founded_on": _("It already covered %(org)s from %(date)s; the founding date cannot be later.")
            % {"org": earliest.organization, "date": earliest.since}
        }
    post = (
        CommitteePost.objects.filter(party_organization=po, since__lt=po.founded_on)
        .select_related("member", "party_organization")
        .order_by("since", "id")
        .first()
    )
    if post is not None:
        return {
            "founded_on": _(
                "A committee post starts before that date (%(post)s); the founding date cannot be later."
            )
            % {"post": describe_post(post)}
        }
    return {}


def _mode_errors(po: PartyOrganization) -> dict:
    if po.pk is None or po.building_mode != Mode.SINGLE:
        return {}
    covered = CoverageLink.objects.filter(party_organization=po, until__isnull=True).count()
    if covered > 1:
        return {
            "building_mode": _(
                "A single-mode organization covers exactly one organization, but this one covers "
                "%(count)d now; end the other links first."
            )
            % {"count": covered}
        }
    return {}


def validate(po: PartyOrganization, parent: PartyOrganization | None) -> None:
    """All rules at once, so a form shows every wrong field together; then the model's own."""
    errors = {
        **_date_errors(po, today()),
        **_region_errors(po, parent),
        **_subtree_errors(po),
        **_mode_errors(po),
        **_history_errors(po),
        **_structure_errors(po, parent),
    }
    try:
        po.full_clean()
    except ValidationError as exc:
        said = set(errors.values())
        for field, messages in exc.message_dict.items():
            fresh = [m for m in messages if m not in said]
            if fresh:
                errors.setdefault(field, fresh[0])
    if errors:
        raise ValidationError(errors)
