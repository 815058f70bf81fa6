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
        is_unrestricted(None)
