"""The secretary's members pages, mounted at /portal/members/."""

from django.urls import path

from members import views, views_affiliations, views_letters, views_recruitment

app_name = "members_portal"
urlpatterns = [
    path("", views.member_list_view, name="list"),
    path("new/", views.member_add, name="add"),
    path("transfers/", views.transfer_list_view, name="transfers"),
    path("transfers/<int:pk>/receive/", views.transfer_receive_view, name="transfer_receive"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel_view, name="transfer_cancel"),
    path("transfers/<int:pk>/letter/", views_letters.transfer_letter_view, name="transfer_letter"),
    path(
        "transfers/<int:pk>/letter/issue/",
        views_letters.transfer_letter_issue_view,
        name="transfer_letter_issue",
    ),
    path("affiliations/", views_affiliations.affiliation_list, name="affiliations"),
    path("affiliations/<int:pk>/", views_affiliations.affiliation_detail, name="affiliation"),
    path(
        "affiliations/<int:pk>/contact/", views_affiliations.affiliation_contact, name="affiliation_contact"
    ),
    path("affiliations/<int:pk>/end/", views_affiliations.affiliation_close, name="affiliation_end"),
    path("<int:member_pk>/affiliation/new/", views_affiliations.affiliation_add, name="affiliation_add"),
    path("recruitment/<int:pk>/decide/", views_recruitment.approval_decide, name="approval_decide"),
    path("<int:pk>/recruitment/", views_recruitment.recruitment_steps, name="recruitment"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/<slug:step>/", views.member_step, name="step"),
]
