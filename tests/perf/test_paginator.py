"""config/paginator.py: the capped count, the deep page fetched by keys, the keyset pages of a UNION
of scope arms."""

import pytest
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext

from config.paginator import CappedPaginator, InvalidCursor, KeysetPaginator
from events.models import Event
from orgs.models import Organization
from tests.events.factories import at, make_event
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
# How the page's rows are chosen by their keys (config.indexed_in, on PostgreSQL).
KEYS = '"orgs_organization"."id" = ANY(ARRAY(SELECT'


def test_capped_paginator_counts_at_most_cap_plus_one(regions, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 3)
    for i in range(6):
        OrganizationFactory(name=f"组织{i}")
    paginator = CappedPaginator(Organization.objects.order_by("name", "pk"), 2)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 4
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]
    assert paginator.count_is_capped
    assert paginator.num_pages == 2  # pages past the cap are not offered


def test_capped_paginator_exact_under_the_cap(regions):
    for i in range(5):
        OrganizationFactory(name=f"组织{i}")
    paginator = CappedPaginator(Organization.objects.order_by("name", "pk"), 2)
    assert paginator.count == 5
    assert not paginator.count_is_capped


def test_capped_paginator_deep_page_by_keys_same_rows_in_order(regions, monkeypatch):
    monkeypatch.setattr("config.paginator.DEFERRED_JOIN_OFFSET", 2)
    for i in range(7):
        OrganizationFactory(name=f"组织{i}")
    queryset = Organization.objects.order_by("-name", "pk")
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(queryset, 2).page(3)
        names = [org.name for org in page.object_list]
    assert names == ["组织2", "组织1"]
    assert len(ctx.captured_queries) == 2  # the capped count, then the page
    rows = ctx.captured_queries[1]["sql"]
    # the rows whose keys are the page's slice of the list's keys, in one statement
    keys = rows[rows.index(KEYS) :]
    assert "LIMIT 2 OFFSET 4" in keys
    assert rows.index("LIMIT") > rows.index(KEYS)  # the outer query is not sliced


def test_capped_paginator_page_of_joined_rows_found_by_keys_first(regions):
    # given a list whose rows carry a join and an annotation
    for i in range(5):
        OrganizationFactory(name=f"组织{i}")
    queryset = (
        Organization.objects.select_related("region")
        .annotate(name_length=Length("name"))
        .order_by("-name", "pk")
    )
    # when its first page is read
    with CaptureQueriesContext(connection) as ctx:
        page = CappedPaginator(queryset, 2).page(1)
        rows = [(org.name, org.region.name, org.name_length) for org in page.object_list]
    # then the same rows, in order, with their joins and annotations, from one statement whose
    # keys are found without the join
    assert rows == [(f"组织{i}", org.region.name, 3) for i, org in ((4, page[0]), (3, page[1]))]
    sql = ctx.captured_queries[1]["sql"]
    keys = sql[sql.index(KEYS) :]
    assert "LIMIT 2" in keys and "orgs_region" not in keys and "LENGTH" not in keys.upper()


def test_capped_paginator_on_a_list():
    assert CappedPaginator(list(range(45)), 20).page(3).object_list == [40, 41, 42, 43, 44]


def _arms(pos, alliance):
    return [Event.objects.filter(party_organization=pos.branch_a), Event.objects.filter(alliance=alliance)]


def test_keyset_paginator_pages_both_arms_newest_first_without_duplicates(pos, regions):
    from tests.alliances.factories import AllianceFactory

    alliance = AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_a1))
    own = [make_event(pos.branch_a, start=at(2025, 3, day)) for day in (1, 3, 5)]
    steered = [make_event(alliance=alliance, kind="volunteer_service", start=at(2025, 3, d)) for d in (2, 4)]
    make_event(pos.branch_b, start=at(2025, 3, 6))  # in neither arm
    paginator = KeysetPaginator(
        _arms(pos, alliance),
        2,
        ordering=("-starts_at", "-id"),
        hydrate=lambda keys: Event.objects.filter(pk__in=keys),
    )
    pages, page = [], paginator.page()
    while True:
        pages.append([event.pk for event in page])
        if not page.has_next:
            break
        page = paginator.page(after=page.next_cursor)
    newest_first = [e.pk for e in sorted(own + steered, key=lambda e: e.starts_at, reverse=True)]
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    back = paginator.page(before=paginator.encode(paginator.key_at(4)))  # before the last page
    assert [event.pk for event in back] == newest_first[2:4] and back.has_previous and back.has_next
    assert paginator.key_at(5) is None


def test_keyset_paginator_empty(pos):
    paginator = KeysetPaginator(
        [Event.objects.none(), Event.objects.filter(pk=-1)],
        25,
        ordering=("-starts_at", "-id"),
        hydrate=lambda keys: Event.objects.filter(pk__in=keys),
    )
    page = paginator.page()
    assert list(page) == [] and not page.has_other_pages and page.number == 1


def test_keyset_paginator_cursor_round_trip_and_refusals(pos):
    event = make_event(pos.branch_a, start=at(2025, 3, 1, 9, 30))
    paginator = KeysetPaginator(
        [Event.objects.all()],
        1,
        ordering=("starts_at", "id"),
        hydrate=lambda keys: Event.objects.filter(pk__in=keys),
    )
    cursor = paginator.encode((event.starts_at, event.pk))
    assert paginator.decode(cursor) == (event.starts_at, event.pk)
    for bad in ("", "1", "1.2.3", "a.1", "1.-", "9999999999999999999.1", "1.9999999999999999999"):
        with pytest.raises(InvalidCursor):
            paginator.decode(bad)
    with pytest.raises(ValueError):
        KeysetPaginator([Event.objects.all()], 1, ordering=("-starts_at", "id"), hydrate=list)
    with pytest.raises(ValueError):
        KeysetPaginator([Event.objects.all()], 1, ordering=("title", "id"), hydrate=list)


def test_event_visible_arms_union_is_visible_to(pos, regions, committee_secretary, district_staff):
    from tests.alliances.factories import AllianceFactory

    steered = AllianceFactory(lead_organization=OrganizationFactory(region=regions.community_b1))
    steered.party_organization = pos.branch_a
    steered.save()
    make_event(pos.branch_a)
    make_event(pos.branch_b, start=at(2025, 4, 1))
    make_event(alliance=steered, kind="volunteer_service")
    make_event(organization=OrganizationFactory(region=regions.community_a2), kind="volunteer_service")
    for user in (committee_secretary, district_staff):
        union = set()
        for arm in Event.objects.visible_arms(user):
            union |= set(arm.values_list("pk", flat=True))
        assert union == set(Event.objects.visible_to(user).values_list("pk", flat=True))
        assert union


def test_capped_paginator_empty_list_of_joined_rows_has_an_empty_page(regions):
    queryset = Organization.objects.select_related("region").order_by("-name", "pk")
    page = CappedPaginator(queryset, 2).get_page(1)
    assert list(page.object_list) == [] and page.paginator.count == 0


def test_indexed_in_matches_in_and_nothing_for_an_empty_subquery(regions):
    from django.db.models import Q

    from config.indexed_in import IndexedIn

    orgs = [OrganizationFactory(name=f"组织{i}") for i in range(4)]
    some = Organization.objects.filter(pk__in=[orgs[0].pk, orgs[2].pk]).values("pk")
    found = Organization.objects.filter(Q(IndexedIn("pk", some)) | Q(pk=orgs[3].pk))
    assert set(found) == {orgs[0], orgs[2], orgs[3]}
    none = Organization.objects.none().values("pk")
    assert list(Organization.objects.filter(Q(IndexedIn("pk", none)) | Q(pk=orgs[1].pk))) == [orgs[1]]
    assert not Organization.objects.filter(IndexedIn("pk", none)).exists()


def test_capped_paginator_page_of_grouped_values_sliced_as_they_are(regions):
    from django.db.models import Count

    for i in range(3):
        OrganizationFactory(name=f"组织{i}", kind="foundation" if i else "social_group")
    rows = Organization.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    page = CappedPaginator(rows, 1).page(2)
    assert list(page.object_list) == [{"kind": "social_group", "n": 1}]


def test_compiled_where_same_rows_one_table_only(pos, regions, district_staff):
    from django.db.models import Q

    from config.paginator import compiled_where

    for day in (1, 2, 3):
        make_event(pos.branch_a, start=at(2025, 3, day))
    make_event(pos.branch_b, start=at(2025, 3, 4))
    scoped = (
        Event.objects.visible_to(district_staff)
        .filter(Q(kind="theme_day") | Q(title="x"))
        .order_by("-starts_at")
    )
    compiled = compiled_where(scoped)
    assert list(compiled.values_list("pk", flat=True)) == list(scoped.values_list("pk", flat=True))
    assert compiled.order_by()[:10].count() == scoped.count()
    assert "RawSQL" in str(compiled.query.where) and "RawSQL" not in str(scoped.query.where)
    # a join (here a filter across the organizer), a slice, an empty or an unfiltered list: as it is
    joined = Event.objects.filter(party_organization__name=pos.branch_a.name)
    assert compiled_where(joined) is joined
    assert compiled_where(Event.objects.all()).query.where == Event.objects.all().query.where
    assert list(compiled_where(Event.objects.filter(pk__in=[]))) == []
