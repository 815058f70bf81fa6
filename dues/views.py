"""The dues pages (/portal/dues/): the branch's rolls, payments, bulk import, arrears, a member's base,
and the region-year report for staff.

Rolls, lines, entries and members are fetched through the dues scopes (a secretary: their own
party organization only; staff: their region); anything else answers 404. A member's base is
shown only on that member's page, and each showing is logged (dues.services.bases).
"""

import base64
import io
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from branches.models import PartyOrganization
from config.requests import AuthenticatedHttpRequest
from config.service_forms import add_service_errors
from dues import forms, payment_import, reports
from dues.conf import dues_setting
from dues.models import DuesRoll
from dues.selectors import (
    arrears,
    dues_member_for_page,
    dues_members,
    entry_for_page,
    line_for_page,
    member_lines,
    roll_for_page,
    roll_lines,
    roll_summaries,
)
from dues.services.bases import dues_base_set, dues_bases_reveal
from dues.services.payments import dues_entry_correct, dues_payment_record, dues_payments_record_many
from dues.services.rolls import collects_dues, dues_rolls_generate
from members import crypto
from orgs.models import Region
from orgs.registry_io.template import workbook_response

ROLLS_ON_HOME = 24
STASH_SECONDS = 30 * 60


def secretary_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.role != Role.SECRETARY or not request.user.party_organization_id:
            raise Http404(_("This page is for party organization secretaries."))
        return view(request, *args, **kwargs)

    return wrapper


def keeper_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Secretaries of a party organization, staff and superusers; the object lookups scope the rest."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        secretary = user.role == Role.SECRETARY and user.party_organization_id
        if not (secretary or user.is_platform_staff):
            raise Http404(_("This page is for secretaries and staff."))
        return view(request, *args, **kwargs)

    return wrapper


def _client_ip(request: AuthenticatedHttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@secretary_required
@require_http_methods(["GET"])
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    po = PartyOrganization.objects.get(pk=request.user.party_organization_id)
    rolls = list(DuesRoll.objects.visible_to(request.user).order_by("-month")[:ROLLS_ON_HOME])
    summaries = roll_summaries(rolls)
    today = timezone.localdate()
    owing = arrears(members=dues_members(request.user), until=today.replace(day=1))
    remind = dues_setting("ARREARS_REMIND_MONTHS")
    return render(
        request,
        "dues/portal/home.html",
        {
            "po": po,
            "collects": collects_dues(po),
            "rolls": [(roll, summaries.get(roll.pk, (0, 0, 0, 0))) for roll in rolls],
            "this_month": today.replace(day=1),
            "has_this_month": any(roll.month == today.replace(day=1) for roll in rolls),
            "owing": [item for item in owing if item.months_owed >= remind],
        },
    )


@secretary_required
@require_POST
def roll_generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    po = PartyOrganization.objects.get(pk=request.user.party_organization_id)
    try:
        run = dues_rolls_generate(
            month=timezone.localdate().replace(day=1), actor=request.user, party_organization=po
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("dues_portal:home")
    messages.success(request, _("This month's roll is ready (%(lines)d new lines).") % {"lines": run.lines})
    return redirect("dues_portal:home")


def _roll(request: AuthenticatedHttpRequest, pk: int) -> DuesRoll:
    return roll_for_page(request.user, pk)


@keeper_required
@require_http_methods(["GET"])
def roll_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = _roll(request, pk)
    return render(
        request,
        "dues/portal/roll.html",
        {"roll": roll, "lines": roll_lines(roll), "form": forms.PaymentForm(), "today": timezone.localdate()},
    )


@keeper_required
@require_http_methods(["GET"])
def roll_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    roll = _roll(request, pk)
    workbook = reports.branch_month_workbook(reports.branch_month_report(roll))
    return workbook_response(workbook, stem=f"党费收缴情况表-{roll.month:%Y%m}")


@keeper_required
@require_http_methods(["GET"])
def roll_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    roll = _roll(request, pk)
    return workbook_response(payment_import.payment_sheet(roll), stem=f"党费交纳登记-{roll.month:%Y%m}")


@keeper_required
@require_POST
def line_pay(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = line_for_page(request.user, pk)
    form = forms.PaymentForm(request.POST)
    if form.is_valid():
        try:
            dues_payment_record(line=line, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(
                    request,
                    f"{line.member.name} · {label}: {error}" if label else f"{line.member.name}: {error}",
                )
    else:
        messages.success(request, _("Payment of %(name)s recorded.") % {"name": line.member.name})
    return redirect("dues_portal:roll", pk=line.roll_id)


@keeper_required
@require_http_methods(["GET", "POST"])
def entry_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = entry_for_page(request.user, pk)
    form = forms.CorrectionForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            dues_entry_correct(entry=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("dues_portal:member", pk=entry.line.member_id)
    return render(request, "dues/portal/correct.html", {"entry": entry, "form": form})


def _stash_key(user: User, token: str) -> str:
    return f"dues-import:{user.pk}:{token}"


@secretary_required
@require_http_methods(["GET", "POST"])
def payments_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload → preview (every row's errors); confirm → all rows in one transaction, or none."""
    token = request.POST.get("token", "")
    if request.method == "POST" and token:
        stored = cache.get(_stash_key(request.user, token))
        if stored is None:
            messages.error(request, _("The uploaded file expired; upload it again."))
            return redirect("dues_portal:import")
        data = base64.b64decode(crypto.decrypt(stored))
        rows = payment_import.read_rows(io.BytesIO(data), len(data))
        results = payment_import.validate(rows, lines_queryset=payment_import.lines_for(request.user))
        if all(result.draft for result in results):
            try:
                entries = dues_payments_record_many(
                    drafts=[r.draft for r in results if r.draft is not None], actor=request.user
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                cache.delete(_stash_key(request.user, token))
                messages.success(request, _("%(n)d payments recorded.") % {"n": len(entries)})
                return redirect("dues_portal:home")
        return render(request, "dues/portal/import.html", {"form": forms.ImportForm(), "results": results})
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = payment_import.read_rows(io.BytesIO(data), len(data))
        except payment_import.FileError as exc:
            form.add_error("file", exc.message)
        else:
            results = payment_import.validate(rows, lines_queryset=payment_import.lines_for(request.user))
            context["results"] = results
            if all(result.draft for result in results):
                token = secrets.token_urlsafe(16)
                cache.set(
                    _stash_key(request.user, token),
                    crypto.encrypt(base64.b64encode(data).decode()),
                    STASH_SECONDS,
                )
                context["token"] = token
    return render(request, "dues/portal/import.html", context)


@keeper_required
@require_http_methods(["GET"])
def arrears_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    owing = arrears(members=dues_members(request.user), until=timezone.localdate().replace(day=1))
    return render(
        request,
        "dues/portal/arrears.html",
        {
            "owing": owing[:500],
            "truncated": len(owing) > 500,
            "remind": dues_setting("ARREARS_REMIND_MONTHS"),
            "flag": dues_setting("ARREARS_FLAG_MONTHS"),
        },
    )


@keeper_required
@require_http_methods(["GET", "POST"])
def member_dues(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = dues_member_for_page(request.user, pk)
    form = forms.BaseForm(request.POST or None, initial={"valid_from": timezone.localdate().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        try:
            dues_base_set(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Dues base recorded."))
            return redirect("dues_portal:member", pk=member.pk)
    bases = dues_bases_reveal(member=member, user=request.user, ip_address=_client_ip(request))
    lines = list(member_lines(member))
    return render(
        request, "dues/portal/member.html", {"member": member, "bases": bases, "lines": lines, "form": form}
    )


@login_required
@require_http_methods(["GET"])
def region_report(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Staff: one street's (or the district's) year, on screen or as the workbook (?format=xlsx)."""
    if not request.user.is_platform_staff:
        raise Http404
    regions = (
        Region.objects.visible_to(request.user)
        .filter(kind__in=["district", "street"])
        .order_by("tree_id", "lft")
    )
    form = forms.YearReportForm(request.GET or {"year": timezone.localdate().year}, regions=regions)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        region = form.cleaned_data["region"] or request.user.scope_region
        if region is None:
            form.add_error("region", _("Choose a street or district."))
        else:
            year = form.cleaned_data["year"]
            rows, total = reports.region_year_report(region=region, year=year, user=request.user)
            if request.GET.get("format") == "xlsx":
                workbook = reports.region_year_workbook(region=region, year=year, rows=rows, total=total)
                return workbook_response(workbook, stem=f"党费收缴汇总表-{year}")
            context.update(region=region, year=year, rows=rows, total=total, months=range(1, 13))
    return render(request, "dues/portal/region_report.html", context)
