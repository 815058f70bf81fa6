import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.members.factories import PoTree, build_po_tree


@pytest.fixture
def pos(regions) -> PoTree:
    return build_po_tree(regions)


@pytest.fixture
def committee_secretary(pos):
    """Secretary of the comprehensive committee: the whole party tree, and the alliances it steers."""
    return UserFactory(role=Role.SECRETARY, username="sec_committee", party_organization=pos.committee)


@pytest.fixture
def secretary_a(pos):
    """Secretary of branch A (street A)."""
    return UserFactory(role=Role.SECRETARY, username="sec_a", party_organization=pos.branch_a)
