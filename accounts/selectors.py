"""Reads across models for accounts: the change history a staff member may see."""

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q
from django.db.models.functions import Cast

from orgs.models import RegistryImport


def history_models() -> list[type[Model]]:
    """Models whose change-log entries the history page can scope: those with `visible_to`.

    The registry import job is not registered with auditlog (its rows are written by COPY) but
    its one summary entry (accounts.audit.audit_summary) is shown to whoever sees the job.
    """
    models = [m for m in auditlog.get_models() if hasattr(m._default_manager.all(), "visible_to")]
    return [*models, RegistryImport]


def change_history_visible_to(user, *, models=None):
    """Change-log entries of the objects inside the user's scope, newest first.

    A superuser sees every entry. District and street staff see the entries of each object that
    `visible_to(user)` shows them today (one `IN (subquery)` per model, no row read in Python); an
    entry about a deleted object is no longer placed, so only superusers see it. Anyone else: none.
    """
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if user is None or not user.is_authenticated or not user.is_active:
        return entries.none()
    models = models if models is not None else history_models()
    content_types = ContentType.objects.get_for_models(*models)
    if user.is_superuser:
        return entries.filter(content_type__in=content_types.values())
    if not getattr(user, "is_platform_staff", False):
        return entries.none()
    scope = Q(pk__in=[])
    for model, content_type in content_types.items():
        scoped: Any = model._default_manager.all()  # answers visible_to: history_models() keeps those
        visible = (
            scoped.visible_to(user)
            .order_by()
            .annotate(_history_pk=Cast("pk", CharField()))
            .values("_history_pk")
        )
        scope |= Q(content_type=content_type, object_pk__in=visible)
    return entries.filter(scope)
