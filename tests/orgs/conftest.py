"""Fixtures shared by the registry import tests."""

import pytest

from orgs.models import RegistryImport
from orgs.services.registry_import import registry_import_create, registry_import_request_commit


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload through the service (validation runs eagerly); commit too when `commit` and valid."""

    def run(user, upload, *, commit=True) -> RegistryImport:
        with django_capture_on_commit_callbacks(execute=True):
            job = registry_import_create(user=user, file=upload, language="en")
        job.refresh_from_db()
        if commit and job.status == RegistryImport.Status.VALID:
            with django_capture_on_commit_callbacks(execute=True):
                registry_import_request_commit(job=job, user=user)
            job.refresh_from_db()
        return job

    return run
