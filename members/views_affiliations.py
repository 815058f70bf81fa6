"""Temporary and flowing members in the portal (/portal/members/affiliations/): the list of periods the
secretary's party organization sees (its own members', those its temporary branches hold, those it keeps
contact with), a period's page with its contacts, and the forms to start one, record a contact and end
it. Every record and member is fetched through `get_visible_or_404`; another branch's ids answer 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.service_forms import add_service_errors
from members.forms_affiliations import AffiliationStartForm, ContactForm, EndForm
from members.models import AffiliationRecord
from members.selectors import (
    affiliation_for_page,
    affiliation_with_member,
    affiliations_for_list,
    member_with_party_organization,
)
from members.services.affiliations import affiliation_contact_record, affiliation_end, affiliation_start
from members.views import secretary_required
from reminders.member_rules import contact_due

PER_PAGE = 50


def _rows(records, today):
    """(record, the contact's due state or None) per record; no query."""
    return [
        (
            record,
            contact_due(starts_on=record.starts_on, last_contact_on=record.last_contact_on, today=today)
            if record.kind == AffiliationRecord.Kind.FLOWING and record.covers(today)
            else None,
        )
        for record in records
    ]


@secretary_required
@require_http_methods(["GET"])
def affiliation_list(request):
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    show = request.GET.get("show", "open")
    records = affiliations_for_list(
        request.user,
        kind=kind if kind in AffiliationRecord.Kind.values else "",
        open_on=None if show == "all" else today,
    )
    page = Paginator(records.order_by("member__name", "-starts_on", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/portal/affiliations.html",
        {
            "page": page,
            "rows": _rows(page, today),
            "kinds": AffiliationRecord.Kind.choices,
            "kind": kind,
            "show": show,
        },
    )


@secretary_required
@require_http_methods(["GET", "POST"])
def affiliation_add(request, member_pk):
    member = member_with_party_organization(request.user, member_pk)
    form = AffiliationStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = affiliation_start(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(kind)s period of %(name)s recorded.")
                % {
                    "kind": record.get_kind_display(),
                    "name": member.name,
                },
            )
            return redirect("members_portal:affiliation", pk=record.pk)
    return render(
        request,
        "members/portal/step_form.html",
        {"form": form, "member": member, "title": _("Temporary or flowing period")},
    )


@secretary_required
@require_http_methods(["GET"])
def affiliation_detail(request, pk):
    record = affiliation_for_page(request.user, pk)
    today = timezone.localdate()
    ((_record, due),) = _rows([record], today)
    return render(
        request,
        "members/portal/affiliation.html",
        {
            "record": record,
            "due": due,
            "contact_form": ContactForm(initial={"on": today}),
            "end_form": EndForm(initial={"ends_on": today}),
        },
    )


def _post(request, pk, form_class, write):
    record = affiliation_with_member(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("members_portal:affiliation", pk=pk)
    try:
        write(record, form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("members_portal:affiliation", pk=pk)


@secretary_required
@require_POST
def affiliation_contact(request, pk):
    return _post(
        request,
        pk,
        ContactForm,
        lambda record, data: affiliation_contact_record(record=record, on=data["on"], actor=request.user),
    )


@secretary_required
@require_POST
def affiliation_close(request, pk):
    return _post(
        request,
        pk,
        EndForm,
        lambda record, data: affiliation_end(record=record, ends_on=data["ends_on"], actor=request.user),
    )
