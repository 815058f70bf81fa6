"""The change history of a staff member's region (/portal/history/): who changed what, when, from where.

District and street staff (and superusers) only; the entries are those of objects inside the
user's scope (accounts.selectors.change_history_visible_to). Paged without a COUNT.
"""

import datetime as dt
from typing import cast

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.selectors import change_history_visible_to, history_models

PAGE_SIZE = 50
MIN_DAY, MAX_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


class HistoryFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    action = forms.TypedChoiceField(
        label=_("Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *LogEntry.Action.choices],
    )
    actor = forms.CharField(label=_("By (username)"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.models = {m._meta.label_lower: m for m in models}
        labels = sorted((str(m._meta.verbose_name_plural), key) for key, m in self.models.items())
        cast(forms.ChoiceField, self.fields["model"]).choices = [
            ("", _("Any")),
            *((key, label) for label, key in labels),
        ]

    def _bounded(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not MIN_DAY <= day <= MAX_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(min)s and %(max)s."), params={"min": MIN_DAY, "max": MAX_DAY}
            )
        return day

    def clean_since(self):
        return self._bounded("since")

    def clean_until(self):
        return self._bounded("until")

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("model"):
            model = self.models[data["model"]]
            entries = entries.filter(
                content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
            )
        if data.get("action") is not None:
            entries = entries.filter(action=data["action"])
        if data.get("actor"):
            entries = entries.filter(actor__username=data["actor"].strip())
        tz = timezone.get_current_timezone()
        if data.get("since"):
            entries = entries.filter(timestamp__gte=dt.datetime.combine(data["since"], dt.time.min, tz))
        if data.get("until"):
            entries = entries.filter(
                timestamp__lt=dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time.min, tz)
            )
        return entries


@login_required
@require_GET
def history(request):
    if not request.user.is_platform_staff:
        raise Http404
    models = history_models()
    form = HistoryFilterForm(request.GET or None, models=models)
    entries = change_history_visible_to(request.user, models=models)
    if form.is_bound:
        entries = form.filter(entries) if form.is_valid() else entries.none()
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    offset = (page - 1) * PAGE_SIZE
    rows = list(entries[offset : offset + PAGE_SIZE + 1])  # one more tells whether a next page exists
    context = {
        "form": form,
        "entries": rows[:PAGE_SIZE],
        "page_number": page,
        "has_previous": page > 1,
        "has_next": len(rows) > PAGE_SIZE,
    }
    return render(request, "accounts/history.html", context)
