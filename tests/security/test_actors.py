"""Actors (issue 16): no service takes None as "skip the checks"; a named system actor works.

Every public service function with an `actor` argument is called with `actor=None` (its other
arguments stand-ins that must not be reached) and must refuse with a TypeError before doing anything.
"""

import importlib
import inspect
import pkgutil
from unittest import mock

import pytest

from accounts.actors import PUBLIC, SystemActor, as_user, is_unrestricted, require_actor

SERVICE_PACKAGES = [
    "alliances.services",
    "branches.services",
    "dues.services",
    "events.services",
    "members.services",
    "orgs.services",
]
SERVICE_MODULES = ["news.services", "stats.refresh", "branches.party_import.run"]


def _modules():
    names = list(SERVICE_MODULES)
    for package in SERVICE_PACKAGES:
        module = importlib.import_module(package)
        names += [f"{package}.{info.name}" for info in pkgutil.iter_modules(module.__path__)]
    return [importlib.import_module(name) for name in sorted(names)]


def _services():
    found = []
    for module in _modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = inspect.signature(function).parameters
            if "actor" in parameters and parameters["actor"].kind is inspect.Parameter.KEYWORD_ONLY:
                found.append(pytest.param(function, id=f"{module.__name__}.{name}"))
    return found


SERVICES = _services()


def test_every_service_family_is_found():
    families = {param.id.rsplit(".", 1)[0].split(".")[0] for param in SERVICES}
    assert families >= {"alliances", "branches", "dues", "events", "members", "news", "orgs", "stats"}
    assert len(SERVICES) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("service", SERVICES)
def test_service_refuses_none_actor(service):
    parameters = inspect.signature(service).parameters
    kwargs = {
        name: mock.MagicMock(name=name)
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty
        and name != "actor"
        and parameter.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    }
    positional = [
        kwargs.pop(name)
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and name in kwargs
    ]
    with pytest.raises(TypeError, match="actor"):
        service(*positional, actor=None, **kwargs)


def test_system_actor_is_unrestricted_and_stored_as_no_user():
    job = SystemActor("tests.job")
    assert is_unrestricted(job)
    assert as_user(job) is None
    assert str(job) == "tests.job"


def test_none_and_public_are_not_actors():
    with pytest.raises(TypeError):
        require_actor(None)
    with pytest.raises(TypeError):
        require_actor(PUBLIC)
    with pytest.raises(TypeError):
        is_unrestricted(None)  # type: ignore[arg-type]  # None is refused: what this test shows


# --- One test per service family: the system actor works (everywhere, recorded as no user) where a
# street-B officer is refused. (None is refused for every service by test_service_refuses_none_actor.)

JOB = SystemActor("tests.job")


@pytest.mark.django_db
def test_orgs_region_written_by_system_anywhere_refused_to_other_street(regions, other_street_staff):
    from django.core.exceptions import ValidationError

    from orgs.services.regions import region_create

    with pytest.raises(ValidationError):
        region_create(
            code="330499001009",
            name="越界社区",
            kind="community",
            parent=regions.street_a,
            actor=other_street_staff,
        )
    community = region_create(
        code="330499001009", name="新社区", kind="community", parent=regions.street_a, actor=JOB
    )
    assert community.parent_id == regions.street_a.pk


@pytest.mark.django_db
def test_branches_history_records_the_system_by_name_and_no_user(regions):
    from branches.models import PartyOrganizationChange
    from branches.services.party_organizations import party_organization_dissolve
    from tests.branches.factories import PartyOrganizationFactory

    po = PartyOrganizationFactory(actor=JOB)
    assert po.founded_on is not None
    party_organization_dissolve(party_organization=po, on=po.founded_on.replace(year=2024), actor=JOB)
    changes = PartyOrganizationChange.objects.filter(party_organization=po)
    assert changes.count() >= 2
    assert not changes.filter(recorded_by__isnull=False).exists()
    assert set(changes.values_list("recorded_by_system", flat=True)) == {JOB.name}


@pytest.mark.django_db
def test_members_system_updates_any_member_street_b_officer_refused(regions, other_street_staff):
    from django.core.exceptions import ValidationError

    from members.services.members import member_update
    from tests.members.factories import MemberFactory, build_po_tree

    member = MemberFactory(party_organization=build_po_tree(regions).branch_a, name="张三")
    with pytest.raises(ValidationError):
        member_update(member=member, actor=other_street_staff, name="李四")
    assert member_update(member=member, actor=JOB, name="李四").name == "李四"


@pytest.mark.django_db
def test_events_created_by_the_system_have_no_creator(regions):
    from tests.events.factories import make_event
    from tests.members.factories import build_po_tree

    event = make_event(build_po_tree(regions).branch_a, actor=JOB)
    assert event.pk and event.created_by is None


@pytest.mark.django_db
def test_news_article_by_the_system_has_no_author(regions):
    from news.services import article_create

    article = article_create(actor=JOB, title="系统导入的文章")
    assert article.pk and article.author is None


@pytest.mark.django_db
def test_alliances_only_the_system_replays_a_past_round(regions, district_staff):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from alliances.services.rounds import round_set_status
    from tests.alliances.factories import make_round

    past = {"opens_on": dt.date(2020, 5, 1), "closes_on": dt.date(2020, 6, 30)}
    with pytest.raises(ValidationError):  # a user acts today, after the closing date
        round_set_status(
            venture_round=make_round(status="draft", **past),
            status="open",
            actor=district_staff,
            on=past["opens_on"],
        )
    replayed = round_set_status(
        venture_round=make_round(status="draft", **past), status="open", actor=JOB, on=past["opens_on"]
    )
    assert replayed.status == "open"
