from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.models import Notification, Role
from accounts.scoping import get_visible_or_404
from branches.models import PartyOrganization
from config.paginator import CappedPaginator
from reminders.todo import secretary_todos


@login_required
@require_GET
def home(request):
    """Everyone: unread notifications. A secretary: also the month's to-do of their party organization."""
    latest = Notification.objects.visible_to(request.user).unread()[:5]
    context = {"latest_notifications": latest}
    user = request.user
    if user.role == Role.SECRETARY and user.party_organization_id:
        po = PartyOrganization.objects.get(pk=user.party_organization_id)
        context.update(todo_po=po, todos=secretary_todos(po, timezone.localdate()))
    return render(request, "portal/home.html", context)


@login_required
@require_GET
def inbox(request):
    notifications = Notification.objects.visible_to(request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.unread()
    page = CappedPaginator(notifications, 20).get_page(request.GET.get("page"))
    return render(
        request, "portal/inbox.html", {"page": page, "unread_only": request.GET.get("unread") == "1"}
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    if notification.url and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("portal:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("portal:inbox")
