"""The REMINDERS settings section with its defaults: a key missing from settings falls back to these."""

from django.conf import settings

DEFAULTS = {
    # "due" reminders for each annual-inspection deadline (orgs.rules.inspection_deadlines) start
    # this many days before it; after the deadline the reminder is "overdue" and escalated.
    "INSPECTION_NOTICE_DAYS": 30,
    # probation (members.services.stages.probation_ends_on): "due" this many days before its end,
    # "overdue" from the day after it, escalated to staff when still not converted this long after.
    "PROBATION_NOTICE_DAYS": 30,
    "PROBATION_OVERDUE_DAYS": 90,
    # election (PartyOrganization.election_due_on): "due" this many days before, "overdue" after.
    "ELECTION_NOTICE_DAYS": 90,
    # evaluation grade: "due" when its validity ends within this many days.
    "GRADE_NOTICE_DAYS": 90,
    # party organization without a secretary: "overdue" (and escalated) after this many days.
    "NO_SECRETARY_OVERDUE_DAYS": 60,
    # a flowing member's contact (reminders.member_rules.contact_due): "due" this many days before it
    # lapses (settings.OUT_OF_CONTACT_SUSPEND_MONTHS after the last contact), "overdue" from then on.
    "CONTACT_NOTICE_DAYS": 30,
    # reminders written (and delivered) per transaction: a job that dies keeps the batches before.
    "BATCH_SIZE": 500,
    # e-mail copies of inbox reminders (to users with an address); links are made absolute with
    # LINK_BASE (e.g. "https://dangjian.example.gov.cn"), left as paths when it is empty.
    "EMAIL": True,
    "LINK_BASE": "",
}


def reminders_setting(key: str):
    return getattr(settings, "REMINDERS", {}).get(key, DEFAULTS[key])
