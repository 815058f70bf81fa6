"""A dissolution entered with the wrong date is corrected by staff (issue 12: "a history row can be edited by
staff with an audit entry"): the links and posts the dissolution ended move with it, each checked again; a row
that would run past the new date is refused, naming it; the history keeps who corrected it. Through the
service and the API's dissolve action (sent again for a dissolved party organization)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from branches.models import CommitteePost, CoverageLink, PartyOrganizationChange
from branches.services.coverage import coverage_link_create
from branches.services.party_organizations import (
    party_organization_correct_dissolution,
)
from stats.coverage.engine import coverage_figures
from tests.actors import SYSTEM
from tests.branches.factories import PartyOrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_correction_moves_what_the_dissolution_ended_and_the_past_figures_follow(
    dissolved, regions, street_staff
):
    po, link, post = dissolved["po"], dissolved["link"], dissolved["post"]
    covered = coverage_figures(region=regions.district, day=D(2021, 6, 1)).figures.org_covered
    party_organization_correct_dissolution(party_organization=po, on=D(2021, 1, 1), actor=street_staff)
    po.refresh_from_db()
    assert po.dissolved_on == D(2021, 1, 1)
    assert CoverageLink.objects.get(pk=link.pk).until == D(2021, 1, 1)
    assert CommitteePost.objects.get(pk=post.pk).until == D(2021, 1, 1)
    assert coverage_figures(region=regions.district, day=D(2021, 6, 1)).figures.org_covered == covered - 1
    dissolution = po.changes.get(action=PartyOrganizationChange.Action.DISSOLVED)
    assert dissolution.on == D(2021, 1, 1)
    correction = po.changes.filter(action=PartyOrganizationChange.Action.UPDATED).latest("pk")
    assert correction.details["dissolved_on"] == ["2022-01-01", "2021-01-01"]
    assert correction.recorded_by == street_staff


def test_correction_refused_naming_a_row_that_would_run_past_the_new_date(dissolved, street_staff):
    po, org = dissolved["po"], dissolved["org"]
    # the organization was later covered by another branch from 2022-01-01: a later dissolution date
    # would make the two links share days
    other = PartyOrganizationFactory(name="乙社工党支部", region=org.region, founded_on=D(2016, 1, 1))
    coverage_link_create(party_organization=other, organization=org, since=D(2022, 1, 1), actor=SYSTEM)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        party_organization_correct_dissolution(party_organization=po, on=D(2023, 1, 1), actor=street_staff)
    assert "乙社工党支部" in " ".join(caught.value.messages)
    po.refresh_from_db()
    assert po.dissolved_on == D(2022, 1, 1)  # nothing half-written
    assert CoverageLink.objects.get(pk=dissolved["link"].pk).until == D(2022, 1, 1)


def test_correction_refused_for_a_live_party_organization_and_to_a_secretary(
    regions, secretary, street_staff
):
    po = PartyOrganizationFactory(region=regions.street_a, founded_on=D(2016, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        party_organization_correct_dissolution(party_organization=po, on=D(2021, 1, 1), actor=street_staff)
    assert "is not dissolved" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        party_organization_correct_dissolution(party_organization=po, on=D(2021, 1, 1), actor=secretary)


def test_api_dissolve_sent_again_corrects_the_date(dissolved, street_staff, other_street_staff, secretary):
    po = dissolved["po"]
    url = f"/api/v1/party-organizations/{po.pk}/dissolve/"

    def post(user, body):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client.post(url, json.dumps(body), content_type="application/json")

    assert post(None, {"on": "2021-01-01"}).status_code in (401, 403)
    assert post(secretary, {"on": "2021-01-01"}).status_code in (403, 404)
    assert post(other_street_staff, {"on": "2021-01-01"}).status_code == 404
    bad = post(street_staff, {"on": "2015-01-01"})  # before the founding
    assert bad.status_code == 400 and "on" in bad.json()
    response = post(street_staff, {"on": "2021-01-01"})
    assert response.status_code == 200, response.content
    assert response.json()["dissolved_on"] == "2021-01-01"
