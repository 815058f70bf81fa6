"""Party-building instructors and their assignments, written through branches.services.instructors."""

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from branches.admin.base import CurrentFilter, ReadOnlyInline, RegionStreetFilter
from branches.models import Instructor, InstructorAssignment
from branches.services.instructors import EDITABLE_FIELDS as INSTRUCTOR_FIELDS
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_correct,
    instructor_assignment_end,
    instructor_assignment_remove,
    instructor_create,
    instructor_update,
)
from config.admin_services import RemoveThroughServiceMixin, ServiceModelAdmin, is_corrector
from config.service_forms import ServiceModelForm


class InstructorForm(ServiceModelForm):
    class Meta:
        model = Instructor
        fields = ("name", "dispatched_by", "dispatching_body", "region")

    def write(self) -> Instructor:
        fields = {f: self.cleaned_data[f] for f in INSTRUCTOR_FIELDS if f in self.cleaned_data}
        if self.instance.pk is None:
            return instructor_create(actor=self.actor, **fields)
        current = Instructor.objects.get(pk=self.instance.pk)
        return instructor_update(instructor=current, actor=self.actor, **fields)


class InstructorAssignmentInline(ReadOnlyInline):
    model = InstructorAssignment
    fields = readonly_fields = ("organization", "since", "until")

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstructorAssignment]:
        return super().get_queryset(request).select_related("organization")


@admin.register(Instructor)
class InstructorAdmin(ServiceModelAdmin):
    form = InstructorForm
    list_display = ("name", "dispatched_by", "dispatching_body", "region", "is_active")
    list_filter = ("dispatched_by", "is_active", RegionStreetFilter)
    list_select_related = ("region",)
    search_fields = ("name", "dispatching_body")
    autocomplete_fields = ("region",)
    readonly_fields = ("is_active",)
    inlines = (InstructorAssignmentInline,)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request: HttpRequest) -> QuerySet[Instructor]:
        return super().get_queryset(request).select_related("region")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class InstructorAssignmentForm(ServiceModelForm):
    class Meta:
        model = InstructorAssignment
        fields = ("instructor", "organization", "since", "until")

    def write(self) -> InstructorAssignment:
        data = self.cleaned_data
        if self.instance.pk is None:
            return instructor_assign(
                instructor=data["instructor"],
                organization=data["organization"],
                since=data["since"],
                until=data.get("until"),
                actor=self.actor,
            )
        current = InstructorAssignment.objects.get(pk=self.instance.pk)
        since, until = data.get("since", current.since), data.get("until")
        if current.until is None and since == current.since and until:
            return instructor_assignment_end(assignment=current, until=until, actor=self.actor)
        if (since, until) != (current.since, current.until):
            # a correction of the dates, checked against every other row (audited by django-auditlog)
            return instructor_assignment_correct(
                assignment=current, since=since, until=until, actor=self.actor
            )
        return current


@admin.register(InstructorAssignment)
class InstructorAssignmentAdmin(RemoveThroughServiceMixin, ServiceModelAdmin):
    form = InstructorAssignmentForm
    list_display = ("instructor", "organization", "since", "until")
    list_filter = (CurrentFilter,)
    list_select_related = ("instructor", "organization")
    search_fields = ("instructor__name", "organization__name")
    autocomplete_fields = ("instructor", "organization")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # The dates stay correctable (instructor_assignment_correct); who and where are history.
        return ("instructor", "organization")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """Staff remove an assignment entered by mistake (instructor_assignment_remove), one at a time."""
        return is_corrector(request.user)

    def remove_row(self, request: HttpRequest, obj: InstructorAssignment) -> None:
        instructor_assignment_remove(assignment=obj, actor=request.user)
