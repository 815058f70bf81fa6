from django.urls import path

from config.page_cache import cache_public_page
from events.views import public, signup

app_name = "events"
urlpatterns = [
    path("", cache_public_page(public.calendar), name="calendar"),
    path("feed.ics", public.feed, name="feed"),
    path("<int:pk>/", cache_public_page(public.event_detail), name="detail"),
    path("signin/<str:token>/", public.signin, name="signin"),
    path("<int:pk>/signup/", signup.signup, name="signup"),
    path("signup/<str:token>/", signup.signup_status, name="signup_status"),
]
