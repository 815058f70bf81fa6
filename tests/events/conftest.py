import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.members.factories import PoTree, build_po_tree


@pytest.fixture
def pos(regions) -> PoTree:
    return build_po_tree(regions)


@pytest.fixture
def secretary_a(pos):
    """Secretary of branch A (street A)."""
    return UserFactory(role=Role.SECRETARY, username="sec_a", party_organization=pos.branch_a)


@pytest.fixture
def secretary_b(pos):
    return UserFactory(role=Role.SECRETARY, username="sec_b", party_organization=pos.branch_b)
