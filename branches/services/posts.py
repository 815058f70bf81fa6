"""Committee posts: who holds which post on a party organization's committee, from when until when.

Staff and the organization's own secretary (its subtree) record posts. Only an
active full member whose relation the organization holds may hold a post; one
current secretary per organization (a partial unique index backs the check).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import CommitteePost, PartyOrganization
from branches.services.coverage import check_dates, check_po_life, overlap_q, span
from branches.services.scope import require_visible
from members.models import Member


def _check_member(po: PartyOrganization, member: Member) -> None:
    if member.party_organization_id != po.pk:
        raise ValidationError(
            {
                "member": _(
                    "%(member)s's relation is held by %(other)s, not %(po)s; only its own members can "
                    "hold a post."
                )
                % {"member": member, "other": member.party_organization, "po": po}
            }
        )
    if member.status != "active":
        raise ValidationError(
            {
                "member": _("%(member)s is not an active member (%(status)s).")
                % {"member": member, "status": member.get_status_display()}
            }
        )
    if member.stage != "full":
        raise ValidationError(
            {
                "member": _("%(member)s is a %(stage)s; only full members can hold a committee post.")
                % {"member": member, "stage": member.get_stage_display()}
            }
        )


def describe_post(row: CommitteePost) -> str:
    return _("%(member)s, %(post)s of %(po)s (%(span)s, post no. %(pk)s)") % {
        "member": row.member,
        "post": row.get_post_display(),
        "po": row.party_organization,
        "span": span(row.since, row.until),
        "pk": row.pk,
    }


def _check_member_over(po: PartyOrganization, member: Member, since: date, until: date | None) -> None:
    """A current post needs a current full member of `po`; a past one (with its end date) a member
    who was full by its start (their relation may have moved on since)."""
    if until is None:
        _check_member(po, member)
    elif member.full_on and since < member.full_on:
        raise ValidationError(
            {
                "since": _("%(member)s became a full member on %(date)s; the post cannot start earlier.")
                % {"member": member, "date": member.full_on}
            }
        )


def _check_post(po, member, post: str, since: date, until: date | None, exclude_pk=None) -> None:
    check_dates(since, until)
    what = _("the post (%(span)s)") % {"span": span(since, until)}
    check_po_life(po, since, until, what=what, field="since")
    _check_member_over(po, member, since, until)
    rows = (
        CommitteePost.objects.filter(party_organization=po)
        .exclude(pk=exclude_pk)
        .select_related("member", "party_organization")
    )
    same = rows.filter(member=member, post=post, until__isnull=True).first()
    if same is not None and until is None:
        raise ValidationError(
            {
                "post": _("%(member)s already holds this post (since %(date)s).")
                % {"member": member, "date": same.since}
            }
        )
    clash = rows.filter(overlap_q(since, until), member=member, post=post).first()
    if clash is None and post == CommitteePost.Post.SECRETARY:
        clash = rows.filter(overlap_q(since, until), post=post).order_by("since").first()
        if clash is not None and clash.until is None and until is None:
            raise ValidationError(
                {
                    "post": _(
                        "%(po)s already has a secretary (%(member)s, since %(date)s); end that post first."
                    )
                    % {"po": po, "member": clash.member, "date": clash.since}
                }
            )
    if clash is not None:
        raise ValidationError(
            {
                "since": _("The new post (%(new)s) overlaps %(row)s; one holder at a time.")
                % {"new": span(since, until), "row": describe_post(clash)}
            },
            code="overlap",
        )


def committee_post_create(
    *,
    party_organization: PartyOrganization,
    member: Member,
    post: str,
    since: date,
    until: date | None = None,
    actor: Actor,
) -> CommitteePost:
    """Record that `member` holds `post` from `since` (until `until`, for a past post). Periods are
    compared with periods (the party organization's life, the other holders), so a dissolved
    organization's past committee can still be entered."""
    require_visible(actor, party_organization=party_organization, member=member)
    with transaction.atomic():
        po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
        member = type(member).objects.select_related("party_organization").get(pk=member.pk)
        _check_post(po, member, post, since, until)
        row = CommitteePost(party_organization=po, member=member, post=post, since=since, until=until)
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise ValidationError({"post": _("%(po)s already has a secretary.") % {"po": po}}) from exc
    return row


def committee_post_end(*, post: CommitteePost, until: date, actor: Actor) -> CommitteePost:
    """The holder leaves the post on `until`."""
    require_visible(actor, party_organization=post.party_organization)
    with transaction.atomic():
        row = CommitteePost.objects.select_for_update().get(pk=post.pk)
        if row.until is not None:
            raise ValidationError({"until": _("This post already ended on %(date)s.") % {"date": row.until}})
        if until < row.since:
            raise ValidationError(
                {"until": _("The end date cannot be before the start date (%(date)s).") % {"date": row.since}}
            )
        if until > timezone.localdate():
            raise ValidationError({"until": _("The end date cannot be in the future.")})
        row.until = until
        row.full_clean()
        row.save(update_fields=["until"])
    return row
