"""Issue 16/15: a bulk import starts one new generation of cached public pages, at its commit —
not one per written statement (config.page_cache.one_bump) — and the public pages then show it."""

import pytest
from django.db import transaction
from django.test import Client

from config import page_cache
from orgs.models import Organization, RegistryImport
from orgs.services.registry_import import registry_import_request_commit
from orgs.uscc import make_uscc
from tests.orgs.factories import OrganizationFactory
from tests.orgs.registry_files import registered_row, xlsx_upload

pytestmark = pytest.mark.django_db
ROWS = 1000


def test_registry_import_of_1000_rows_bumps_the_page_cache_once_and_the_directory_shows_them(
    regions, district_staff, run_import, django_capture_on_commit_callbacks
):
    # given: a checked 1,000-row import and the public directory cached without its rows
    rows = [
        registered_row(
            regions, 名称=f"甲导入协会{i:04d}", 统一社会信用代码=make_uscc("social_group", "330482", i)
        )
        for i in range(1, ROWS + 1)
    ]
    job = run_import(district_staff, xlsx_upload(rows), commit=False)
    assert job.status == RegistryImport.Status.VALID
    assert "甲导入协会0001" not in Client().get("/orgs/").content.decode()
    before = page_cache.generation()
    # when: it is committed (the request queues the worker's task, run at the commit)
    with django_capture_on_commit_callbacks(execute=True):
        registry_import_request_commit(job=job, user=district_staff)
    # then: every row written, the generation moved exactly once, and the page shows the rows
    job.refresh_from_db()
    assert job.status == RegistryImport.Status.DONE
    assert Organization.objects.filter(name__startswith="甲导入协会").count() == ROWS
    assert page_cache.generation() == before + 1
    assert "甲导入协会0001" in Client().get("/orgs/").content.decode()


def test_one_bump_pauses_the_per_statement_bumps_and_bumps_at_commit(
    regions, django_capture_on_commit_callbacks
):
    before = page_cache.generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
        page_cache.one_bump(),
    ):
        for i in range(50):
            Organization.objects.filter(pk=-i).update(name="x")
        assert page_cache.generation() == before  # nothing yet: the rows are not committed
    assert len(callbacks) == 1
    assert page_cache.generation() == before + 1


def test_one_bump_rolled_back_bumps_nothing_and_writes_after_it_bump_again(regions):
    organization = OrganizationFactory(region=regions.community_a1)
    before = page_cache.generation()
    with pytest.raises(RuntimeError), transaction.atomic(), page_cache.one_bump():
        Organization.objects.filter(pk=organization.pk).update(name="x")
        raise RuntimeError
    assert page_cache.generation() == before
    Organization.objects.filter(pk=organization.pk).update(name="x")  # a row changed: a bump
    assert page_cache.generation() > before
