"""Missed-meeting reminders: one inbox message per (party organization, requirement, period) and secretary.

The reminder system of issue 5 was not in the tree when this was written, so the messages go
through accounts.services.notification_send, whose unique (recipient, dedupe key) makes a second
run, a retry or a second worker send nothing new. The key is
"meeting-gap:<party organization id>:<kind>:<period>", the shape the reminder system's
(kind, object, period) key takes; moving over means calling its service with the same parts.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import notification_send
from events.compliance import Period, compliance_gaps


def _secretaries(po_ids: list[int]) -> dict[int, list[User]]:
    users = User.objects.filter(
        role=Role.SECRETARY, is_active=True, party_organization_id__in=po_ids
    ).order_by("pk")
    by_po = defaultdict(list)
    for user in users:
        by_po[user.party_organization_id].append(user)
    return by_po


def meeting_gap_reminders_send(*, period) -> int:
    """Remind each secretary of every meeting their party organization missed in `period`; count new ones."""
    period = Period.parse(period)
    gaps = compliance_gaps(period)
    if not gaps:
        return 0
    secretaries = _secretaries(sorted({gap.party_organization.pk for gap in gaps}))
    url = reverse("events_portal:compliance") + f"?year={period.year}"
    sent = 0
    for gap in gaps:
        po = gap.party_organization
        title = _("%(po)s: no %(meeting)s recorded for %(period)s") % {
            "po": po.name,
            "meeting": gap.requirement.label,
            "period": str(period),
        }
        body = _(
            "The rules ask for a %(meeting)s %(frequency)s. None was recorded as held for %(period)s. "
            "If it took place, record it with its minutes; otherwise plan it soon."
        ) % {
            "meeting": gap.requirement.label,
            "frequency": gap.requirement.period_label,
            "period": str(period),
        }
        for user in secretaries.get(po.pk, []):
            _row, created = notification_send(
                recipient=user, title=title, body=body, url=url, level="reminder", dedupe_key=gap.dedupe_key
            )
            sent += int(created)
    return sent
