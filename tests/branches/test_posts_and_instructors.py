import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from branches.models import CommitteePost, InstructorAssignment
from branches.querysets import active_on_q
from branches.services.instructors import (
    instructor_assign,
    instructor_assignment_end,
    instructor_set_active,
    instructor_update,
)
from branches.services.posts import committee_post_create, committee_post_end
from members.models import Member
from orgs.models import Organization
from tests.actors import SYSTEM
from tests.branches.factories import (
    InstructorFactory,
    MemberFactory,
    OrganizationFactory,
    PartyOrganizationFactory,
)

D = dt.date
Post = CommitteePost.Post
pytestmark = pytest.mark.django_db


def test_committee_post_create_records_secretary(regions):
    member = MemberFactory()
    post = committee_post_create(
        party_organization=member.party_organization,
        member=member,
        post=Post.SECRETARY,
        since=D(2023, 1, 1),
        actor=SYSTEM,
    )
    assert (post.member, post.post, post.until) == (member, "secretary", None)


def test_committee_post_create_second_secretary_refused(regions):
    first = MemberFactory(name="王芳")
    po = first.party_organization
    committee_post_create(
        party_organization=po, member=first, post=Post.SECRETARY, since=D(2023, 1, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as exc:
        committee_post_create(
            party_organization=po,
            member=MemberFactory(party_organization=po),
            post=Post.SECRETARY,
            since=D(2023, 2, 1),
            actor=SYSTEM,
        )
    assert "王芳" in exc.value.message_dict["post"][0]
    assert po.posts.count() == 1


def test_committee_post_create_after_secretary_ended_allowed(regions):
    first = MemberFactory()
    po = first.party_organization
    post = committee_post_create(
        party_organization=po,
        member=first,
        post=Post.SECRETARY,
        since=D(2020, 1, 1),
        actor=SYSTEM,
    )
    committee_post_end(post=post, until=D(2023, 1, 1), actor=SYSTEM)
    successor = MemberFactory(party_organization=po)
    committee_post_create(
        party_organization=po, member=successor, post=Post.SECRETARY, since=D(2023, 1, 1), actor=SYSTEM
    )
    assert po.posts.filter(until__isnull=True).get().member == successor


def test_committee_post_create_member_of_other_branch_refused(regions):
    outsider = MemberFactory()
    po = PartyOrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        committee_post_create(
            party_organization=po, member=outsider, post=Post.MEMBER, since=D(2023, 1, 1), actor=SYSTEM
        )
    assert "member" in exc.value.message_dict


def test_committee_post_create_probationary_member_refused(regions):
    member = MemberFactory(stage=Member.Stage.PROBATIONARY)
    with pytest.raises(ValidationError) as exc:
        committee_post_create(
            party_organization=member.party_organization,
            member=member,
            post=Post.DEPUTY_SECRETARY,
            since=D(2023, 1, 1),
            actor=SYSTEM,
        )
    assert "full members" in exc.value.message_dict["member"][0]


def test_committee_post_create_by_other_secretary_refused(regions, secretary):
    own = PartyOrganizationFactory()
    secretary.party_organization = own
    secretary.save()
    member = MemberFactory()  # of another branch
    with pytest.raises(ValidationError):
        committee_post_create(
            party_organization=member.party_organization,
            member=member,
            post=Post.MEMBER,
            since=D(2023, 1, 1),
            actor=secretary,
        )


def test_committee_post_create_by_own_secretary_allowed(regions, secretary):
    member = MemberFactory()
    secretary.party_organization = member.party_organization
    secretary.save()
    post = committee_post_create(
        party_organization=member.party_organization,
        member=member,
        post=Post.MEMBER,
        since=D(2023, 1, 1),
        actor=secretary,
    )
    assert post.pk


def test_committee_post_end_before_start_refused(regions):
    member = MemberFactory()
    post = committee_post_create(
        party_organization=member.party_organization,
        member=member,
        post=Post.MEMBER,
        since=D(2023, 1, 1),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError) as exc:
        committee_post_end(post=post, until=D(2022, 1, 1), actor=SYSTEM)
    assert "until" in exc.value.message_dict


def test_instructor_assign_and_end_with_dates(regions):
    instructor = InstructorFactory()
    org = OrganizationFactory()
    assignment = instructor_assign(instructor=instructor, organization=org, since=D(2022, 3, 1), actor=SYSTEM)
    in_force = InstructorAssignment.objects.filter
    assert in_force(active_on_q(D(2022, 3, 1)), pk=assignment.pk).exists()
    instructor_assignment_end(assignment=assignment, until=D(2023, 3, 1), actor=SYSTEM)
    assert not in_force(active_on_q(D(2023, 3, 1))).exists()
    assert in_force(active_on_q(D(2023, 2, 28))).exists()


def test_instructor_assign_two_instructors_one_org_allowed(regions):
    # 双派: the industry department and the street each send one
    org = OrganizationFactory()
    instructor_assign(
        instructor=InstructorFactory(dispatched_by="industry"),
        organization=org,
        since=D(2022, 1, 1),
        actor=SYSTEM,
    )
    instructor_assign(
        instructor=InstructorFactory(dispatched_by="street"),
        organization=org,
        since=D(2022, 1, 1),
        actor=SYSTEM,
    )
    assert org.instructor_assignments.count() == 2


def test_instructor_assign_same_pair_twice_refused(regions):
    instructor, org = InstructorFactory(), OrganizationFactory()
    instructor_assign(instructor=instructor, organization=org, since=D(2022, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        instructor_assign(instructor=instructor, organization=org, since=D(2022, 6, 1), actor=SYSTEM)
    assert "already assigned" in exc.value.message_dict["organization"][0]


def test_instructor_assign_inactive_org_refused(regions):
    org = OrganizationFactory(status=Organization.Status.DEREGISTERED, status_changed_on=D(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        instructor_assign(instructor=InstructorFactory(), organization=org, since=D(2022, 1, 1), actor=SYSTEM)
    assert "organization" in exc.value.message_dict


def test_instructor_set_inactive_with_open_assignment_refused(regions):
    instructor = InstructorFactory()
    instructor_assign(
        instructor=instructor, organization=OrganizationFactory(), since=D(2022, 1, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as exc:
        instructor_set_active(instructor=instructor, is_active=False, actor=SYSTEM)
    assert "1 current assignments" in exc.value.message_dict["is_active"][0]


def test_instructor_assign_retired_instructor_refused(regions):
    instructor = instructor_set_active(instructor=InstructorFactory(), is_active=False, actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        instructor_assign(
            instructor=instructor, organization=OrganizationFactory(), since=D(2022, 1, 1), actor=SYSTEM
        )
    assert "instructor" in exc.value.message_dict


def test_instructor_create_street_staff_other_street_refused(regions, street_staff):
    with pytest.raises(ValidationError) as exc:
        InstructorFactory(region=regions.street_b, actor=street_staff)
    assert "region" in exc.value.message_dict


def test_instructor_update_blank_name_refused(regions):
    with pytest.raises(ValidationError) as exc:
        instructor_update(instructor=InstructorFactory(), name="  ", actor=SYSTEM)
    assert "name" in exc.value.message_dict
