"""Admin: scope (404 outside), writes through the services with field-named refusals, rounds run by
district staff only, ranking and awards, constant query counts."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliances.models import Alliance, VentureApplication, VentureRound
from alliances.services.rounds import round_set_status
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory, make_round, submit
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
ADMIN = "/admin/alliances/"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_alliance_change_matrix(world, role_users):
    assert_role_matrix(
        role_users,
        f"{ADMIN}alliance/{world['alliance_a'].pk}/change/",
        {
            "superuser": 200,
            "district_staff": 200,
            "street_staff": 200,
            "other_street_staff": 404,
            "secretary": 302,
            "org_contact": 302,
            "anonymous": 302,
        },
    )


def test_admin_application_change_matrix(world, role_users):
    assert_role_matrix(
        role_users,
        f"{ADMIN}ventureapplication/{world['app_b'].pk}/change/",
        {"district_staff": 200, "street_staff": 404, "other_street_staff": 200, "org_contact": 302},
    )


def test_admin_alliance_changelist_scoped(world, street_staff):
    response = login(street_staff).get(f"{ADMIN}alliance/")
    assert {a.name for a in response.context["cl"].result_list} == {"甲联盟"}


def test_admin_alliance_add_lead_outside_scope_refused(world, street_staff):
    data = {
        "name": "新联盟",
        "kind": "public_charity",
        "other_kind": "",
        "lead_organization": world["org_b"].pk,  # street B
        "description": "",
        "is_public": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "programs-TOTAL_FORMS": "0",
        "programs-INITIAL_FORMS": "0",
        "pairings-TOTAL_FORMS": "0",
        "pairings-INITIAL_FORMS": "0",
    }
    response = login(street_staff).post(f"{ADMIN}alliance/add/", data)
    assert response.status_code == 200
    assert "lead_organization" in response.context["adminform"].form.errors
    assert not Alliance.objects.filter(name="新联盟").exists()
    data["lead_organization"] = world["org_a"].pk
    assert login(street_staff).post(f"{ADMIN}alliance/add/", data).status_code == 302
    alliance = Alliance.objects.get(name="新联盟")
    assert alliance.memberships.get().organization == world["org_a"]  # the lead joined


def test_admin_alliance_add_other_kind_needs_name(world, district_staff):
    data = {
        "name": "其他联盟",
        "kind": "other",
        "other_kind": "",
        "lead_organization": world["org_a"].pk,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "programs-TOTAL_FORMS": "0",
        "programs-INITIAL_FORMS": "0",
        "pairings-TOTAL_FORMS": "0",
        "pairings-INITIAL_FORMS": "0",
    }
    response = login(district_staff).post(f"{ADMIN}alliance/add/", data)
    assert response.status_code == 200
    assert "other kind" in str(response.context["adminform"].form.errors)


def _round_data(**overrides):
    today = timezone.localdate()
    data = {
        "name": "新一轮公益创投",
        "kind": "standard",
        "region": "",
        "description": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        "fund_pool": "300000",
        "max_projects_per_org": "3",
        "max_staff_cost_share": "0.5",
        "max_request_per_project": "",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "reviewer_links-TOTAL_FORMS": "0",
        "reviewer_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_round_add_district_staff_only(regions, district_staff, street_staff):
    assert login(street_staff).get(f"{ADMIN}ventureround/add/").status_code == 403
    response = login(district_staff).post(
        f"{ADMIN}ventureround/add/", _round_data(region=regions.district.pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    venture_round = VentureRound.objects.get(name="新一轮公益创投")
    assert venture_round.status == "draft" and venture_round.max_staff_cost_share == Decimal("0.5")
    assert venture_round.created_by == district_staff


def test_admin_round_street_staff_reads_only(world, street_staff):
    client = login(street_staff)
    assert client.get(f"{ADMIN}ventureround/").status_code == 200
    response = client.get(f"{ADMIN}ventureround/{world['open'].pk}/change/")
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_admin_round_status_skip_refused(world, district_staff):
    url = f"{ADMIN}ventureround/{world['draft'].pk}/change/"
    client = login(district_staff)
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("eligible_kinds", "eligible_registrations")
    }
    data.update(
        {
            "region": world["draft"].region_id,
            "opens_on": world["draft"].opens_on.isoformat(),
            "closes_on": world["draft"].closes_on.isoformat(),
            "status": "awarded",
            "max_request_per_project": "",
            "eligible_region": "",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
            "reviewer_links-TOTAL_FORMS": "0",
            "reviewer_links-INITIAL_FORMS": "0",
        }
    )
    data.pop("id", None)
    data.pop("created_by", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cannot become" in str(response.context["adminform"].form.errors)
    data["status"] = "open"
    assert client.post(url, data).status_code == 302
    assert VentureRound.objects.get(pk=world["draft"].pk).status == "open"


def test_admin_award_above_pool_shows_error_on_amount(regions, district_staff, world):
    venture_round = make_round(name="小额创投", fund_pool=Decimal("5000"), reviewers=[world["expert"]])
    application = submit(venture_round, world["org_a"], title="小项目", requested_amount=Decimal("6000"))
    round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    url = f"{ADMIN}ventureapplication/{application.pk}/change/"
    data = {
        "decision": "award",
        "awarded_amount": "6000",
        "decision_note": "",
        "budget_lines-TOTAL_FORMS": "0",
        "budget_lines-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    client = login(district_staff)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Fund pool" in " ".join(response.context["adminform"].form.errors["awarded_amount"])
    data["awarded_amount"] = "5000"
    assert client.post(url, data).status_code == 302
    assert VentureApplication.objects.get(pk=application.pk).awarded_amount == Decimal("5000")


def test_admin_application_changelist_street_staff_own_orgs(world, street_staff):
    response = login(street_staff).get(f"{ADMIN}ventureapplication/")
    assert {a.title for a in response.context["cl"].result_list} == {"甲助餐项目"}


@pytest.mark.parametrize("model", ["alliance", "ventureround", "ventureapplication", "program", "pairing"])
def test_admin_changelists_constant_queries(world, district_staff, regions, model):
    client = login(district_staff)
    with CaptureQueriesContext(connection) as before:
        client.get(f"{ADMIN}{model}/")
    for n in range(3):
        org = OrganizationFactory(region=regions.community_a2)
        AllianceFactory(name=f"扩展联盟{n}", lead_organization=org)
        venture_round = make_round(name=f"扩展创投{n}")
        submit(venture_round, org, title=f"扩展项目{n}")
    with CaptureQueriesContext(connection) as after:
        response = client.get(f"{ADMIN}{model}/")
    assert response.status_code == 200
    assert len(after) == len(before)


@pytest.mark.parametrize(
    "model",
    [
        "alliancemembership",
        "programmilestone",
        "programprogress",
        "pairingactivity",
        "gridpairing",
        "gridservicerecord",
        "projectmilestone",
        "finalevaluation",
    ],
)
def test_admin_other_pages_render(world, district_staff, model):
    client = login(district_staff)
    assert client.get(f"{ADMIN}{model}/").status_code == 200
    assert client.get(f"{ADMIN}{model}/add/").status_code == 200


def _change_data(client, url, **overrides):
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = value
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    data.update(overrides)
    return data


def test_admin_round_inlines_add_criterion_and_reviewer_by_username(world, district_staff):
    venture_round = world["draft"]
    url = f"{ADMIN}ventureround/{venture_round.pk}/change/"
    client = login(district_staff)
    data = _change_data(
        client,
        url,
        **{
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "社会效益",
            "criteria-0-max_score": "15",
            "criteria-0-position": "9",
            "reviewer_links-TOTAL_FORMS": "1",
            "reviewer_links-INITIAL_FORMS": "0",
            "reviewer_links-0-username": "nobody-here",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "nobody-here" in response.content.decode()  # the unknown username is named
    data["reviewer_links-0-username"] = "expert_reviewer"
    response = client.post(url, data)
    assert response.status_code == 302
    assert venture_round.criteria.filter(name="社会效益", max_score=15).exists()
    assert list(venture_round.reviewers.values_list("username", flat=True)) == ["expert_reviewer"]


def test_admin_open_round_rules_read_only_closing_date_movable(world, district_staff):
    venture_round = world["open"]
    url = f"{ADMIN}ventureround/{venture_round.pk}/change/"
    client = login(district_staff)
    form = client.get(url).context["adminform"].form
    assert "max_staff_cost_share" not in form.fields and "eligible_kinds" not in form.fields
    later = venture_round.closes_on + dt.timedelta(days=10)
    data = _change_data(client, url, closes_on=later.isoformat())
    data.update({"criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0"})
    data.update({"reviewer_links-TOTAL_FORMS": "0", "reviewer_links-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert VentureRound.objects.get(pk=venture_round.pk).closes_on == later
