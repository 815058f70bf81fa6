from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The figures reported upward: the coverage engine, dated snapshots, dashboards, exports and
    leads. It reads the other apps; none of them reads it."""

    name = "stats"
    verbose_name = _("Statistics")
