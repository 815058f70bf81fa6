"""Portal: party-school classes (党校培训班). A secretary opens a class for their party organization,
enrols its activists and candidates as trainees, links its training events as sessions (attendance at
them credits the hours) and prints the certificate of completion (结业证书) of a trainee who reached
the collective-training requirement in the class; staff see the classes of their region. Every class
is fetched through `visible_to` (404 outside the scope); a trainee only inside their class."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.scoping import get_visible_or_404
from branches.models import PartyOrganization
from config.requests import AuthenticatedHttpRequest
from events.models import Event, PartyClass
from events.selectors_classes import (
    class_credits,
    class_sessions,
    class_trainee,
    class_trainees,
    completed,
    party_class_for_page,
    party_classes_for_list,
)
from events.services.classes import (
    TRAINEE_STAGES,
    party_class_add_session,
    party_class_create,
    party_class_enrol,
)
from members.models import Member

LIST_LIMIT = 50
CHOICES_LIMIT = 200  # people or events offered in one dropdown (a branch has far fewer)


def _keeper(user: User) -> bool:
    return user.is_platform_staff or (user.role == "secretary" and bool(user.party_organization_id))


def _secretary(user: User) -> bool:
    return user.role == "secretary" and bool(user.party_organization_id)


def _class(request: AuthenticatedHttpRequest, pk: int) -> PartyClass:
    if not _keeper(request.user):
        raise Http404
    return party_class_for_page(request.user, pk)


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def class_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _keeper(request.user):
        raise Http404
    classes = party_classes_for_list(request.user).order_by("-starts_on", "pk")[:LIST_LIMIT]
    return render(
        request,
        "events/portal/classes.html",
        {
            "classes": classes,
            "min_hours": settings.CANDIDATE_MIN_TRAINING_HOURS,
            "min_days": settings.CANDIDATE_MIN_TRAINING_DAYS,
        },
    )


@login_required
@require_POST
def class_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _secretary(request.user):
        raise Http404
    po = PartyOrganization.objects.get(pk=request.user.party_organization_id)
    try:
        party_class = party_class_create(
            party_organization=po,
            name=request.POST.get("name", ""),
            # a missing date reaches the service, which refuses it on its field (its signature says date)
            starts_on=_date(request.POST.get("starts_on")),  # type: ignore[arg-type]
            ends_on=_date(request.POST.get("ends_on")),  # type: ignore[arg-type]
            actor=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("events_portal:classes")
    return redirect("events_portal:class", pk=party_class.pk)


def _date(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
@require_GET
def class_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    party_class = _class(request, pk)
    credits = class_credits(party_class)
    trainees = []
    for trainee in class_trainees(party_class):
        hours, days = credits.get(trainee.member_id, (0, Decimal(0)))
        trainees.append((trainee, hours, days, completed(hours, days)))
    sessions = class_sessions(party_class)
    context = {
        "party_class": party_class,
        "trainees": trainees,
        "sessions": sessions,
        "min_hours": settings.CANDIDATE_MIN_TRAINING_HOURS,
        "min_days": settings.CANDIDATE_MIN_TRAINING_DAYS,
    }
    if _secretary(request.user):
        enrolled = [t.member_id for t, *_rest in trainees]
        context["people"] = (
            Member.objects.visible_to(request.user)
            .filter(status=Member.Status.ACTIVE, stage__in=TRAINEE_STAGES)
            .exclude(pk__in=enrolled)
            .order_by("name", "pk")
            .only("pk", "name", "stage")[:CHOICES_LIMIT]
        )
        context["events"] = (
            Event.objects.visible_to(request.user)
            .filter(
                kind=Event.Kind.TRAINING,
                class_session__isnull=True,
                starts_at__date__gte=party_class.starts_on,
                starts_at__date__lte=party_class.ends_on,
            )
            .order_by("starts_at", "pk")
            .only("pk", "title", "starts_at")[:CHOICES_LIMIT]
        )
    return render(request, "events/portal/class_detail.html", context)


@login_required
@require_POST
def class_enrol(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    party_class = _class(request, pk)
    if not _secretary(request.user):
        raise Http404
    raw = request.POST.get("member", "")
    member = get_visible_or_404(Member, request.user, pk=int(raw)) if raw.isdigit() else None
    try:
        if member is None:
            raise ValidationError({"member": _("Choose a trainee.")})
        party_class_enrol(party_class=party_class, member=member, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(name)s enrolled.") % {"name": member.name})
    return redirect("events_portal:class", pk=party_class.pk)


@login_required
@require_POST
def class_session_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    party_class = _class(request, pk)
    if not _secretary(request.user):
        raise Http404
    raw = request.POST.get("event", "")
    event = get_visible_or_404(Event, request.user, pk=int(raw)) if raw.isdigit() else None
    hours = request.POST.get("class_hours", "")
    try:
        days = Decimal(request.POST.get("days", "") or "0")
    except ArithmeticError:
        days = None
    try:
        if event is None:
            raise ValidationError({"event": _("Choose a training event.")})
        party_class_add_session(
            party_class=party_class,
            event=event,
            class_hours=int(hours) if hours.isdigit() else None,
            days=days,
            actor=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Session added."))
    return redirect("events_portal:class", pk=party_class.pk)


@login_required
@require_GET
def class_certificate(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The printable certificate of completion; a trainee short of the requirement in this class is
    refused (back to the class page with the reason), nothing is printed."""
    party_class = _class(request, pk)
    trainee = class_trainee(party_class, member_pk)
    if trainee is None:
        raise Http404
    hours, days = class_credits(party_class).get(member_pk, (0, Decimal(0)))
    if not completed(hours, days):
        messages.error(
            request,
            _(
                "%(name)s has %(hours)s class hours and %(days)s days in this class: a certificate needs "
                "%(min_hours)d class hours or %(min_days)d days."
            )
            % {
                "name": trainee.member.name,
                "hours": hours,
                "days": format(days.normalize(), "f"),
                "min_hours": settings.CANDIDATE_MIN_TRAINING_HOURS,
                "min_days": settings.CANDIDATE_MIN_TRAINING_DAYS,
            },
        )
        return redirect("events_portal:class", pk=party_class.pk)
    return render(
        request,
        "events/portal/class_certificate.html",
        {
            "party_class": party_class,
            "member": trainee.member,
            "number": f"{party_class.starts_on.year}-{party_class.pk:03d}-{trainee.pk:05d}",
            "hours": hours,
            "days": format(days.normalize(), "f"),
            "issued_on": party_class.ends_on,  # the certificate is dated on the class's last day (结业)
        },
    )
