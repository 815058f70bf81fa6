"""Writes to the PartyOrganization tree, always under the tree lock (orgs.tree_locks).

Each comprehensive committee is the root of its own tree: creating one locks
the set of trees and appends it as the last tree, so no other tree's rows move;
every other write locks the trees it touches. Rows are never deleted: a
dissolved organization keeps its place with a status and a date, and every
create, update, move and dissolution leaves a PartyOrganizationChange row.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.actors import Actor, is_unrestricted
from branches.models import CommitteePost, CoverageLink, PartyOrganization, PartyOrganizationChange
from branches.services.coverage import coverage_link_correct, describe_link
from branches.services.history import record_change
from branches.services.posts import committee_post_correct, describe_post
from branches.services.scope import require_staff, require_visible
from branches.services.tree_validation import today, validate
from members.models import Member
from orgs.models import Region
from orgs.querysets import in_region_q
from orgs.tree_locks import tree_lock_for

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
Action = PartyOrganizationChange.Action

EDITABLE_FIELDS = (
    "name",
    "kind",
    "building_mode",
    "region",
    "founded_on",
    "approval_document",
    "term_started_on",
    "term_years",
    "has_committee",
)
# Members whose relation is still held by an organization (it cannot dissolve while it holds any).
HELD_MEMBER_STATUSES = ("active", "suspended")


def _fresh(pk: int) -> PartyOrganization:
    """The node as it is in the database now (MPTT columns of a stale instance corrupt a tree)."""
    return PartyOrganization.objects.select_related("parent", "region").get(pk=pk)


def party_organization_create(
    *,
    name: str,
    kind: str,
    region: Region,
    parent: PartyOrganization | None = None,
    building_mode: str = "",
    founded_on: date | None = None,
    approval_document: str = "",
    term_started_on: date | None = None,
    term_years: int | None = None,
    has_committee: bool = False,
    actor: Actor,
) -> PartyOrganization:
    """Insert a node under `parent`, or a comprehensive committee as a new tree (superusers only).

    The term starts on the founding date unless given; its length defaults to
    PARTY_TERM_YEARS for the kind (the model derives the election-due date). A
    temporary branch has no term.
    """
    require_staff(actor)
    if kind == Kind.COMPREHENSIVE_COMMITTEE and not is_unrestricted(actor):
        raise ValidationError(
            {"kind": _("Only a superuser may create a comprehensive committee (the top of a new tree).")}
        )
    require_visible(actor, parent=parent, region=region)
    if term_started_on is None and kind != Kind.TEMPORARY_BRANCH:
        term_started_on = founded_on
    new_tree = kind == Kind.COMPREHENSIVE_COMMITTEE
    with tree_lock_for(PartyOrganization, parent, new_tree=new_tree):
        fresh_parent = _fresh(parent.pk) if parent is not None else None
        po = PartyOrganization(
            name=(name or "").strip(),
            kind=kind,
            building_mode=building_mode or "",
            region=region,
            parent=None if new_tree else fresh_parent,
            founded_on=founded_on,
            approval_document=(approval_document or "").strip(),
            term_started_on=term_started_on,
            term_years=term_years,
            has_committee=has_committee,
        )
        validate(po, fresh_parent)
        if new_tree:
            # Append as the last tree: ordered insertion of roots would renumber later trees.
            PartyOrganization._tree_manager.insert_node(po, None, allow_existing_pk=True)
        po.save()
        record_change(
            po,
            Action.CREATED,
            on=founded_on or today(),
            new_parent=fresh_parent,
            actor=actor,
            document=approval_document,
        )
    return po


def party_organization_update(
    *, party_organization: PartyOrganization, actor: Actor, **fields: Any
) -> PartyOrganization:
    """Change the fields of EDITABLE_FIELDS; the superior changes only through party_organization_move.

    A rename re-sorts the node among its siblings, so this runs under the tree lock too.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"PartyOrganization fields not editable here: {sorted(unknown)}")
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: party_organization})
    if "region" in fields:
        require_visible(actor, region=fields["region"])
    with tree_lock_for(PartyOrganization, party_organization):
        po = _fresh(party_organization.pk)
        _refuse_dissolved(po)
        changed = {}
        for field, value in fields.items():
            if isinstance(value, str):
                value = value.strip()
            if value is None and field in ("building_mode", "approval_document", "name"):
                value = ""
            old = getattr(po, field)
            if old != value:
                changed[field] = [old, value]
                setattr(po, field, value)
        if not changed:
            return po
        validate(po, po.parent)
        po.save()
        record_change(
            po, Action.UPDATED, on=today(), actor=actor, details=changed, document=po.approval_document
        )
    return po


def party_organization_renew_term(
    *, party_organization: PartyOrganization, on: date, document: str = "", actor: Actor
) -> PartyOrganization:
    """Record an election: the new term starts `on` (the election-due date follows from it)."""
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: party_organization})
    with tree_lock_for(PartyOrganization, party_organization):
        po = _fresh(party_organization.pk)
        _refuse_dissolved(po)
        if po.kind == Kind.TEMPORARY_BRANCH:
            raise ValidationError({"on": _("A temporary branch holds no elections.")})
        if po.term_started_on and on <= po.term_started_on:
            raise ValidationError(
                {
                    "on": _("The election must come after the current term's start (%(date)s).")
                    % {"date": po.term_started_on}
                }
            )
        old = po.term_started_on
        po.term_started_on = on
        validate(po, po.parent)
        po.save()
        record_change(
            po,
            Action.UPDATED,
            on=on,
            actor=actor,
            details={"term_started_on": [old, on], "election": True},
            document=document,
        )
    return po


def _refuse_dissolved(po: PartyOrganization) -> None:
    if po.status == PartyOrganization.Status.DISSOLVED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("%(po)s was dissolved on %(date)s and can no longer be changed.")
                % {"po": po, "date": po.dissolved_on}
            }
        )


def _check_effective_date(po: PartyOrganization, on: date, field: str = "on") -> None:
    if on > today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if po.founded_on and on < po.founded_on:
        raise ValidationError(
            {
                field: _("The date cannot be before %(po)s was founded (%(date)s).")
                % {
                    "po": po,
                    "date": po.founded_on,
                }
            }
        )


def party_organization_move(
    *,
    party_organization: PartyOrganization,
    new_parent: PartyOrganization,
    on: date,
    region: Region | None = None,
    document: str = "",
    actor: Actor,
) -> PartyOrganization:
    """Put a node (with everything under it) under another superior, effective `on`.

    Both trees are locked when the move crosses trees. A move into another
    committee's tree may need a new region inside that committee's (`region`).
    """
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: party_organization}, parent=new_parent)
    if region is not None:
        require_visible(actor, region=region)
    with tree_lock_for(PartyOrganization, party_organization, new_parent):
        po = _fresh(party_organization.pk)
        parent = _fresh(new_parent.pk)
        _refuse_dissolved(po)
        if po.kind == Kind.COMPREHENSIVE_COMMITTEE:
            raise ValidationError(
                {"parent": _("A comprehensive committee is the top of its tree; it cannot move.")}
            )
        if parent.tree_id == po.tree_id and po.lft <= parent.lft <= po.rght:
            raise ValidationError(
                {
                    "parent": _("%(parent)s is %(po)s itself or lies under it; choose another superior.")
                    % {"parent": parent, "po": po}
                }
            )
        if parent.pk == po.parent_id:
            raise ValidationError(
                {"parent": _("%(po)s is already under %(parent)s.") % {"po": po, "parent": parent}}
            )
        _check_effective_date(po, on)
        old_parent = po.parent
        old_region = po.region
        po.parent = parent
        if region is not None:
            po.region = region
        validate(po, parent)
        if parent.tree_id != old_parent.tree_id:
            _check_descendant_regions(po, parent)
        po.save()
        details = {"region": [old_region, po.region]} if po.region_id != old_region.pk else {}
        record_change(
            po,
            Action.MOVED,
            on=on,
            actor=actor,
            old_parent=old_parent,
            new_parent=parent,
            details=details,
            document=document,
        )
    return _fresh(po.pk)


def _check_descendant_regions(po: PartyOrganization, parent: PartyOrganization) -> None:
    root = parent if parent.parent_id is None else parent.get_root()
    outside = po.get_descendants().exclude(in_region_q(root.region_id, "region__"))
    names = list(outside.values_list("name", flat=True)[:5])
    if names:
        raise ValidationError(
            {
                "parent": _(
                    "These party organizations under it lie outside %(root)s's region: %(names)s. "
                    "Change their regions first."
                )
                % {"root": root, "names": "、".join(names)}
            }
        )


def party_organization_dissolve(
    *,
    party_organization: PartyOrganization,
    on: date,
    end_links: bool = False,
    document: str = "",
    actor: Actor,
) -> PartyOrganization:
    """Dissolve a node on `on`, keeping its row, links and posts as history.

    Refused while active organizations sit under it or it still holds members'
    relations (transfer them first). Refused while it still covers
    organizations, unless `end_links`: then those links end on `on` in the same
    transaction. Current committee posts end on `on`.
    """
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: party_organization})
    with tree_lock_for(PartyOrganization, party_organization):
        # The row lock makes concurrent coverage/post writers (which lock the row) wait and re-read.
        PartyOrganization.objects.select_for_update().filter(pk=party_organization.pk).first()
        po = _fresh(party_organization.pk)
        _refuse_dissolved(po)
        _check_effective_date(po, on)
        active_children = list(po.get_children().filter(status="active").values_list("name", flat=True)[:5])
        if active_children:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "%(po)s still has active party organizations under it (%(names)s); "
                        "dissolve or move them first."
                    )
                    % {"po": po, "names": "、".join(active_children)}
                }
            )
        held = Member.objects.filter(party_organization=po, status__in=HELD_MEMBER_STATUSES).count()
        if held:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "%(po)s still holds the relation of %(count)d members; transfer them first."
                    )
                    % {"po": po, "count": held}
                }
            )
        ended_links = _end_links_on_dissolution(po, on, end_links)
        ended_posts = _end_posts_on_dissolution(po, on)
        po.status = PartyOrganization.Status.DISSOLVED
        po.dissolved_on = on
        po.full_clean()
        po.save()
        record_change(
            po,
            Action.DISSOLVED,
            on=on,
            actor=actor,
            details={"ended_links": ended_links, "ended_posts": ended_posts},
            document=document,
        )
    return po


def _end_links_on_dissolution(po: PartyOrganization, on: date, end_links: bool) -> list[int]:
    later = (
        CoverageLink.objects.filter(party_organization=po, until__gt=on)
        .select_related("organization", "party_organization")
        .order_by("until")
        .first()
    )
    if later is not None:
        raise ValidationError(
            {
                "on": _(
                    "%(link)s runs past %(date)s; a party organization's links end by its dissolution. "
                    "Correct that link or choose a later date."
                )
                % {"link": describe_link(later), "date": on}
            },
            code="after_dissolution",
        )
    links = list(
        CoverageLink.objects.select_for_update(of=("self",))
        .filter(party_organization=po, until__isnull=True)
        .select_related("organization")
        .order_by("pk")
    )
    if not links:
        return []
    if not end_links:
        names = "、".join(link.organization.name for link in links[:5])
        raise ValidationError(
            {
                "end_links": _(
                    "%(po)s still covers %(count)d organizations (%(names)s). End those links first, "
                    "or choose to end them on the dissolution date."
                )
                % {"po": po, "count": len(links), "names": names}
            }
        )
    for link in links:
        if link.since >= on:
            raise ValidationError(
                {
                    "on": _(
                        "The link to %(org)s starts on %(since)s, not before the dissolution date; "
                        "choose a later date."
                    )
                    % {"org": link.organization, "since": link.since}
                }
            )
        link.until = on
        link.full_clean()
        link.save(update_fields=["until"])
    return [link.pk for link in links]


def _end_posts_on_dissolution(po: PartyOrganization, on: date) -> list[int]:
    posts = list(CommitteePost.objects.filter(party_organization=po, until__isnull=True).order_by("pk"))
    for post in posts:
        post.until = max(on, post.since)
        post.save(update_fields=["until"])
    return [post.pk for post in posts]


def party_organization_correct_dissolution(
    *, party_organization: PartyOrganization, on: date, actor: Actor
) -> PartyOrganization:
    """Correct the date of a dissolution entered wrong (staff). The links and posts the dissolution
    ended move with it, each re-checked by its own correction service (the organization's active
    periods, no overlap, the holder active); any other row must end by the new date, and a refusal
    names it. The dissolution's history row takes the new date; an UPDATED row records the
    correction (old and new dates) with its author."""
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: party_organization})
    with tree_lock_for(PartyOrganization, party_organization):
        PartyOrganization.objects.select_for_update().filter(pk=party_organization.pk).first()
        po = _fresh(party_organization.pk)
        if po.status != PartyOrganization.Status.DISSOLVED or po.dissolved_on is None:
            raise ValidationError(
                {"on": _("%(po)s is not dissolved; there is no dissolution date to correct.") % {"po": po}}
            )
        _check_effective_date(po, on)
        old = po.dissolved_on
        if on == old:
            return po
        dissolution = po.changes.filter(action=Action.DISSOLVED).order_by("-pk").first()
        details = dissolution.details if dissolution is not None else {}
        po.dissolved_on = on
        po.full_clean()
        po.save(update_fields=["dissolved_on"])
        links = CoverageLink.objects.filter(
            pk__in=details.get("ended_links", []), party_organization=po, until=old
        )
        moved_links = []
        for link in links.order_by("pk"):
            coverage_link_correct(link=link, since=link.since, until=on, actor=actor)
            moved_links.append(link.pk)
        posts = CommitteePost.objects.filter(
            pk__in=details.get("ended_posts", []), party_organization=po, until=old
        )
        moved_posts = []
        for post in posts.select_related("member").order_by("pk"):
            committee_post_correct(
                post=post, member=post.member, kind=post.post, since=post.since, until=on, actor=actor
            )
            moved_posts.append(post.pk)
        # Any other row of the party organization must end by the new date; the first one found is named.
        checks: tuple[tuple[QuerySet[Any], Callable[[Any], str]], ...] = (
            (CoverageLink.objects.select_related("organization", "party_organization"), describe_link),
            (CommitteePost.objects.select_related("member", "party_organization"), describe_post),
        )
        for rows, describe in checks:
            later = (
                rows.filter(party_organization=po)
                .filter(Q(until__isnull=True) | Q(until__gt=on))
                .order_by("since", "pk")
                .first()
            )
            if later is not None:
                raise ValidationError(
                    {
                        "on": _("%(row)s runs past %(date)s; correct it first or choose a later date.")
                        % {"row": describe(later), "date": on}
                    },
                    code="after_dissolution",
                )
        if dissolution is not None:
            dissolution.on = on
            dissolution.save(update_fields=["on"])
        record_change(
            po,
            Action.UPDATED,
            on=today(),
            actor=actor,
            details={"dissolved_on": [old, on], "moved_links": moved_links, "moved_posts": moved_posts},
        )
    return po
