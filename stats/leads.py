"""Coverage leads (四个纳入) sent as reminders to the street's staff: once per organization and year.

The leads are those of today's engine result for every district (stats.coverage: should build, the
inspection's declaration, large and uncovered), the same list the dashboard and the export show.
They go through the reminder system (reminders.services), whose key (kind, organization, year,
stage) makes a re-run, a retry or a second worker send nothing new.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orgs.models import Organization, Region
from reminders.periods import year_period
from reminders.recipients import escalation_staff
from reminders.services import ReminderDraft, reminders_issue
from stats.coverage.engine import coverage_figures_many
from stats.dashboard.export import evidence_label

LEAD_KIND = "coverage_lead"


def coverage_leads_remind(*, today: date | None = None) -> int:
    """Issue a reminder for each lead not yet reminded this year; returns the number issued."""
    today = today or timezone.localdate()
    districts = list(Region.objects.filter(parent__isnull=True, is_active=True).order_by("code"))
    results = coverage_figures_many(regions=districts, day=today)
    leads = [item for result in results.values() for item in result.leads]
    region_of = dict(
        Organization.objects.filter(pk__in=[item.id for item in leads]).values_list("pk", "region_id")
    )
    staff = escalation_staff(region_of.values())
    with translation.override(settings.LANGUAGE_CODE):  # stored texts: the site's language
        drafts = [
            ReminderDraft(
                kind=LEAD_KIND,
                model=Organization,
                object_id=item.id,
                period=year_period(today),
                recipients=staff.get(region_of[item.id], []) if item.id in region_of else [],
                title=_("%(org)s should have a party organization") % {"org": item.name},
                body=_("Evidence: %(evidence)s. Build a branch or cover it jointly, then record the link.")
                % {"evidence": "；".join(evidence_label(code) for code in item.evidence)},
                url=reverse("admin:orgs_organization_change", args=[item.id]),
                due_on=today,
                region_id=region_of.get(item.id),
                subject=item.name,
                admin_url=reverse("admin:orgs_organization_change", args=[item.id]),
            )
            for item in leads
            if item.id in region_of
        ]
        return len(reminders_issue(drafts=drafts))
