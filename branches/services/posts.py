"""Committee posts: who holds which post on a party organization's committee, from when until when.

Staff and the organization's own secretary (its subtree) record and end posts; staff correct (the
person, the post, the dates) or remove a history row (issue 12). Every path checks the row's period
against the periods it overlaps, never today's state alone, so a committee's past loads in any order:
- the party organization's life (founded_on to dissolved_on);
- the holder a full member from the post's first day and active on every day of it (their dated
  status history, members.services.periods); a current post also needs the holder's relation held by
  the organization today;
- one holder at a time of a one-holder post (secretary and the portfolio posts: organization,
  propaganda, discipline, youth; deputy secretaries and plain committee members may be several), and
  one row at a time of the same person in the same post. A refusal names both rows.
One current secretary per organization is also a partial unique index. CommitteePost is under
django-auditlog: every correction and removal leaves an entry with the old and new values.
"""

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from branches.models import CommitteePost, PartyOrganization
from branches.services.coverage import check_dates, check_po_life, overlap_q, span
from branches.services.scope import require_staff, require_visible
from members.models import Member
from members.services.periods import not_active_on, status_events

Post = CommitteePost.Post
# Posts one person holds at a time on a committee; deputy secretaries and committee members may be several.
ONE_HOLDER_POSTS = frozenset(
    {Post.SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE, Post.YOUTH}
)


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
    """A post as a message names it: who, which post of which organization, when, and its number."""
    values = {
        "member": row.member,
        "post": row.get_post_display(),
        "po": row.party_organization,
        "span": span(row.since, row.until),
    }
    if row.pk is None:
        return _("the new post: %(member)s, %(post)s of %(po)s (%(span)s)") % values
    return _("%(member)s, %(post)s of %(po)s (%(span)s, post no. %(pk)s)") % {**values, "pk": row.pk}


def _check_member_over(row: CommitteePost) -> None:
    """The holder over the post's period: a full member from its first day, active on every day of it
    (their dated status history); a current post also needs today's relation, status and stage."""
    member, since, until = row.member, row.since, row.until
    if until is None:
        _check_member(row.party_organization, member)
    if (member.full_on and since < member.full_on) or (member.full_on is None and member.stage != "full"):
        raise ValidationError(
            {
                "since": _(
                    "%(row)s: %(member)s was not a full member on %(date)s (full member since: %(full)s)."
                )
                % {
                    "row": describe_post(row),
                    "member": member,
                    "date": since.isoformat(),
                    "full": member.full_on.isoformat() if member.full_on else "—",
                }
            },
            code="not_full_member",
        )
    refusal = not_active_on(member, since)
    if refusal:
        raise ValidationError({"since": f"{describe_post(row)}: {refusal}"}, code="inactive_member")
    for on, status, _label in status_events(member):
        if since < on and (until is None or on < until) and status != Member.Status.ACTIVE:
            raise ValidationError(
                {"until": f"{describe_post(row)}: {not_active_on(member, on)}"}, code="inactive_member"
            )


def _check_post(row: CommitteePost) -> None:
    """Every refusal of `row` (new or corrected) over its period, naming the row and the one it meets."""
    po, member, since, until = row.party_organization, row.member, row.since, row.until
    check_dates(since, until)
    what = _("the post (%(span)s)") % {"span": span(since, until)}
    check_po_life(po, since, until, what=what, field="since")
    _check_member_over(row)
    rows = (
        CommitteePost.objects.filter(party_organization=po)
        .exclude(pk=row.pk)  # pk=None (a new row): excludes nothing
        .select_related("member", "party_organization")
        .order_by("since", "pk")
    )
    same = rows.filter(member=member, post=row.post, until__isnull=True).first()
    if same is not None and until is None:
        raise ValidationError(
            {
                "post": _("%(member)s already holds this post: %(other)s; %(row)s cannot run beside it.")
                % {"member": member, "other": describe_post(same), "row": describe_post(row)}
            },
            code="overlap",
        )
    clash = rows.filter(overlap_q(since, until), member=member, post=row.post).first()
    if clash is None and row.post in ONE_HOLDER_POSTS:
        clash = rows.filter(overlap_q(since, until), post=row.post).first()
        if clash is not None and clash.until is None and until is None:
            raise ValidationError(
                {
                    "post": _(
                        "%(po)s already has a %(post)s: %(other)s; end that post before %(row)s starts."
                    )
                    % {
                        "po": po,
                        "post": row.get_post_display(),
                        "other": describe_post(clash),
                        "row": describe_post(row),
                    }
                },
                code="overlap",
            )
    if clash is not None:
        raise ValidationError(
            {
                "since": _("%(row)s shares days with %(other)s; a post has one holder at a time.")
                % {"row": _capitalized(describe_post(row)), "other": describe_post(clash)}
            },
            code="overlap",
        )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _save(row: CommitteePost, po: PartyOrganization, update_fields: list[str] | None = None) -> None:
    row.full_clean(validate_constraints=False)  # the unique index answers below, in words
    try:
        with transaction.atomic():
            row.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError({"post": _("%(po)s already has a secretary.") % {"po": po}}) from exc


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
    compared with periods (the party organization's life, the holder's status history, the other
    holders), so a dissolved organization's past committee can still be entered, in any order."""
    require_visible(actor, party_organization=party_organization, member=member)
    with transaction.atomic():
        po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
        member = Member.objects.select_related("party_organization").get(pk=member.pk)
        row = CommitteePost(party_organization=po, member=member, post=post, since=since, until=until)
        _check_post(row)
        _save(row, po)
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


def _require_corrector(actor: Actor, post: CommitteePost) -> None:
    require_staff(actor)
    require_visible(actor, **{NON_FIELD_ERRORS: post.party_organization})


@transaction.atomic
def committee_post_correct(
    *,
    post: CommitteePost,
    member: Member,
    kind: str,
    since: date,
    until: date | None,
    actor: Actor,
) -> CommitteePost:
    """Correct a history row: its holder, its post or its dates (staff). The corrected row is checked
    like a new one against every other row; django-auditlog records the old and new values."""
    _require_corrector(actor, post)
    if member.pk != post.member_id:  # a new holder inside the scope; the holder kept may have moved on
        require_visible(actor, member=member)
    if kind not in Post.values:
        raise ValidationError({"post": _("“%(post)s” is not a committee post.") % {"post": kind}})
    po = PartyOrganization.objects.select_for_update().get(pk=post.party_organization_id)
    row = CommitteePost.objects.select_for_update().get(pk=post.pk)
    row.party_organization = po
    row.member = Member.objects.select_related("party_organization").get(pk=member.pk)
    row.post, row.since, row.until = kind, since, until
    _check_post(row)
    _save(row, po, update_fields=["member", "post", "since", "until"])
    return row


@transaction.atomic
def committee_post_remove(*, post: CommitteePost, actor: Actor) -> None:
    """Remove a history row entered by mistake (staff; django-auditlog records the removal). No other
    row depends on a post, so a removal breaks no period."""
    _require_corrector(actor, post)
    PartyOrganization.objects.select_for_update().get(pk=post.party_organization_id)
    CommitteePost.objects.select_for_update().get(pk=post.pk).delete()
