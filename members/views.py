"""The secretary's members pages (/portal/members/): list, person, pipeline steps, transfers.

Only secretaries linked to a party organization use them; anyone else logged in
gets 404, anonymous users the login page. Every member and transfer is fetched
through `get_visible_or_404` (the secretary's party organization and the nodes
under it), so another branch's ids answer 404. ID numbers and phones are shown
masked; secretaries cannot reveal them (members.services.reveal). Forms call
their service once, while validating (config.service_forms); the view uses `form.saved`.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from branches.models import PartyOrganization
from config.paginator import CappedPaginator
from members import forms
from members.models import Member, Transfer
from members.selectors import member_for_page, member_history, member_list, transfer_for_page, transfer_list
from members.services.stages import candidate_eligible_on, probation_ends_on
from members.services.transfers import transfer_cancel, transfer_receive

PER_PAGE = 50
RECENT_TRANSFERS = 20
Stage = Member.Stage

# slug → (form, title, stages it applies to; None: any)
STEPS = {
    "activist": (forms.ActivistForm, gettext_lazy("Make an activist"), {Stage.APPLICANT}),
    "contacts": (forms.ContactsForm, gettext_lazy("Cultivation contacts"), {Stage.ACTIVIST}),
    "introducers": (forms.IntroducersForm, gettext_lazy("Introducers"), {Stage.ACTIVIST, Stage.CANDIDATE}),
    "training": (forms.TrainingForm, gettext_lazy("Record training"), {Stage.ACTIVIST, Stage.CANDIDATE}),
    "review": (
        forms.PoliticalReviewForm,
        gettext_lazy("Record the political review"),
        {Stage.ACTIVIST, Stage.CANDIDATE},
    ),
    "candidate": (forms.CandidateForm, gettext_lazy("Make a candidate"), {Stage.ACTIVIST}),
    "admit": (forms.AdmitForm, gettext_lazy("Admission vote"), {Stage.CANDIDATE}),
    "extend": (forms.ExtendProbationForm, gettext_lazy("Extend the probation"), {Stage.PROBATIONARY}),
    "convert": (forms.ConvertForm, gettext_lazy("Convert to full member"), {Stage.PROBATIONARY}),
    "status": (forms.StatusForm, gettext_lazy("Change the status"), None),
    "transfer": (forms.TransferSendForm, gettext_lazy("Send a transfer"), None),
}


def secretary_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.role != Role.SECRETARY or not user.party_organization_id:
            raise Http404(_("This page is for party organization secretaries."))
        return view(request, *args, **kwargs)

    return wrapper


def _member(request, pk) -> Member:
    return member_for_page(request.user, pk)


# What members/portal/list.html reads from each row (the masks read id_number and phone).
LIST_COLUMNS = (
    "name",
    "id_number",
    "phone",
    "stage",
    "status",
    "affiliation",
    "party_organization__name",
)


@secretary_required
@require_http_methods(["GET"])
def member_list_view(request):
    """Filters and a name search. No lookup by exact ID number: a hit would confirm a full number,
    and secretaries may not reveal one (members.services.reveal)."""
    stage = request.GET.get("stage", "")
    status = request.GET.get("status", Member.Status.ACTIVE)
    affiliation = request.GET.get("affiliation", "")
    queryset = member_list(
        user=request.user,
        affiliation=affiliation if affiliation in Member.Affiliation.values else "",
        stage=stage if stage in Stage.values else "",
        status=status if status in Member.Status.values else "",
        search=request.GET.get("q", ""),
    )
    # The columns the rows show, with their party organization's name: no other row is built into a
    # model for each member.
    queryset = (
        queryset.select_related("party_organization")
        .only(*LIST_COLUMNS)
        .order_by("party_organization__lft", "name", "id")
    )
    page = CappedPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/portal/list.html",
        {
            "page": page,
            "stages": Stage.choices,
            "statuses": Member.Status.choices,
            "affiliations": Member.Affiliation.choices,
            "affiliation": affiliation,
            "stage": stage,
            "status": status,
            "q": request.GET.get("q", ""),
        },
    )


@secretary_required
@sensitive_post_parameters("id_number", "phone")
@require_http_methods(["GET", "POST"])
def member_add(request):
    party_organizations = PartyOrganization.objects.visible_to(request.user).filter(status="active")
    form = forms.MemberForm(request.POST or None, actor=request.user, party_organizations=party_organizations)
    if request.method == "GET":
        form.fields["party_organization"].initial = request.user.party_organization_id
    if request.method == "POST" and form.is_valid():
        member = form.saved
        _flash_saved(request, form, _("%(name)s registered.") % {"name": member.name})
        return redirect("members_portal:detail", pk=member.pk)
    return render(request, "members/portal/member_form.html", {"form": form, "title": _("Register a person")})


def _flash_saved(request, form, text):
    messages.success(request, text)
    for warning in form.warnings:
        messages.warning(request, warning)


@secretary_required
@require_http_methods(["GET"])
def member_detail(request, pk):
    member = _member(request, pk)
    steps = [
        (slug, title)
        for slug, (_form, title, stages) in STEPS.items()
        if member.status == Member.Status.ACTIVE and (stages is None or member.stage in stages)
    ]
    if member.status != Member.Status.ACTIVE:
        steps.append(("status", STEPS["status"][1]))
    return render(
        request,
        "members/portal/detail.html",
        {
            "member": member,
            "steps": steps,
            **member_history(member),
            "introducers": member.introducers.all(),
            "contacts": member.contacts.all(),
            "probation_ends_on": probation_ends_on(member),
            "candidate_eligible_on": candidate_eligible_on(member)
            if member.stage == Stage.ACTIVIST
            else None,
        },
    )


@secretary_required
@sensitive_post_parameters("id_number", "phone")
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _member(request, pk)
    form = forms.MemberForm(request.POST or None, instance=member, actor=request.user)
    if request.method == "POST" and form.is_valid():
        _flash_saved(request, form, _("Saved."))
        return redirect("members_portal:detail", pk=member.pk)
    return render(
        request,
        "members/portal/member_form.html",
        {"form": form, "member": member, "title": _("Edit %(name)s") % {"name": member.name}},
    )


@secretary_required
@require_http_methods(["GET", "POST"])
def member_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    member = _member(request, pk)
    form_class, title, _stages = STEPS[step]
    form = form_class(request.POST or None, member=member, actor=request.user)
    if request.method == "POST" and form.is_valid():
        messages.success(request, _("%(step)s: done.") % {"step": title})
        return redirect("members_portal:detail", pk=member.pk)
    return render(request, "members/portal/step_form.html", {"form": form, "member": member, "title": title})


@secretary_required
@require_http_methods(["GET"])
def transfer_list_view(request):
    transfers = transfer_list(user=request.user, with_letter=True)
    own = PartyOrganization.objects.visible_to(request.user).values("pk")
    pending = transfers.filter(status=Transfer.Status.PENDING)
    letter_query = request.GET.get("letter", "").strip()[:100]
    return render(
        request,
        "members/portal/transfers.html",
        {
            "incoming": pending.filter(direction=Transfer.Direction.INTERNAL, to_party_organization__in=own),
            "outgoing": pending.filter(from_party_organization__in=own),
            "recent": transfers.exclude(status=Transfer.Status.PENDING)[:RECENT_TRANSFERS],
            "receive_form": forms.TransferReceiveForm(),
            "letter_query": letter_query,
            "found": transfers.filter(letter_number__icontains=letter_query)[:RECENT_TRANSFERS]
            if letter_query
            else None,
        },
    )


def _transfer(request, pk) -> Transfer:
    return transfer_for_page(request.user, pk)


@secretary_required
@require_POST
def transfer_receive_view(request, pk):
    transfer = _transfer(request, pk)
    form = forms.TransferReceiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        transfer_receive(transfer=transfer, received_on=form.cleaned_data["received_on"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Transfer of %(name)s received.") % {"name": transfer.member.name})
    return redirect("members_portal:transfers")


@secretary_required
@require_POST
def transfer_cancel_view(request, pk):
    transfer = _transfer(request, pk)
    try:
        transfer_cancel(transfer=transfer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Transfer of %(name)s cancelled.") % {"name": transfer.member.name})
    return redirect("members_portal:transfers")
