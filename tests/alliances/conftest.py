"""A small world for scope tests: two streets' organizations, their alliances, and two rounds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from alliances.models import VentureRound
from alliances.services.alliances import membership_add
from alliances.services.awards import application_award
from alliances.services.rounds import round_set_status
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.alliances.factories import AllianceFactory, PairingFactory, ProgramFactory, make_round, submit
from tests.orgs.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in the source language (pages and services alike)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(regions, org_contact):
    """org_a (street A, the org contact's), org_b (street B); alliance A led by org_a with org_b as a
    member, alliance B led by org_b; a published round (org_a awarded, org_b not) and an open round."""
    org_a = OrganizationFactory(
        region=regions.community_a1, name="甲阳光社工服务中心", contact_phone="13912345678"
    )
    org_b = OrganizationFactory(region=regions.community_b1, name="乙春晖养老服务中心")
    org_contact.organization = org_a
    org_contact.save()
    alliance_a = AllianceFactory(name="甲联盟", lead_organization=org_a)
    membership_add(alliance=alliance_a, organization=org_b, joined_on=dt.date(2019, 1, 1), actor=SYSTEM)
    alliance_b = AllianceFactory(name="乙联盟", lead_organization=org_b, kind="elderly_service")
    ProgramFactory(alliance=alliance_a, name="春芽人才发展基金")
    ProgramFactory(alliance=alliance_a, name="内部项目", is_public=False)
    PairingFactory(alliance=alliance_a, organization=None, partner_name="示范区人民医院")
    expert = UserFactory(username="expert_reviewer", last_name="评", first_name="审专家")
    published = make_round(name="往年公益创投", reviewers=[expert])
    app_a = submit(published, org_a, title="甲助餐项目")
    app_b = submit(published, org_b, title="乙陪诊项目")
    round_set_status(venture_round=published, status="reviewing", actor=SYSTEM)
    from alliances.services.reviews import review_submit

    criteria = list(published.criteria.all())
    review_submit(application=app_a, reviewer=expert, scores={c: c.max_score - 1 for c in criteria})
    application_award(application=app_a, amount=Decimal("7000"), actor=SYSTEM)
    for status in ("awarded", "closed", "published"):
        published = round_set_status(venture_round=published, status=status, actor=SYSTEM)
    open_round = make_round(name="今年红色创投", kind=VentureRound.Kind.RED)
    app_open = submit(open_round, org_b, title="乙红色项目")
    draft = make_round(name="草稿创投", status=VentureRound.Status.DRAFT)
    return {
        "org_a": org_a,
        "org_b": org_b,
        "alliance_a": alliance_a,
        "alliance_b": alliance_b,
        "published": published,
        "open": open_round,
        "draft": draft,
        "app_a": app_a,
        "app_b": app_b,
        "app_open": app_open,
        "expert": expert,
    }
