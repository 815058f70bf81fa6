import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from branches.models import PartyOrganization
from branches.services.party_organizations import party_organization_create, party_organization_move
from orgs.tree_checks import check_model
from tests.actors import SYSTEM
from tests.branches.factories import PartyOrganizationFactory, comprehensive_committee

Kind = PartyOrganization.Kind


@pytest.mark.django_db
def test_check_trees_covers_party_organizations(regions):
    # given a consistent party tree
    PartyOrganizationFactory()
    PartyOrganizationFactory()
    out = io.StringIO()
    call_command("check_trees", "branches.PartyOrganization", stdout=out)
    assert "OK" in out.getvalue()
    # when a row is corrupted behind the services' back
    victim = PartyOrganization.objects.filter(parent__isnull=False).order_by("lft").first()
    PartyOrganization.objects.filter(pk=victim.pk).update(rght=victim.lft)
    # then the command reports it (it discovers every MPTT model, this one included)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_trees", stderr=err)
    assert f"branches.PartyOrganization id={victim.pk}" in err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_tree_writes_concurrent_creates_and_moves_keep_tree_consistent(regions):
    # given a committee with two general branches and some branches
    committee = comprehensive_committee()
    left = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="甲总支")
    right = PartyOrganizationFactory(kind=Kind.GENERAL_BRANCH, name="乙总支")
    movers = [PartyOrganizationFactory(parent=left, name=f"移动支部{i}") for i in range(4)]
    barrier = threading.Barrier(2)
    errors = []

    def mover():
        try:
            barrier.wait()
            for po in movers:
                party_organization_move(
                    party_organization=po, new_parent=right, on=dt.date(2024, 1, 1), actor=SYSTEM
                )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    def creator():
        try:
            barrier.wait()
            for i in range(6):
                party_organization_create(
                    name=f"新建支部{i}",
                    kind=Kind.BRANCH,
                    building_mode="single",
                    region=regions.district,
                    parent=[committee, left, right][i % 3],
                    actor=SYSTEM,
                )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    # when two writers work on the same tree at the same time
    threads = [threading.Thread(target=mover), threading.Thread(target=creator)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then both finished and the nested sets are still consistent
    assert errors == []
    assert check_model(PartyOrganization) == []
    assert PartyOrganization.objects.count() == 1 + 2 + 4 + 6
    assert set(PartyOrganization.objects.filter(parent=right).values_list("name", flat=True)) >= {
        f"移动支部{i}" for i in range(4)
    }
