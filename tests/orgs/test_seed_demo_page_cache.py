"""seed_demo moves the public page cache's generation once, not once per written statement (issue 16),
and once as well when a part fails after earlier parts committed."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from config import page_cache
from orgs.management.commands.seed_demo import Command
from orgs.models import Region
from orgs.services.regions import region_create
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


def _write_streets(district: Region, count: int) -> None:
    for i in range(count):
        with transaction.atomic():  # each part of the seed commits on its own
            region_create(
                code=f"330499{i + 101:03d}", name=f"街道{i}", kind="street", parent=district, actor=SYSTEM
            )


def test_seed_demo_bumps_the_page_cache_once(regions, monkeypatch, django_capture_on_commit_callbacks):
    def seed(self: Command, **options: Any) -> None:
        _write_streets(regions.district, 20)

    monkeypatch.setattr(Command, "_seed", seed)
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert Region.objects.filter(name__startswith="街道").count() == 20
    assert page_cache.generation() == before + 1


def test_seed_demo_failing_half_way_still_bumps_once(
    regions, monkeypatch, django_capture_on_commit_callbacks
):
    def seed(self: Command, **options: Any) -> None:
        _write_streets(regions.district, 5)
        raise RuntimeError("a later part failed")

    monkeypatch.setattr(Command, "_seed", seed)
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        call_command("seed_demo", stdout=io.StringIO())
    assert page_cache.generation() == before + 1
