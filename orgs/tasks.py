"""Celery tasks of the registry: ids in, one service call, safe to run twice."""

from celery import shared_task

from orgs.services.registry_import import registry_import_commit, registry_import_validate


@shared_task
def registry_import_validate_task(import_id: int) -> str:
    return registry_import_validate(import_id=import_id).status


@shared_task
def registry_import_commit_task(import_id: int) -> str:
    return registry_import_commit(import_id=import_id).status
