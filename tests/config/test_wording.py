"""Wrong or confusing words and places found by issue 14's first-week walk-through, kept fixed."""

import re

import pytest
from django.contrib.admin import site
from django.core.exceptions import ValidationError

from alliances.models import ProgramMilestone, ProjectMilestone
from config.admin_site import PlatformAdminSite
from events.forms import BookingForm
from reminders.models import Reminder
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _app_labels(html: str) -> list[str]:
    return re.findall(r'<div class="app-(\w+) module', html)


def test_admin_index_lists_the_registry_first_above_the_dashboard(client, superuser, regions):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()

    labels = _app_labels(html)
    assert labels[:3] == ["orgs", "branches", "members"]
    # the application list comes before the dashboard's long lists
    assert html.index('id="content-main"') < html.index('data-testid="coverage-dashboard"')


@pytest.mark.parametrize(
    ("user", "title", "not_title"),
    [
        ("street_staff", "Street staff workspace", "District staff workspace"),
        ("district_staff", "District staff workspace", "Street staff workspace"),
        ("superuser", "Platform administration", "District staff workspace"),
    ],
)
def test_admin_index_title_follows_role_and_scope(client, request, user, title, not_title):
    client.force_login(request.getfixturevalue(user))
    response = client.get("/admin/")

    assert response.context["title"] == title
    assert not_title not in response.content.decode()


def test_admin_site_workspace_title_street_staff_is_not_district(street_staff, district_staff):
    assert isinstance(site, PlatformAdminSite)
    assert site.workspace_title(street_staff) == "Street staff workspace"
    assert site.workspace_title(district_staff) == "District staff workspace"


def test_portal_sidebar_lists_the_coverage_dashboard_once(client, district_staff):
    client.force_login(district_staff)
    for url in ("/portal/", "/portal/dashboard/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        sidebar = response.content.decode().split('class="portal-sidebar"', 1)[1].split("</nav>", 1)[0]
        assert sidebar.count("Coverage dashboard") == 1, url


def test_booking_form_end_time_is_not_labelled_as_a_deadline():
    form = BookingForm()
    assert (str(form.fields["start"].label), str(form.fields["end"].label)) == ("starts at", "ends at")


def test_milestone_models_have_distinct_verbose_names():
    names = {
        str(ProgramMilestone._meta.verbose_name),
        str(ProjectMilestone._meta.verbose_name),
        str(ProgramMilestone._meta.verbose_name_plural),
        str(ProjectMilestone._meta.verbose_name_plural),
    }
    assert len(names) == 4


def test_reminder_stage_label_is_not_the_members_pipeline_stage():
    from members.models import Member

    reminder_label = str(Reminder._meta.get_field("stage").verbose_name)
    assert reminder_label == "reminder stage"
    assert reminder_label != str(Member._meta.get_field("stage").verbose_name)


def test_reminder_admin_filter_title_is_the_reminder_stage(client, superuser):
    client.force_login(superuser)
    html = client.get("/admin/reminders/reminder/").content.decode()
    assert "By reminder stage" in html or "reminder stage" in html


def test_booking_cancel_twice_says_it_once(regions):
    from events.services.bookings import booking_cancel, booking_request
    from tests.events.factories import make_center, make_room, next_slot

    room = make_room(make_center(regions.community_a1))
    starts, ends = next_slot()
    booking = booking_request(
        actor=SYSTEM, room=room, starts_at=starts, ends_at=ends, purpose="党课", attendees=10
    )
    booking_cancel(booking=booking, actor=SYSTEM)
    with pytest.raises(ValidationError) as error:
        booking_cancel(booking=booking, actor=SYSTEM)
    message = error.value.message_dict["status"][0]
    assert message == "This booking cannot be cancelled: its status is “Cancelled”."
