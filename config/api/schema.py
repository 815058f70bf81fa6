"""Completes /api/schema/ so every operation has a summary, a description and its error responses.

Operations documented with extend_schema keep what they say; the others (the
read-only viewsets of the other apps, the token endpoint) get the summary and
description below, and every operation gets the error responses its shape
implies: 401 without credentials, 403 for a role that may not, 404 for a record
outside the scope, 400 naming the wrong field on writes. A test
(tests/config/test_api_schema.py) fails when an operation lacks any of them.
"""

from django.utils.translation import gettext_lazy as _

DOCS = {
    "v1_auth_token_create": (
        _("Get an API token"),
        _("Exchange a username and password for the token to send as `Authorization: Token <key>`."),
    ),
    "v1_me_retrieve": (_("Who am I"), _("The logged-in user, their role and scope.")),
    "v1_notifications_list": (_("List my notifications"), _("The user's own inbox, newest first.")),
    "v1_notifications_retrieve": (_("Read one notification"), _("One notification of the user's inbox.")),
    "v1_members_list": (
        _("List members"),
        _("Members the user may see (staff: their region's; a secretary: their party organization's)."),
    ),
    "v1_members_retrieve": (_("Read one member"), _("One member inside the user's scope.")),
    "v1_alliances_list": (_("List alliances"), None),
    "v1_alliances_retrieve": (_("Read one alliance"), None),
    "v1_bookings_list": (_("List room bookings"), None),
    "v1_bookings_create": (_("Ask for a room"), None),
    "v1_bookings_retrieve": (_("Read one booking"), None),
    "v1_bookings_cancel_create": (_("Cancel a booking"), None),
    "v1_coverage_retrieve": (_("Coverage figures on a date"), None),
    "v1_events_list": (_("List events"), None),
    "v1_events_retrieve": (_("Read one event"), None),
    "v1_organizations_list": (_("List organizations"), None),
    "v1_organizations_retrieve": (_("Read one organization"), None),
    "v1_organizations_partial_update": (_("Change some fields of an organization"), None),
    "v1_venture_applications_list": (_("List venture applications"), None),
    "v1_venture_applications_retrieve": (_("Read one venture application"), None),
    "v1_venture_rounds_list": (_("List venture rounds"), None),
    "v1_venture_rounds_retrieve": (_("Read one venture round"), None),
    "v1_venture_rounds_applications_list": (_("List a round's applications"), None),
}
ERRORS = {
    "400": _("A field is wrong: the body names each field and says why, in the request's language."),
    "401": _("No credentials, or wrong ones."),
    "403": _("The user's role may not do this (or anonymous where login is needed)."),
    "404": _("No such record inside the user's scope (a record outside it answers the same)."),
}
WRITES = ("post", "put", "patch")


def _error(code: str) -> dict:
    return {"description": str(ERRORS[code])}


def complete_operations(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            summary, description = DOCS.get(operation.get("operationId"), (None, None))
            if not operation.get("summary"):
                operation["summary"] = str(summary or operation["operationId"].replace("_", " "))
            if not operation.get("description"):
                operation["description"] = str(description or summary or operation["summary"])
            responses = operation.setdefault("responses", {})
            codes = ["401", "403"]
            if "{" in path:
                codes.append("404")
            if method in WRITES:
                codes.append("400")
            for code in codes:
                responses.setdefault(code, _error(code))
    return result
