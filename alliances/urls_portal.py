from django.urls import path

from alliances.views import portal, reviews

app_name = "alliances_portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("<int:pk>/", portal.alliance_detail, name="alliance"),
    path("rounds/<int:pk>/", portal.round_detail, name="round"),
    path("rounds/<int:pk>/apply/", portal.apply, name="apply"),
    path("applications/", portal.application_list, name="applications"),
    path("applications/<int:pk>/", portal.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", portal.application_withdraw_view, name="withdraw"),
    path(
        "applications/<int:pk>/milestones/<int:milestone_pk>/report/",
        portal.milestone_report_view,
        name="milestone_report",
    ),
    path("grids/", portal.grid_list, name="grids"),
    path("grids/<int:pk>/record/", portal.grid_record, name="grid_record"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/<int:pk>/", reviews.review_form, name="review"),
]
