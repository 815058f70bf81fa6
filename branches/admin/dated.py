"""Dated rows: coverage links and committee posts, added with both dates through the services; a
link's dates are corrected, a post ended or corrected (holder, post, dates) on the change form, and a
link or post entered by mistake removed (staff, through coverage_link_remove / committee_post_remove;
audited by django-auditlog)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from branches.admin.base import CurrentFilter
from branches.models import CommitteePost, CoverageLink, PartyOrganization
from branches.services.coverage import (
    coverage_link_correct,
    coverage_link_create,
    coverage_link_end,
    coverage_link_remove,
    coverage_link_switch,
)
from branches.services.posts import (
    committee_post_correct,
    committee_post_create,
    committee_post_end,
    committee_post_remove,
)
from config.admin_services import RemoveThroughServiceMixin, ServiceModelAdmin, is_corrector
from config.service_forms import ServiceModelForm


class CoverageLinkForm(ServiceModelForm):
    switch = forms.BooleanField(
        label=_("Switch: end the organization's current link on the same date"), required=False
    )

    class Meta:
        model = CoverageLink
        fields = ("party_organization", "organization", "since", "until", "note")

    def validate_constraints(self) -> None:
        """The service judges the one-active-link rule (a switch ends the current link first)."""

    def write(self) -> CoverageLink:
        data = self.cleaned_data
        if self.instance.pk is None:
            if data.get("switch") and data.get("until"):
                raise ValidationError(
                    {
                        "until": _(
                            "A switch starts a current link: leave the end date empty, or do not switch."
                        )
                    }
                )
            if data.get("switch"):
                return coverage_link_switch(
                    organization=data["organization"],
                    party_organization=data["party_organization"],
                    on=data["since"],
                    note=data.get("note", ""),
                    actor=self.actor,
                )
            return coverage_link_create(
                party_organization=data["party_organization"],
                organization=data["organization"],
                since=data["since"],
                until=data.get("until"),
                note=data.get("note", ""),
                actor=self.actor,
            )
        current = CoverageLink.objects.get(pk=self.instance.pk)
        since, until = data.get("since", current.since), data.get("until")
        note = data.get("note", current.note)
        if current.until is None and since == current.since and until and note == current.note:
            return coverage_link_end(link=current, until=until, actor=self.actor)
        if (since, until, note) != (current.since, current.until, current.note):
            # a correction, checked against every other row (audited by django-auditlog)
            return coverage_link_correct(link=current, since=since, until=until, note=note, actor=self.actor)
        return current


@admin.register(CoverageLink)
class CoverageLinkAdmin(RemoveThroughServiceMixin, ServiceModelAdmin):
    form = CoverageLinkForm
    list_display = ("organization", "party_organization", "mode", "since", "until")
    list_filter = (CurrentFilter, "party_organization__building_mode")
    list_select_related = ("organization", "party_organization")
    search_fields = ("organization__name", "party_organization__name")
    autocomplete_fields = ("party_organization", "organization")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_fields(self, request: HttpRequest, obj: CoverageLink | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("party_organization", "organization", "since", "until", "switch", "note")
        return ("party_organization", "organization", "since", "until", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # Who covers whom is history; the dates and note stay correctable (coverage_link_correct).
        return ("party_organization", "organization")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Staff remove a link entered by mistake (coverage_link_remove), one at a time."""
        return is_corrector(request.user)

    def remove_row(self, request: Any, obj: Any) -> None:
        coverage_link_remove(link=obj, actor=request.user)

    @admin.display(description=_("building mode"))
    def mode(self, obj: CoverageLink) -> str:
        return obj.party_organization.get_building_mode_display()


class CommitteePostAdminForm(ServiceModelForm):
    class Meta:
        model = CommitteePost
        fields = ("party_organization", "member", "post", "since", "until")

    def write(self) -> CommitteePost:
        data = self.cleaned_data
        if self.instance.pk is None:
            return committee_post_create(
                party_organization=data["party_organization"],
                member=data["member"],
                post=data["post"],
                since=data["since"],
                until=data.get("until"),
                actor=self.actor,
            )
        current = CommitteePost.objects.get(pk=self.instance.pk)
        member, post = data.get("member", current.member), data.get("post", current.post)
        since, until = data.get("since", current.since), data.get("until")
        same_row = (member.pk, post, since) == (current.member_id, current.post, current.since)
        if current.until is None and same_row and until:
            return committee_post_end(post=current, until=until, actor=self.actor)
        if not same_row or until != current.until:
            # a correction, checked against every other row (audited by django-auditlog)
            return committee_post_correct(
                post=current, member=member, kind=post, since=since, until=until, actor=self.actor
            )
        return current


@admin.register(CommitteePost)
class CommitteePostAdmin(RemoveThroughServiceMixin, ServiceModelAdmin):
    form = CommitteePostAdminForm
    list_display = ("party_organization", "post", "member", "since", "until")
    list_filter = (CurrentFilter, "post")
    list_select_related = ("party_organization", "member")
    search_fields = ("party_organization__name", "member__name")
    autocomplete_fields = ("party_organization",)
    raw_id_fields = ("member",)  # members.Member: no full-table dropdown
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request: HttpRequest) -> QuerySet[CommitteePost]:
        visible = PartyOrganization.objects.visible_to(request.user)
        return CommitteePost.objects.filter(party_organization__in=visible.values("pk"))

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # The holder, the post and the dates stay correctable (committee_post_correct).
        return ("party_organization",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        """Staff remove a row entered by mistake (committee_post_remove), one at a time."""
        return is_corrector(request.user)

    def remove_row(self, request: Any, obj: Any) -> None:
        committee_post_remove(post=obj, actor=request.user)
