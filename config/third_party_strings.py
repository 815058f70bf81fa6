"""Strings that third-party code shows and whose zh_Hans catalogue lacks them.

Django 6.1's new strings ("- Select an option -", the date-hierarchy "Filter by …"), and every
string of django-axes and django-auditlog (neither ships zh_Hans). Listed here so makemessages
puts them in the project catalogue, which Django reads before the packages' own (LOCALE_PATHS
comes first). The msgids must stay exactly as the packages write them. Plural forms are in
`_plurals`, never called. The admin's JavaScript strings are in locale/zh_Hans/LC_MESSAGES/djangojs.po.
"""

from django.utils.translation import gettext_noop, ngettext

DJANGO = [
    gettext_noop("- Select an option -"),
    gettext_noop("No %s matches the given query."),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
]

DJANGO_AXES = [
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Cleaned up {count} expired access attempts."),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
]

DJANGO_AUDITLOG = [
    gettext_noop("Resource Type"),
    gettext_noop("Correlation ID"),
    gettext_noop("Field"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Relationship"),
    gettext_noop("Action"),
    gettext_noop("Objects"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Created"),
    gettext_noop("User"),
    gettext_noop("Resource"),
    gettext_noop("Changes"),
    gettext_noop("Audit log: %s"),
    gettext_noop("Audit log"),
    gettext_noop("View"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    gettext_noop("content type"),
    gettext_noop("object pk"),
    gettext_noop("object id"),
    gettext_noop("object representation"),
    gettext_noop("action"),
    gettext_noop("change message"),
    gettext_noop("actor"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("additional data"),
    gettext_noop("actor email"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Logged {repr:s}"),
    gettext_noop("system"),
    gettext_noop("No field changes"),
    gettext_noop("No log entries found."),
]


def _plurals(n):  # pragma: no cover - read by makemessages only
    ngettext("…and %(count)d more object.", "…and %(count)d more objects.", n)
    ngettext("entry", "entries", n)
