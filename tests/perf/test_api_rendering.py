"""The party-organization API's warnings built without a nested serializer per row: the same JSON,
and the list's query count does not grow with its rows."""

import json

import pytest
from django.test import Client
from django.utils import translation

from branches.api.serializers import RuleWarningSerializer
from branches.models import PartyOrganization
from branches.rules import warnings_for_many
from tests.members.factories import po_create
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
URL = "/api/v1/party-organizations/"


def _client(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_party_organization_warnings_are_the_serializers_json(pos, district_staff, language):
    # given the tree's nodes, whose branches (no members, no links, no secretary) carry warnings
    response = _client(district_staff, language).get(URL)
    assert response.status_code == 200
    rows = json.loads(response.content)["results"]
    nodes = {po.pk: po for po in PartyOrganization.objects.filter(pk__in=[row["id"] for row in rows])}
    with translation.override(language):
        expected = {
            pk: json.loads(json.dumps(RuleWarningSerializer(found, many=True).data))
            for pk, found in warnings_for_many(list(nodes.values())).items()
        }
    # then every row's warnings are what the nested serializer gave, in the user's language
    assert {row["id"]: row["warnings"] for row in rows} == expected
    assert any(row["warnings"] for row in rows)
    assert all(set(warning) == {"code", "message"} for row in rows for warning in row["warnings"])


def test_party_organization_list_queries_do_not_grow_with_rows(regions, pos, district_staff):
    client = _client(district_staff, "zh-hans")
    client.get(URL)
    few = page_queries(client, URL)
    for n in range(6):
        po_create(f"新建支部{n}", "branch", regions.community_a1, pos.committee)
    client.get(URL)
    assert page_queries(client, URL) == few
