"""accounts.services.user_links_set: staff link an org contact to their organization and a secretary to
their party organization, inside their scope, on the field, audited (issue 16: the demo's links too)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext

from accounts.models import User
from accounts.services import user_links_set
from tests.actors import SYSTEM
from tests.members.factories import build_po_tree
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pos(regions):
    return build_po_tree(regions)


@pytest.fixture
def org_a(regions):
    return OrganizationFactory(region=regions.community_a1, name="东湖社工服务中心")


@pytest.fixture
def org_b(regions):
    return OrganizationFactory(region=regions.community_b1, name="钟埭社工服务中心")


def _refused(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_street_staff_link_a_contact_to_an_organization_of_their_street_and_it_is_logged(
    org_contact, org_a, street_staff
):
    user_links_set(user=org_contact, organization=org_a, actor=street_staff)
    org_contact.refresh_from_db()
    assert org_contact.organization == org_a
    entry = LogEntry.objects.get_for_object(org_contact).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE and "organization" in entry.changes_dict


def test_staff_link_a_secretary_to_a_party_organization_and_unlink_them(secretary, pos, district_staff):
    user_links_set(user=secretary, party_organization=pos.branch_b, actor=district_staff)
    assert User.objects.get(pk=secretary.pk).party_organization == pos.branch_b
    user_links_set(user=secretary, party_organization=None, actor=district_staff)
    assert User.objects.get(pk=secretary.pk).party_organization is None


def test_an_organization_outside_the_staff_scope_is_refused_on_the_field(org_contact, org_b, street_staff):
    with pytest.raises(ValidationError) as caught:
        user_links_set(user=org_contact, organization=org_b, actor=street_staff)
    assert _refused(caught) == {"organization": [gettext("You may only choose items inside your own scope.")]}
    assert User.objects.get(pk=org_contact.pk).organization is None


def test_a_contact_kept_by_another_street_is_not_taken_over(org_contact, org_a, org_b, street_staff):
    user_links_set(user=org_contact, organization=org_b, actor=SYSTEM)
    with pytest.raises(ValidationError) as caught:
        user_links_set(user=org_contact, organization=org_a, actor=street_staff)
    assert _refused(caught) == {"organization": [gettext("You may only choose items inside your own scope.")]}
    assert User.objects.get(pk=org_contact.pk).organization == org_b


def test_a_link_of_another_role_is_refused_naming_the_field(secretary, org_a, district_staff):
    with pytest.raises(ValidationError) as caught:
        user_links_set(user=secretary, organization=org_a, actor=district_staff)
    assert list(_refused(caught)) == ["organization"]
    assert User.objects.get(pk=secretary.pk).organization is None


@pytest.mark.parametrize("who", ["secretary", "contact", "anonymous"])
def test_only_staff_change_links(who, secretary, org_contact, org_a):
    actor = {"secretary": secretary, "contact": org_contact, "anonymous": AnonymousUser()}[who]
    with pytest.raises(ValidationError) as caught:
        user_links_set(user=org_contact, organization=org_a, actor=actor)
    assert _refused(caught) == {
        NON_FIELD_ERRORS: [gettext("Only district or street staff may change a user's links.")]
    }
    assert User.objects.get(pk=org_contact.pk).organization is None


def test_staff_do_not_change_another_staff_account(street_staff, other_street_staff):
    with pytest.raises(ValidationError) as caught:
        user_links_set(user=other_street_staff, actor=street_staff)
    assert _refused(caught) == {
        NON_FIELD_ERRORS: [gettext("Staff may change the links of secretaries and org contacts only.")]
    }
