from django.urls import path

from accounts.views import history, portal

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("inbox/", portal.inbox, name="inbox"),
    path("inbox/read-all/", portal.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", portal.notification_read, name="notification_read"),
    path("history/", history.history, name="history"),
]
