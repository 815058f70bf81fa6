"""Portal pages: apply (every refusal shown), track, withdraw, milestone reports, grid records, reviews."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from alliances.models import GridServiceRecord, ProjectMilestone, VentureApplication
from alliances.services.milestones import project_milestone_add
from alliances.services.pairings import grid_pairing_create
from alliances.services.rounds import reviewer_assign, round_set_status
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.alliances.factories import make_round, submit
from tests.branches.factories import CoverageLinkFactory, PartyOrganizationFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def apply_data(org, **overrides):
    data = {
        "organization": org.pk,
        "title": "社区助餐",
        "summary": "为老人助餐",
        "party_building_element": "党员志愿者带头",
        "beneficiaries_planned": "200",
        "total_budget": "10000",
        "requested_amount": "8000",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
        "lines-0-category": "staff",
        "lines-0-amount": "4000",
        "lines-1-category": "activities",
        "lines-1-amount": "6000",
    }
    data.update(overrides)
    return data


def test_portal_application_detail_role_matrix(world, role_users):
    # org_a's application: its contact, district staff and street A staff see it
    url = f"/portal/alliances/applications/{world['app_a'].pk}/"
    assert_role_matrix(
        role_users,
        url,
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "secretary": 404,
            "org_contact": 200,
            "anonymous": 302,
        },
    )


def test_portal_application_of_other_org_is_404_for_contact(world, org_contact):
    client = login(org_contact)
    assert client.get(f"/portal/alliances/applications/{world['app_b'].pk}/").status_code == 404
    assert client.post(f"/portal/alliances/applications/{world['app_open'].pk}/withdraw/").status_code == 404
    listed = client.get("/portal/alliances/applications/").content.decode()
    assert "甲助餐项目" in listed and "乙陪诊项目" not in listed


def test_portal_secretary_sees_covered_org_applications(world, secretary):
    branch = PartyOrganizationFactory(name="乙党支部")
    CoverageLinkFactory(party_organization=branch, organization=world["org_b"])
    secretary.party_organization = branch
    secretary.save()
    client = login(secretary)
    assert client.get(f"/portal/alliances/applications/{world['app_b'].pk}/").status_code == 200
    assert client.get(f"/portal/alliances/applications/{world['app_a'].pk}/").status_code == 404


def test_portal_round_draft_is_404(world, org_contact):
    assert login(org_contact).get(f"/portal/alliances/rounds/{world['draft'].pk}/").status_code == 404


def test_portal_round_detail_shows_eligibility(world, org_contact):
    response = login(org_contact).get(f"/portal/alliances/rounds/{world['open'].pk}/")
    assert response.status_code == 200
    assert "may apply" in response.content.decode()


def test_portal_apply_valid_creates_and_redirects(world, org_contact):
    client = login(org_contact)
    response = client.post(f"/portal/alliances/rounds/{world['open'].pk}/apply/", apply_data(world["org_a"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    application = VentureApplication.objects.get(title="社区助餐")
    assert application.organization == world["org_a"] and application.submitted_by == org_contact
    assert application.budget_lines.count() == 2


def test_portal_apply_breaches_shown_nothing_saved(world, org_contact):
    client = login(org_contact)
    data = apply_data(
        world["org_a"],
        party_building_element="",
        total_budget="12000",
        **{"lines-0-amount": "7000", "lines-1-amount": "3000"},
    )
    response = client.post(f"/portal/alliances/rounds/{world['open'].pk}/apply/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Red round" in text  # red round without party-building element
    assert "¥12,000.00" in text and "¥10,000.00" in text  # total ≠ sum of lines
    assert "Staff costs" in text and "58.3 %" in text  # 7000 of 12000
    assert not VentureApplication.objects.filter(title="社区助餐").exists()


def test_portal_apply_for_other_org_refused(world, org_contact):
    client = login(org_contact)
    response = client.post(f"/portal/alliances/rounds/{world['open'].pk}/apply/", apply_data(world["org_b"]))
    assert response.status_code == 400
    assert "Choose an organization you act for" in response.content.decode()


def test_portal_milestone_report_filed(world, org_contact):
    milestone = project_milestone_add(
        application=world["app_a"], title="中期报告", due_on=dt.date(2030, 1, 1), actor=SYSTEM
    )
    client = login(org_contact)
    url = f"/portal/alliances/applications/{world['app_a'].pk}/milestones/{milestone.pk}/report/"
    response = client.post(url, {"report": "已完成助餐服务300人次"})
    assert response.status_code == 302
    milestone = ProjectMilestone.objects.get(pk=milestone.pk)
    assert milestone.report == "已完成助餐服务300人次" and milestone.reported_by == org_contact


def test_portal_grid_record_and_duplicate_month_refused(world, org_contact, regions):
    grid = grid_pairing_create(
        organization=world["org_a"],
        community=regions.community_a1,
        grid_name="和平社区第1网格",
        since=dt.date(2024, 1, 1),
        actor=SYSTEM,
    )
    client = login(org_contact)
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    url = f"/portal/alliances/grids/{grid.pk}/record/"
    assert client.post(url, {"month": month, "services_count": "12"}).status_code == 302
    again = client.post(url, {"month": month, "services_count": "3"})
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    assert GridServiceRecord.objects.get(grid_pairing=grid).services_count == 12


def test_portal_grid_of_other_org_is_404(world, org_contact, regions):
    grid = grid_pairing_create(
        organization=world["org_b"],
        community=regions.community_b1,
        grid_name="朝阳社区第2网格",
        since=dt.date(2024, 1, 1),
        actor=SYSTEM,
    )
    response = login(org_contact).post(f"/portal/alliances/grids/{grid.pk}/record/", {"month": "2024-05"})
    assert response.status_code == 404


def test_portal_review_own_org_shows_conflict_message(world, regions, org_contact):
    venture_round = make_round(name="评审中创投")
    app_own = submit(venture_round, world["org_a"], title="本组织项目")
    app_other = submit(venture_round, world["org_b"], title="他组织项目")
    reviewer_assign(venture_round=venture_round, reviewer=org_contact, actor=SYSTEM)
    round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    client = login(org_contact)
    criteria = list(venture_round.criteria.all())
    scores = {f"score_{c.pk}": "10" for c in criteria}
    own = client.post(f"/portal/alliances/reviews/{app_own.pk}/", scores)
    assert own.status_code == 400
    assert "your own organization" in own.content.decode()
    assert not app_own.reviews.exists()
    out_of_range = client.post(
        f"/portal/alliances/reviews/{app_other.pk}/", {**scores, f"score_{criteria[0].pk}": "99"}
    )
    assert out_of_range.status_code == 400 and "out of range" in out_of_range.content.decode()
    assert client.post(f"/portal/alliances/reviews/{app_other.pk}/", scores).status_code == 302
    assert app_other.reviews.get().reviewer == org_contact


def test_portal_review_not_assigned_is_404(world, org_contact):
    assert login(org_contact).get(f"/portal/alliances/reviews/{world['app_b'].pk}/").status_code == 404


def test_portal_pages_render_for_contact(world, org_contact):
    client = login(org_contact)
    for url in (
        "/portal/alliances/",
        f"/portal/alliances/{world['alliance_a'].pk}/",
        f"/portal/alliances/rounds/{world['open'].pk}/apply/",
        "/portal/alliances/grids/",
        "/portal/alliances/reviews/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/portal/alliances/{world['alliance_b'].pk}/").status_code == 404  # not a member


def test_portal_application_list_constant_queries(world, org_contact, regions):
    client = login(org_contact)
    with CaptureQueriesContext(connection) as before:
        client.get("/portal/alliances/applications/")
    for n in range(3):
        venture_round = make_round(name=f"更多创投{n}")
        submit(venture_round, world["org_a"], title=f"更多项目{n}", requested_amount=Decimal("100"))
    with CaptureQueriesContext(connection) as after:
        response = client.get("/portal/alliances/applications/")
    assert response.status_code == 200 and "更多项目2" in response.content.decode()
    assert len(after) == len(before)


def test_portal_contact_without_org_sees_empty_overview(db):
    from tests.accounts.factories import UserFactory

    user = UserFactory(username="lonely", role=Role.ORG_CONTACT)
    assert login(user).get("/portal/alliances/").status_code == 200
    OrganizationFactory()  # nothing linked: still nothing listed
    assert login(user).get("/portal/alliances/applications/").context["applications"].count() == 0


def test_portal_sidebar_links_alliances_for_contact_and_secretary(
    world, org_contact, secretary, district_staff
):
    assert 'href="/portal/alliances/"' in login(org_contact).get("/portal/").content.decode()
    branch = PartyOrganizationFactory(name="某党支部")
    secretary.party_organization = branch
    secretary.save()
    assert 'href="/portal/alliances/"' in login(secretary).get("/portal/").content.decode()
    assert 'href="/portal/alliances/"' not in login(district_staff).get("/portal/").content.decode()


def test_reviewer_assigned_gets_inbox_link(world):
    from accounts.models import Notification

    notification = Notification.objects.get(recipient=world["expert"])
    assert notification.url == "/portal/alliances/reviews/"


def test_portal_review_list_flags_own_org_constant_queries(world, org_contact):
    venture_round = make_round(name="评审列表创投")
    reviewer_assign(venture_round=venture_round, reviewer=org_contact, actor=SYSTEM)
    submit(venture_round, world["org_a"], title="本组织项目")
    submit(venture_round, world["org_b"], title="他组织项目")
    round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    client = login(org_contact)
    with CaptureQueriesContext(connection) as before:
        response = client.get("/portal/alliances/reviews/")
    flags = {a.title: a.conflict for g in response.context["groups"] for a in g["applications"]}
    assert flags == {"本组织项目": True, "他组织项目": False}
    second = make_round(name="第二个评审创投")
    reviewer_assign(venture_round=second, reviewer=org_contact, actor=SYSTEM)
    for n in range(3):
        submit(second, OrganizationFactory(region=world["org_b"].region), title=f"更多{n}")
    round_set_status(venture_round=second, status="reviewing", actor=SYSTEM)
    with CaptureQueriesContext(connection) as after:
        client.get("/portal/alliances/reviews/")
    assert len(after) == len(before)


def test_portal_secretary_applies_for_covered_org_only(world, secretary):
    branch = PartyOrganizationFactory(name="甲社工党支部")
    CoverageLinkFactory(party_organization=branch, organization=world["org_a"])
    secretary.party_organization = branch
    secretary.save()
    client = login(secretary)
    url = f"/portal/alliances/rounds/{world['open'].pk}/apply/"
    assert client.post(url, apply_data(world["org_b"], title="越权")).status_code == 400
    assert client.post(url, apply_data(world["org_a"], title="书记代报")).status_code == 302
    assert VentureApplication.objects.get(title="书记代报").submitted_by == secretary
