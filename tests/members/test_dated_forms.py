"""Forms keep what they show (issue 12): the member add form saves every stage date and the employer
it displays; a back-dated registration of a full member keeps its whole pipeline."""

import datetime as dt

import pytest

from members.models import Member, StageChange
from tests.members.admin_forms import ADD, logged_in, member_add_data
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_member_admin_add_keeps_every_stage_date_and_employer(pos, district_staff, regions):
    # given: a full member's past, entered on the add form with every date it shows
    employer = OrganizationFactory(region=regions.community_a1)
    data = member_add_data(
        pos,
        stage="full",
        employer=employer.pk,
        applied_on="2016-03-01",
        activist_on="2016-09-01",
        candidate_on="2017-10-01",
        admitted_on="2018-01-15",
        full_on="2019-01-20",
    )
    # when
    response = logged_in(district_staff).post(ADD, data)
    # then: every date and the employer kept, the registration row dated by the current stage
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="赵六")
    assert (
        member.applied_on,
        member.activist_on,
        member.candidate_on,
        member.admitted_on,
        member.full_on,
        member.employer,
    ) == (D(2016, 3, 1), D(2016, 9, 1), D(2017, 10, 1), D(2018, 1, 15), D(2019, 1, 20), employer)
    assert StageChange.objects.get(member=member).on == D(2019, 1, 20)


def test_member_admin_add_dates_out_of_order_refused_on_the_field(pos, district_staff):
    data = member_add_data(pos, stage="activist", applied_on="2020-05-01", activist_on="2020-01-01")
    response = logged_in(district_staff).post(ADD, data)
    assert response.status_code == 200
    assert "activist_on" in response.context["adminform"].form.errors
    assert not Member.objects.exists()
