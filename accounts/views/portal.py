from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.models import Notification
from accounts.scoping import get_visible_or_404


@login_required
@require_GET
def home(request):
    latest = Notification.objects.visible_to(request.user).unread()[:5]
    return render(request, "portal/home.html", {"latest_notifications": latest})


@login_required
@require_GET
def inbox(request):
    notifications = Notification.objects.visible_to(request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.unread()
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
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
