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

from branches.models import CommitteePost, PartyOrganization
from branches.services.scope import require_visible


def _check_member(po: PartyOrganization, member) -> None:
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


def committee_post_create(
    *, party_organization: PartyOrganization, member, post: str, since: date, actor=None
) -> CommitteePost:
    """Record that `member` holds `post` from `since`."""
    require_visible(actor, party_organization=party_organization, member=member)
    with transaction.atomic():
        po = PartyOrganization.objects.select_for_update().get(pk=party_organization.pk)
        if po.status != PartyOrganization.Status.ACTIVE:
            raise ValidationError(
                {"party_organization": _("%(po)s is dissolved; its committee cannot change.") % {"po": po}}
            )
        member = type(member).objects.select_related("party_organization").get(pk=member.pk)
        _check_member(po, member)
        if since > timezone.localdate():
            raise ValidationError({"since": _("The start date cannot be in the future.")})
        if po.founded_on and since < po.founded_on:
            raise ValidationError(
                {
                    "since": _("The post cannot start before %(po)s was founded (%(date)s).")
                    % {"po": po, "date": po.founded_on}
                }
            )
        current = CommitteePost.objects.filter(party_organization=po, until__isnull=True)
        same = current.filter(member=member, post=post).first()
        if same is not None:
            raise ValidationError(
                {
                    "post": _("%(member)s already holds this post (since %(date)s).")
                    % {"member": member, "date": same.since}
                }
            )
        if post == CommitteePost.Post.SECRETARY:
            secretary = current.filter(post=post).select_related("member").first()
            if secretary is not None:
                raise ValidationError(
                    {
                        "post": _(
                            "%(po)s already has a secretary (%(member)s, since %(date)s); "
                            "end that post first."
                        )
                        % {"po": po, "member": secretary.member, "date": secretary.since}
                    }
                )
        row = CommitteePost(party_organization=po, member=member, post=post, since=since)
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise ValidationError({"post": _("%(po)s already has a secretary.") % {"po": po}}) from exc
    return row


def committee_post_end(*, post: CommitteePost, until: date, actor=None) -> CommitteePost:
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
