from django.urls import path

from events.views import (
    portal_appraisals,
    portal_compliance,
    portal_events,
    portal_points,
    portal_venues,
    signup,
)

app_name = "events_portal"
urlpatterns = [
    path("", portal_events.event_list, name="list"),
    path("new/", portal_events.event_create, name="create"),
    path("<int:pk>/", portal_events.event_detail, name="detail"),
    path("<int:pk>/edit/", portal_events.event_edit, name="edit"),
    path("<int:pk>/cancel/", portal_events.event_cancel, name="cancel"),
    path("<int:pk>/held/", portal_events.event_held, name="held"),
    path("<int:pk>/attendance/", portal_events.event_attendance, name="attendance"),
    path("<int:pk>/photos/", portal_events.event_photo, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", portal_events.event_photo_remove, name="photo_delete"),
    path("<int:pk>/qr.svg", portal_events.event_qr, name="qr"),
    path("<int:pk>/volunteers/", portal_events.event_add_volunteer, name="add_volunteer"),
    path("<int:pk>/hours/", portal_events.event_hours, name="hours"),
    path("<int:pk>/signups/", signup.organizer_signups, name="signups"),
    path("compliance/", portal_compliance.compliance, name="compliance"),
    path("appraisals/", portal_appraisals.appraisal_list, name="appraisals"),
    path("appraisals/open/", portal_appraisals.appraisal_open_view, name="appraisal_open"),
    path("appraisals/stats/", portal_appraisals.appraisal_stats, name="appraisal_stats"),
    path("appraisals/<int:pk>/", portal_appraisals.appraisal_detail, name="appraisal"),
    path("appraisals/results/<int:pk>/", portal_appraisals.result_record, name="appraisal_result"),
    path(
        "appraisals/results/<int:pk>/follow-up/",
        portal_appraisals.follow_up_record,
        name="appraisal_follow_up",
    ),
    path("rooms/", portal_venues.room_list, name="rooms"),
    path("rooms/<int:pk>/", portal_venues.room_detail, name="room"),
    path("bookings/", portal_venues.booking_list, name="bookings"),
    path("bookings/<int:pk>/cancel/", portal_venues.booking_cancel, name="booking_cancel"),
    path(
        "bookings/<int:pk>/<str:decision>/",
        portal_venues.booking_decide,
        name="booking_decide",
    ),
    path("volunteers/", portal_points.volunteer_list, name="volunteers"),
    path("volunteers/report/", portal_points.points_report, name="points_report"),
    path("volunteers/hours.csv", portal_points.hours_csv, name="hours_csv"),
    path("volunteers/alliance-hours.csv", portal_points.alliance_hours_csv, name="alliance_hours_csv"),
    path("volunteers/<int:pk>/", portal_points.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/redeem/", portal_points.volunteer_redeem, name="redeem"),
    path("volunteers/<int:pk>/correct/", portal_points.volunteer_correct, name="correct"),
]
