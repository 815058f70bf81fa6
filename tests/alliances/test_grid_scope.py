"""Finding 10 of issue 13: a grid pairing's community must lie inside the actor's scope too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from alliances.models import GridPairing
from alliances.services.pairings import grid_pairing_create
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_grid_pairing_create_other_streets_community_refused_on_field(regions, street_staff):
    own_org = OrganizationFactory(region=regions.community_a1)
    with pytest.raises(ValidationError) as caught:
        grid_pairing_create(
            organization=own_org,
            community=regions.community_b1,  # street B's community
            grid_name="越界网格",
            since=dt.date(2024, 1, 1),
            actor=street_staff,
        )
    assert "community" in caught.value.message_dict
    assert not GridPairing.objects.exists()


def test_grid_pairing_create_own_community_allowed(regions, street_staff):
    own_org = OrganizationFactory(region=regions.community_a1)
    grid = grid_pairing_create(
        organization=own_org,
        community=regions.community_a2,
        grid_name="本街网格",
        since=dt.date(2024, 1, 1),
        actor=street_staff,
    )
    assert grid.community == regions.community_a2


def test_grid_pairing_admin_other_streets_community_is_field_error(regions, street_staff):
    # the attack of the finding, through the admin
    own_org = OrganizationFactory(region=regions.community_a1)
    client = Client()
    client.force_login(street_staff)
    response = client.post(
        reverse("admin:alliances_gridpairing_add"),
        {
            "organization": own_org.pk,
            "community": regions.community_b1.pk,
            "grid_name": "越界网格",
            "since": "2024-01-01",
            "services_planned": "",
            "service_records-TOTAL_FORMS": "0",
            "service_records-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "community" in response.context["adminform"].form.errors
    assert not GridPairing.objects.exists()
