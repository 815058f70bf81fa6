import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from branches.models import CommitteePost, PartyOrganization
from branches.services.posts import committee_post_create
from members.models import Member
from tests.access import assert_role_matrix
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.branches.factories import (
    CoverageLinkFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
)
from tests.queries import page_queries

Kind = PartyOrganization.Kind
Mode = PartyOrganization.BuildingMode
HOME = reverse("branches_portal:home")
pytestmark = pytest.mark.django_db


def detail_url(po):
    return reverse("branches_portal:detail", args=[po.pk])


@pytest.fixture
def branch(regions, secretary):
    """A joint branch linked to the `secretary` fixture user, covering two organizations."""
    po = PartyOrganizationFactory(
        name="示范联合党支部",
        kind=Kind.JOINT_BRANCH,
        building_mode=Mode.JOINT,
        founded_on=dt.date(2020, 5, 1),
    )
    CoverageLinkFactory(
        party_organization=po,
        organization=OrganizationFactory(name="阳光社工服务中心"),
        since=dt.date(2020, 6, 1),
    )
    CoverageLinkFactory(
        party_organization=po,
        organization=OrganizationFactory(name="夕阳红养老服务社"),
        since=dt.date(2020, 6, 1),
    )
    secretary.party_organization = po
    secretary.save()
    return po


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_portal_home_shows_own_branch(branch, secretary):
    holder = MemberFactory(party_organization=branch, name="张丽华")
    committee_post_create(
        party_organization=branch,
        member=holder,
        post="secretary",
        since=dt.date(2023, 1, 1),
        actor=SYSTEM,
    )
    response = as_user(secretary).get(HOME)
    body = response.content.decode()
    assert response.status_code == 200
    assert "示范联合党支部" in body
    assert "张丽华" in body  # committee post
    assert "阳光社工服务中心" in body and "夕阳红养老服务社" in body  # covered organizations
    assert "2023-05-01" in body or "2023年5月1日" in body  # election due (3-year term)
    assert 'data-code="too_few_full_members"' in body  # rule warnings
    assert 'data-code="no_secretary"' not in body


def test_portal_branch_role_matrix_other_secretaries_404(branch, role_users, regions):
    # given a second secretary with their own branch
    other = UserFactory(
        role=Role.SECRETARY, username="secretary2", party_organization=PartyOrganizationFactory()
    )
    role_users = {**role_users, "other_secretary": other}
    # then only the branch's own secretary (and staff in scope) reach its page
    assert_role_matrix(
        role_users,
        detail_url(branch),
        {
            "secretary": 200,
            "other_secretary": 404,
            "org_contact": 404,
            "superuser": 200,
            "district_staff": 200,
            "anonymous": 302,
        },
    )
    assert_role_matrix(role_users, HOME, {"secretary": 200, "other_secretary": 200, "org_contact": 404})


def test_portal_committee_secretary_sees_branches_below(regions, secretary):
    committee = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="示范党总支")
    below = PartyOrganizationFactory(parent=committee, name="下属支部")
    secretary.party_organization = committee
    secretary.save()
    client = as_user(secretary)
    assert "下属支部" in client.get(HOME).content.decode()
    assert client.get(detail_url(below)).status_code == 200
    assert client.get(detail_url(PartyOrganizationFactory())).status_code == 404


def test_portal_post_add_records_post(branch, secretary):
    member = MemberFactory(party_organization=branch)
    response = as_user(secretary).post(
        reverse("branches_portal:post_add", args=[branch.pk]),
        {"member": member.pk, "post": "secretary", "since": "2024-02-01"},
    )
    assert response.status_code == 302
    post = CommitteePost.objects.get(party_organization=branch)
    assert (post.member, post.post, post.since) == (member, "secretary", dt.date(2024, 2, 1))


def test_portal_post_add_second_secretary_refused_on_field(branch, secretary):
    first = MemberFactory(party_organization=branch, name="王芳")
    committee_post_create(
        party_organization=branch,
        member=first,
        post="secretary",
        since=dt.date(2023, 1, 1),
        actor=SYSTEM,
    )
    second = MemberFactory(party_organization=branch)
    response = as_user(secretary).post(
        reverse("branches_portal:post_add", args=[branch.pk]),
        {"member": second.pk, "post": "secretary", "since": "2024-02-01"},
    )
    assert response.status_code == 400
    assert "王芳" in str(response.context["post_form"].errors["post"])
    assert branch.posts.count() == 1


def test_portal_post_add_probationary_member_not_a_choice(branch, secretary):
    member = MemberFactory(party_organization=branch, stage=Member.Stage.PROBATIONARY)
    response = as_user(secretary).post(
        reverse("branches_portal:post_add", args=[branch.pk]),
        {"member": member.pk, "post": "member", "since": "2024-02-01"},
    )
    assert response.status_code == 400
    assert "member" in response.context["post_form"].errors
    assert not CommitteePost.objects.exists()


def test_portal_post_add_other_branch_404(branch, regions):
    other_po = PartyOrganizationFactory()
    other_secretary = UserFactory(role=Role.SECRETARY, username="secretary2", party_organization=other_po)
    member = MemberFactory(party_organization=branch)
    response = as_user(other_secretary).post(
        reverse("branches_portal:post_add", args=[branch.pk]),
        {"member": member.pk, "post": "member", "since": "2024-02-01"},
    )
    assert response.status_code == 404
    assert not CommitteePost.objects.exists()


def test_portal_post_end(branch, secretary):
    member = MemberFactory(party_organization=branch)
    post = committee_post_create(
        party_organization=branch,
        member=member,
        post="member",
        since=dt.date(2023, 1, 1),
        actor=SYSTEM,
    )
    response = as_user(secretary).post(
        reverse("branches_portal:post_end", args=[branch.pk, post.pk]), {"until": "2024-01-01"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.until == dt.date(2024, 1, 1)


def test_portal_post_end_before_start_says_why(branch, secretary):
    member = MemberFactory(party_organization=branch)
    post = committee_post_create(
        party_organization=branch,
        member=member,
        post="member",
        since=dt.date(2023, 1, 1),
        actor=SYSTEM,
    )
    response = as_user(secretary).post(
        reverse("branches_portal:post_end", args=[branch.pk, post.pk]), {"until": "2022-01-01"}, follow=True
    )
    assert "start date" in response.content.decode() or "开始" in response.content.decode()
    post.refresh_from_db()
    assert post.until is None


def test_portal_page_query_count_constant(branch, secretary):
    client = as_user(secretary)
    few = page_queries(client, HOME)
    for i in range(6):
        member = MemberFactory(party_organization=branch)
        committee_post_create(
            party_organization=branch,
            member=member,
            post="member",
            since=dt.date(2023, 1, 1),
            actor=SYSTEM,
        )
        CoverageLinkFactory(party_organization=branch, since=dt.date(2021, 1, 1))
        PartyOrganizationFactory(name=f"其他支部{i}")
    assert page_queries(client, HOME) == few


def test_portal_committee_children_shown_a_page_at_a_time_by_key(regions, secretary, monkeypatch):
    # given a general branch with five branches under it, shown two at a time
    monkeypatch.setattr("branches.selectors.CHILDREN_PER_PAGE", 2)
    committee = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="示范党总支")
    names = [f"下属支部{i}" for i in range(5)]
    for name in names:
        PartyOrganizationFactory(parent=committee, name=name)
    secretary.party_organization = committee
    secretary.save()
    client = as_user(secretary)
    # when the secretary follows the "More…" links from the first page
    seen: list[list[str]] = []
    url: str | None = HOME
    queries = set()
    while url:
        queries.add(page_queries(client, url))
        response = client.get(url)
        page = response.context["page"]
        seen.append([child.name for child in page.children])
        html = response.content.decode()
        url = f"{HOME}?children_after={page.children_after}" if page.children_after is not None else None
        assert ("More…" in html) == (url is not None)
    # then every child appears once, in tree order, two a page, at the same query count each page
    assert seen == [names[0:2], names[2:4], names[4:5]]
    assert len(queries) == 1
