"""Public pages: alliances with members, programs and pairings; results of published rounds only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.models import VentureRound
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_public_alliance_list_shows_members_programs_pairings(client, world):
    response = client.get("/alliances/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲联盟" in text and "乙联盟" in text
    assert "乙春晖养老服务中心" in text  # a member
    assert "春芽人才发展基金" in text and "内部项目" not in text  # public programs only
    assert "示范区人民医院" in text  # a pairing
    assert "往年公益创投" in text and "今年红色创投" not in text and "草稿创投" not in text


def test_public_alliance_list_hides_private_alliance(client, world):
    AllianceFactory(name="内部联盟", is_public=False)
    assert "内部联盟" not in client.get("/alliances/").content.decode()


def test_public_alliance_detail_private_is_404(client, world):
    hidden = AllianceFactory(name="内部联盟", is_public=False)
    assert client.get(f"/alliances/{hidden.pk}/").status_code == 404
    assert client.get(f"/alliances/{world['alliance_a'].pk}/").status_code == 200


def test_public_round_results_published_shows_awards_only(client, world):
    response = client.get(f"/alliances/rounds/{world['published'].pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲助餐项目" in text and "7,000.00" in text
    assert "乙陪诊项目" not in text  # not awarded
    # never reviewers, per-reviewer scores or phones
    assert "评审专家" not in text and "expert_reviewer" not in text
    assert "13912345678" not in text


@pytest.mark.parametrize("key", ["open", "draft"])
def test_public_round_results_unpublished_is_404(client, world, key):
    assert client.get(f"/alliances/rounds/{world[key].pk}/").status_code == 404


def test_public_round_results_awarded_not_yet_published_is_404(client, world):
    VentureRound.objects.filter(pk=world["published"].pk).update(status="closed")
    assert client.get(f"/alliances/rounds/{world['published'].pk}/").status_code == 404


def test_public_alliance_list_constant_queries(client, world, regions):
    with CaptureQueriesContext(connection) as before:
        client.get("/alliances/")
    for n in range(4):
        extra = AllianceFactory(
            name=f"加盟{n}", lead_organization=OrganizationFactory(region=regions.community_a2)
        )
        from alliances.services.alliances import membership_add

        assert extra.founded_on is not None
        membership_add(alliance=extra, organization=world["org_b"], joined_on=extra.founded_on, actor=SYSTEM)
    with CaptureQueriesContext(connection) as after:
        response = client.get("/alliances/")
    assert response.status_code == 200
    assert len(after) == len(before)


def test_public_home_shows_alliances_block(client, world):
    text = client.get("/").content.decode()
    assert "甲联盟" in text and "往年公益创投" in text
