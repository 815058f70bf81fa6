"""The dues pages, mounted at /portal/dues/."""

from django.urls import path

from dues import views

app_name = "dues_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("generate/", views.roll_generate, name="generate"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll"),
    path("rolls/<int:pk>/report.xlsx", views.roll_report, name="roll_report"),
    path("rolls/<int:pk>/sheet.xlsx", views.roll_sheet, name="roll_sheet"),
    path("lines/<int:pk>/pay/", views.line_pay, name="pay"),
    path("entries/<int:pk>/correct/", views.entry_correct, name="correct"),
    path("import/", views.payments_import, name="import"),
    path("arrears/", views.arrears_view, name="arrears"),
    path("members/<int:pk>/", views.member_dues, name="member"),
    path("report/", views.region_report, name="region_report"),
]
