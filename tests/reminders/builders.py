"""Builders shared by the reminder tests."""

import datetime as dt

from branches.models import CommitteePost
from tests.members.factories import MemberFactory


def give_secretary(po, since=dt.date(2020, 1, 1), until=None):
    member = MemberFactory(party_organization=po)
    return CommitteePost.objects.create(
        party_organization=po, member=member, post="secretary", since=since, until=until
    )
