"""django-axes' login records in the reader's language.

django-axes names its rows with English f-strings ("Attempted Access: …", "Access Log for …",
"Failed access: user … on … from …") and leaves the status column unnamed; the admin shows
them as page titles, breadcrumbs and links. The same names, through the catalogue.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _when(moment) -> str:
    return localize(localtime(moment)) if moment else ""


def _attempt_str(self):
    return gettext("Login attempt at %(when)s") % {"when": _when(self.attempt_time)}


def _log_str(self):
    return gettext("Login of %(username)s at %(when)s") % {
        "username": self.username,
        "when": _when(self.attempt_time),
    }


def _failure_str(self):
    message = (
        gettext("Failed login of %(username)s (locked out) at %(when)s from %(ip)s")
        if self.locked_out
        else gettext("Failed login of %(username)s at %(when)s from %(ip)s")
    )
    return message % {"username": self.username, "when": _when(self.attempt_time), "ip": self.ip_address}


def install():
    AccessAttempt.__str__ = _attempt_str
    AccessLog.__str__ = _log_str
    AccessFailureLog.__str__ = _failure_str


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)
