"""Admin base class: every changelist and change form goes through `visible_to(user)`."""

from django.contrib import admin
from django.http import Http404


class ScopedModelAdmin(admin.ModelAdmin):
    """Staff see and change only what `Model.objects.visible_to(user)` returns.

    An object outside the scope answers 404 (Django's default would redirect
    with "does not exist", which tells a prober that the id is valid).
    """

    def get_queryset(self, request):
        return self.model._default_manager.all().visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _platform_staff(self, request):
        return request.user.is_active and getattr(request.user, "is_platform_staff", False)

    def has_module_permission(self, request):
        return self._platform_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._platform_staff(request)

    def has_add_permission(self, request):
        return self._platform_staff(request)

    def has_change_permission(self, request, obj=None):
        return self._platform_staff(request)

    def has_delete_permission(self, request, obj=None):
        return self._platform_staff(request)
