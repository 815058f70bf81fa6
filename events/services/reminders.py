"""Missed-meeting reminders: one reminder per (party organization, requirement, period), never twice.

Issued through the reminder system (reminders.services.reminder_issue, unique on kind, object,
period and stage) with the kind "meeting_gap.<event kind>", about the party organization, for the
period's label ("2026-03", "2026-Q1", "2026"), in the party organization's region (staff see it in
their scope) and delivered to its secretaries' inboxes. A second run, a retry or a second worker
sends nothing new.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from events.compliance import Gap, Period, compliance_gaps
from reminders.services import reminder_issue


def _secretaries(po_ids: list[int]) -> dict[int | None, list[User]]:
    users = User.objects.filter(
        role=Role.SECRETARY, is_active=True, party_organization_id__in=po_ids
    ).order_by("pk")
    by_po: defaultdict[int | None, list[User]] = defaultdict(list)
    for user in users:
        by_po[user.party_organization_id].append(user)
    return by_po


def _issue(gap: Gap, recipients: list[User], *, title: str, body: str, url: str) -> bool:
    """True when this call issued it (and delivered it to `recipients`)."""
    po = gap.party_organization
    reminder = reminder_issue(
        kind=f"meeting_gap.{gap.requirement.kind}",
        obj=po,
        period=str(gap.period),
        recipients=recipients,
        title=title,
        body=body,
        url=url,
        region=po.region,
        subject=f"{po.name} · {gap.requirement.label} · {gap.period}",
        dedupe_key=gap.dedupe_key,
    )
    return bool(getattr(reminder, "issued_now", False))


def meeting_gap_reminders_send(*, period: Period | str) -> int:
    """Remind of every meeting a party organization missed in `period`; returns how many were new."""
    period = Period.parse(period)
    gaps = compliance_gaps(period)
    if not gaps:
        return 0
    secretaries = _secretaries(sorted({gap.party_organization.pk for gap in gaps}))
    url = reverse("events_portal:compliance") + f"?year={period.year}"
    issued = 0
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
        issued += int(_issue(gap, secretaries.get(po.pk, []), title=title, body=body, url=url))
    return issued
