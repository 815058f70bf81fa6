"""Chinese names for the third-party apps and models the admin lists (django-rest-knox, django-otp).

Their own AppConfigs and Meta carry English names that no catalogue translates; the admin shows them
on every page (the app list and the navigation). Names are set lazily at start-up (gettext_lazy), so
they follow the reader's language.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "knox": _("API tokens"),
    "otp_totp": _("Two-factor login: authenticator apps"),
    "otp_static": _("Two-factor login: recovery codes"),
}
MODEL_NAMES = {
    ("knox", "authtoken"): (_("API token"), _("API tokens")),
    ("otp_totp", "totpdevice"): (_("authenticator device"), _("authenticator devices")),
    ("otp_static", "staticdevice"): (_("recovery code set"), _("recovery code sets")),
    ("otp_static", "statictoken"): (_("recovery code"), _("recovery codes")),
}


def name_third_party_apps() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(label, model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
