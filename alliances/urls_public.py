from django.urls import path

from alliances.views import public

app_name = "alliances"
urlpatterns = [
    path("", public.alliance_list, name="list"),
    path("<int:pk>/", public.alliance_detail, name="detail"),
    path("rounds/<int:pk>/", public.round_results, name="round"),
]
