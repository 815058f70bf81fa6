"""Committee posts corrected and removed by staff, and every post checked over its own period
(issue 12): the party organization's life, the holder a full and active member over the whole
period, one holder of a one-holder post at a time. A refusal names both rows; each correction and
removal leaves an audit entry; the same history loads in any order. Service, API and admin paths."""

import datetime as dt
import json
import random

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from branches.models import CommitteePost
from branches.services.party_organizations import party_organization_update
from branches.services.posts import committee_post_correct, committee_post_create, committee_post_remove
from members.services.status import member_mark_left
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.branches.factories import MemberFactory, PartyOrganizationFactory

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/committee-posts/"


@pytest.fixture
def po(regions):
    return PartyOrganizationFactory(name="甲社工党支部", region=regions.street_a, founded_on=D(2015, 1, 1))


@pytest.fixture
def people(po):
    """Three full members of the branch (full since 2012-07-01)."""
    return {name: MemberFactory(party_organization=po, name=name) for name in ("王芳", "李强", "张敏")}


@pytest.fixture
def history(po, people):
    """王芳 secretary 2016-01-01 – 2020-01-01, 李强 secretary since 2020-01-01."""

    def add(name, since, until=None, post="secretary"):
        return committee_post_create(
            party_organization=po, member=people[name], post=post, since=since, until=until, actor=SYSTEM
        )

    return {"past": add("王芳", D(2016, 1, 1), D(2020, 1, 1)), "current": add("李强", D(2020, 1, 1))}


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def patch(user, row_id, data):
    return client_for(user).patch(f"{API}{row_id}/", json.dumps(data), content_type="application/json")


def entries(row_id, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CommitteePost), object_pk=str(row_id), action=action
    )


def refusal(caught, field):
    return " ".join(caught.value.message_dict[field])


# --- corrections and removals ----------------------------------------------------------------------


def test_api_correction_of_dates_holder_and_post_written_and_audited(history, people, street_staff):
    past = history["past"]
    # when street staff correct the start date, then the holder and the post
    response = patch(street_staff, past.pk, {"since": "2016-06-01"})
    assert response.status_code == 200, response.content
    assert response.json()["since"] == "2016-06-01"
    response = patch(street_staff, past.pk, {"member": people["张敏"].pk, "post": "propaganda"})
    assert response.status_code == 200, response.content
    # then the row reads back corrected, its end date kept
    past.refresh_from_db()
    assert (past.member, past.post, past.since, past.until) == (
        people["张敏"],
        "propaganda",
        D(2016, 6, 1),
        D(2020, 1, 1),
    )
    # and each correction left an audit entry with the old and new values, by the staff member
    changes = [entry.changes_dict for entry in entries(past.pk, LogEntry.Action.UPDATE).order_by("pk")]
    assert changes[0]["since"] == ["2016-01-01", "2016-06-01"]
    assert changes[1]["post"] == ["secretary", "propaganda"]
    assert {entry.actor for entry in entries(past.pk, LogEntry.Action.UPDATE)} == {street_staff}


def test_api_correction_reopening_a_post_with_null_until(po, people, street_staff):
    row = committee_post_create(
        party_organization=po,
        member=people["张敏"],
        post="youth",
        since=D(2021, 1, 1),
        until=D(2022, 1, 1),
        actor=SYSTEM,
    )
    response = patch(street_staff, row.pk, {"until": None})
    assert response.status_code == 200, response.content
    row.refresh_from_db()
    assert row.until is None


def test_api_removal_deletes_and_audits(history, street_staff):
    past = history["past"]
    response = client_for(street_staff).delete(f"{API}{past.pk}/")
    assert response.status_code == 204
    assert not CommitteePost.objects.filter(pk=past.pk).exists()
    assert entries(past.pk, LogEntry.Action.DELETE).get().actor == street_staff


def test_api_correction_overlapping_another_secretary_refused_naming_both_rows(history, street_staff):
    past, current = history["past"], history["current"]
    # when the past secretary's end is moved into the current secretary's term
    response = patch(street_staff, past.pk, {"until": "2021-01-01"})
    # then refused on a field, naming the corrected row and the conflicting one with its dates
    assert response.status_code == 400
    message = response.json()["since"][0]
    assert f"post no. {past.pk}" in message and "2016-01-01 – 2021-01-01" in message
    assert f"post no. {current.pk}" in message and "2020-01-01 – " in message
    past.refresh_from_db()
    assert past.until == D(2020, 1, 1)
    assert not entries(past.pk, LogEntry.Action.UPDATE).exists()


def test_create_overlapping_a_one_holder_post_refused_naming_both_rows(po, people, history):
    # a second secretary for a past period inside the current one's term
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po,
            member=people["张敏"],
            post="secretary",
            since=D(2019, 1, 1),
            until=D(2021, 1, 1),
            actor=SYSTEM,
        )
    message = refusal(caught, "since")
    assert "The new post: 张敏" in message and "2019-01-01 – 2021-01-01" in message
    assert f"post no. {history['past'].pk}" in message  # 王芳's term, the first it meets
    # an open second secretary: the post field, naming the current holder's row
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po, member=people["张敏"], post="secretary", since=D(2023, 1, 1), actor=SYSTEM
        )
    assert f"post no. {history['current'].pk}" in refusal(caught, "post")


def test_several_deputies_and_members_may_overlap_one_holder_posts_may_not(po, people):
    for name in ("王芳", "李强"):
        committee_post_create(
            party_organization=po,
            member=people[name],
            post="deputy_secretary",
            since=D(2020, 1, 1),
            actor=SYSTEM,
        )
    committee_post_create(
        party_organization=po, member=people["王芳"], post="discipline", since=D(2020, 1, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po,
            member=people["李强"],
            post="discipline",
            since=D(2018, 1, 1),
            until=D(2021, 1, 1),
            actor=SYSTEM,
        )
    assert "王芳, Discipline member" in refusal(caught, "since")
    assert po.posts.count() == 3


def test_correction_outside_the_party_organizations_life_refused(history, district_staff):
    with pytest.raises(ValidationError) as caught:
        committee_post_correct(
            post=history["past"],
            member=history["past"].member,
            kind="secretary",
            since=D(2014, 1, 1),
            until=D(2016, 1, 1),
            actor=district_staff,
        )
    assert "founded on 2015-01-01" in refusal(caught, "since")


def test_post_over_a_holders_inactive_period_refused_naming_the_status_row(po, people, district_staff):
    member_mark_left(member=people["张敏"], on=D(2021, 3, 1), actor=SYSTEM)
    # a past post crossing the day the holder left: refused on its end, naming the status row
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po,
            member=people["张敏"],
            post="youth",
            since=D(2020, 1, 1),
            until=D(2022, 1, 1),
            actor=SYSTEM,
        )
    message = refusal(caught, "until")
    assert "the new post: 张敏" in message and "the status change of 2021-03-01" in message
    # ending on that day is accepted; moving the end past it again is refused
    row = committee_post_create(
        party_organization=po,
        member=people["张敏"],
        post="youth",
        since=D(2020, 1, 1),
        until=D(2021, 3, 1),
        actor=SYSTEM,
    )
    with pytest.raises(ValidationError) as caught:
        committee_post_correct(
            post=row,
            member=row.member,
            kind="youth",
            since=row.since,
            until=D(2021, 4, 1),
            actor=district_staff,
        )
    assert f"post no. {row.pk}" in refusal(caught, "until")


def test_post_before_the_holder_was_a_full_member_refused(po, people):
    late = MemberFactory(party_organization=po, name="赵亮", full_on=D(2019, 6, 1))
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po,
            member=late,
            post="member",
            since=D(2019, 1, 1),
            until=D(2020, 1, 1),
            actor=SYSTEM,
        )
    assert "赵亮 was not a full member on 2019-01-01" in refusal(caught, "since")


def test_service_correction_and_removal_refused_to_a_secretary(history, po):
    secretary = UserFactory(role=Role.SECRETARY, username="sec_po", party_organization=po)
    with pytest.raises(ValidationError):
        committee_post_remove(post=history["past"], actor=secretary)
    assert CommitteePost.objects.filter(pk=history["past"].pk).exists()


# --- history in any order --------------------------------------------------------------------------


def _steps(po, people):
    def add(name, post, since, until=None):
        return lambda: committee_post_create(
            party_organization=po, member=people[name], post=post, since=since, until=until, actor=SYSTEM
        )

    return {
        "first_secretary": add("王芳", "secretary", D(2015, 3, 1), D(2018, 3, 1)),
        "second_secretary": add("李强", "secretary", D(2018, 3, 1), D(2021, 3, 1)),
        "current_secretary": add("王芳", "secretary", D(2021, 3, 1)),
        "propaganda": add("张敏", "propaganda", D(2016, 1, 1), D(2022, 1, 1)),
        "current_propaganda": add("李强", "propaganda", D(2022, 1, 1)),
        "deputy": add("张敏", "deputy_secretary", D(2022, 1, 1)),
    }


ORDERS = {
    "chronological": [
        "first_secretary",
        "propaganda",
        "second_secretary",
        "current_secretary",
        "current_propaganda",
        "deputy",
    ],
    "current_state_first": [
        "current_secretary",
        "current_propaganda",
        "deputy",
        "second_secretary",
        "propaganda",
        "first_secretary",
    ],
    "random": None,
}


@pytest.mark.parametrize("order", list(ORDERS))
def test_committee_history_any_order_same_rows(order, po, people):
    steps = _steps(po, people)
    for name in ORDERS[order] or random.Random(12).sample(sorted(steps), len(steps)):
        steps[name]()
    rows = sorted((r.member.name, r.post, r.since, r.until) for r in po.posts.select_related("member"))
    assert rows == [
        ("张敏", "deputy_secretary", D(2022, 1, 1), None),
        ("张敏", "propaganda", D(2016, 1, 1), D(2022, 1, 1)),
        ("李强", "propaganda", D(2022, 1, 1), None),
        ("李强", "secretary", D(2018, 3, 1), D(2021, 3, 1)),
        ("王芳", "secretary", D(2015, 3, 1), D(2018, 3, 1)),
        ("王芳", "secretary", D(2021, 3, 1), None),
    ]
    # and a conflicting row is refused whatever came before it
    with pytest.raises(ValidationError) as caught:
        committee_post_create(
            party_organization=po,
            member=people["张敏"],
            post="secretary",
            since=D(2017, 1, 1),
            until=D(2018, 1, 1),
            actor=SYSTEM,
        )
    assert "王芳, Secretary" in refusal(caught, "since") and "2015-03-01 – 2018-03-01" in refusal(
        caught, "since"
    )


# --- who may: scope, role, anonymous ---------------------------------------------------------------


def test_api_correction_and_removal_refused_out_of_scope_to_secretary_and_anonymous(
    history, po, other_street_staff
):
    past = history["past"]
    secretary = UserFactory(role=Role.SECRETARY, username="sec_po", party_organization=po)
    assert client_for(secretary).get(f"{API}{past.pk}/").status_code == 200  # the secretary sees it
    for user, expected in ((other_street_staff, 404), (secretary, 403), (None, 403)):
        assert patch(user, past.pk, {"since": "2016-06-01"}).status_code == expected, user
        assert client_for(user).delete(f"{API}{past.pk}/").status_code == expected, user
    past.refresh_from_db()
    assert past.since == D(2016, 1, 1)
    assert not entries(past.pk, LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"since": "2016-13-01"}, "since"),  # not a date
        ({"until": "2015-06-01"}, "until"),  # the end before the start
        ({"member": 999999}, "member"),  # an unknown id
        ({"member": "x"}, "member"),  # not an id
        ({"post": "chairman"}, "post"),  # not a choice
    ],
)
def test_api_correction_bad_input_names_the_field(history, street_staff, data, field):
    response = patch(street_staff, history["past"].pk, data)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    history["past"].refresh_from_db()
    assert history["past"].since == D(2016, 1, 1)


def test_api_correction_of_an_unknown_post_is_404(history, street_staff):
    assert patch(street_staff, 999999, {"since": "2016-06-01"}).status_code == 404
    assert client_for(street_staff).delete(f"{API}999999/").status_code == 404


def test_api_correction_errors_in_the_requests_language(history, street_staff):
    response = client_for(street_staff, "zh-hans").patch(
        f"{API}{history['past'].pk}/", json.dumps({"since": "x"}), content_type="application/json"
    )
    assert response.status_code == 400 and "日期" in response.json()["since"][0]


# --- admin ------------------------------------------------------------------------------------------


def test_admin_change_form_corrects_holder_post_and_dates(history, people, district_staff):
    past = history["past"]
    client = client_for(district_staff)
    url = reverse("admin:branches_committeepost_change", args=[past.pk])
    page = client.get(url).content.decode()
    for name in ("member", "post", "since", "until"):
        assert f'name="{name}"' in page, name
    response = client.post(
        url,
        {"member": people["张敏"].pk, "post": "organization", "since": "2016-02-01", "until": "2019-12-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    past.refresh_from_db()
    assert (past.member, past.post, past.since, past.until) == (
        people["张敏"],
        "organization",
        D(2016, 2, 1),
        D(2019, 12, 1),
    )
    assert entries(past.pk, LogEntry.Action.UPDATE).exists()


def test_admin_change_form_refusal_names_both_rows(history, district_staff):
    past, current = history["past"], history["current"]
    url = reverse("admin:branches_committeepost_change", args=[past.pk])
    response = client_for(district_staff).post(
        url, {"member": past.member_id, "post": "secretary", "since": "2016-01-01", "until": "2020-06-01"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"post no. {past.pk}" in body and f"post no. {current.pk}" in body
    past.refresh_from_db()
    assert past.until == D(2020, 1, 1)


def test_admin_delete_removes_through_the_service(history, district_staff, other_street_staff):
    past = history["past"]
    url = reverse("admin:branches_committeepost_delete", args=[past.pk])
    refused = client_for(other_street_staff).post(url, {"post": "yes"})
    assert refused.status_code in (403, 404) or refused["Location"] == reverse("admin:index")
    assert CommitteePost.objects.filter(pk=past.pk).exists()
    response = client_for(district_staff).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not CommitteePost.objects.filter(pk=past.pk).exists()
    assert entries(past.pk, LogEntry.Action.DELETE).get().actor == district_staff


def test_api_correction_to_a_holder_outside_the_scope_refused(history, regions, street_staff):
    elsewhere = MemberFactory(party_organization=PartyOrganizationFactory(region=regions.street_b))
    response = patch(street_staff, history["past"].pk, {"member": elsewhere.pk})
    assert response.status_code == 400 and "member" in response.json()
    with pytest.raises(ValidationError) as caught:
        committee_post_correct(
            post=history["past"],
            member=elsewhere,
            kind="secretary",
            since=D(2016, 1, 1),
            until=D(2020, 1, 1),
            actor=street_staff,
        )
    assert "member" in caught.value.message_dict
    history["past"].refresh_from_db()
    assert history["past"].member.name == "王芳"


def test_leaving_over_a_recorded_post_refused_naming_the_post(history, people):
    """The other loading order: the post is recorded first, the status change that would cut it arrives
    later. Refused on its date, naming the post; a leaving date after the post's end is accepted."""
    past = history["past"]  # 王芳, secretary 2016-01-01 – 2020-01-01
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        member_mark_left(member=people["王芳"], on=D(2018, 5, 1), actor=SYSTEM)
    message = refusal(caught, "on")
    assert f"post no. {past.pk}" in message and "2016-01-01 – 2020-01-01" in message
    assert not people["王芳"].stage_changes.exclude(to_status="").exists()  # nothing written
    # the current secretary cannot be marked as left while the post runs either
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        member_mark_left(member=people["李强"], on=D(2024, 1, 1), actor=SYSTEM)
    assert f"post no. {history['current'].pk}" in refusal(caught, "on")
    # after the post's end: accepted
    member_mark_left(member=people["王芳"], on=D(2020, 1, 1), actor=SYSTEM)
    people["王芳"].refresh_from_db()
    assert people["王芳"].status == "left"


def test_founding_date_moved_after_a_post_refused_naming_the_post(po, history):
    """The party organization's own history row: correcting its founding date past a post it already
    has is refused on founded_on, naming the post; an earlier founding date is accepted."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        party_organization_update(party_organization=po, founded_on=D(2017, 1, 1), actor=SYSTEM)
    assert f"post no. {history['past'].pk}" in refusal(caught, "founded_on")
    po.refresh_from_db()
    assert po.founded_on == D(2015, 1, 1)
    party_organization_update(party_organization=po, founded_on=D(2014, 6, 1), actor=SYSTEM)
    po.refresh_from_db()
    assert po.founded_on == D(2014, 6, 1)
