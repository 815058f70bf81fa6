"""The dated recruitment steps in the portal (/portal/members/<id>/recruitment/): the talk, reviews,
the development plan, the application form, and the admission's submission to the superior committee;
the committee's decision (/portal/members/recruitment/<record id>/decide/) by the secretary of a
superior party organization. Members are fetched through `get_visible_or_404` (404 outside the scope).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scoping import get_visible_or_404
from config.service_forms import add_service_errors
from members.models import Member, RecruitmentRecord
from members.services.recruitment_steps import (
    STEP_STAGES,
    admission_approval_decide,
    admission_approval_submit,
    approval_due_on,
    recruitment_record,
)
from members.views import secretary_required

Kind = RecruitmentRecord.Kind


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Step"), choices=[(k, Kind(k).label) for k in STEP_STAGES])
    on = forms.DateField(
        label=gettext_lazy("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    number = forms.CharField(label=gettext_lazy("Number or document"), required=False, max_length=100)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)


@secretary_required
@require_http_methods(["GET", "POST"])
def recruitment_steps(request, pk):
    member = get_visible_or_404(Member.objects.select_related("party_organization"), request.user, pk=pk)
    form = StepForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and request.POST.get("submit_approval"):
        try:
            admission_approval_submit(member=member, on=timezone.localdate(), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The admission was submitted to the superior committee."))
        return redirect("members_portal:recruitment", pk=member.pk)
    if request.method == "POST" and form.is_valid():
        try:
            recruitment_record(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("members_portal:recruitment", pk=member.pk)
    return render(
        request,
        "members/portal/recruitment.html",
        {
            "member": member,
            "records": member.recruitment_records.select_related("recorded_by").order_by("on", "pk"),
            "form": form,
            "approval_due_on": approval_due_on(member) if member.stage == Member.Stage.PROBATIONARY else None,
        },
    )


@secretary_required
@require_POST
def approval_decide(request, pk):
    record = get_visible_or_404(
        RecruitmentRecord.objects.select_related("member__party_organization"), request.user, pk=pk
    )
    on = forms.DateField().clean(request.POST.get("on") or str(timezone.localdate()))
    try:
        admission_approval_decide(
            record=record,
            approved=request.POST.get("decision") == "approved",
            on=on,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("members_portal:recruitment", pk=record.member_id)
