from django.urls import path

from events.views import public, signup

app_name = "events"
urlpatterns = [
    path("", public.calendar, name="calendar"),
    path("feed.ics", public.feed, name="feed"),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("signin/<str:token>/", public.signin, name="signin"),
    path("<int:pk>/signup/", signup.signup, name="signup"),
    path("signup/<str:token>/", signup.signup_status, name="signup_status"),
]
