"""seed_demo's registry: the Pinghu/Binhu figures, valid codes, and a second run that changes nothing."""

import hashlib
import io
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from accounts.models import User
from branches.demo import HANDOVER
from branches.models import Instructor, PartyOrganizationChange
from members.models import Transfer
from orgs.demo.organizations import FLAGSHIP_NAME
from orgs.models import AnnualInspection, GradeAward, Organization, OrganizationStatusChange
from orgs.rules import inspection_owed
from orgs.uscc import validate_uscc
from tests.orgs.factories import build_region_tree

pytestmark = pytest.mark.django_db


def _checksum() -> str:
    org_fields: tuple[str, ...] = (
        "pk",
        "name",
        "kind",
        "registration",
        "uscc",
        "management_mode",
        "region_id",
    )
    org_fields += ("registered_on", "status", "legal_representative", "staff_count", "updated_at")
    rows = [
        *Organization.objects.order_by("pk").values_list(*org_fields),
        *AnnualInspection.objects.order_by("pk").values_list("pk", "organization_id", "year", "result"),
        *AnnualInspection.objects.order_by("pk").values_list("updated_at"),
        *GradeAward.objects.order_by("pk").values_list("pk", "organization_id", "grade", "valid_until"),
        *User.objects.order_by("pk").values_list("pk", "username", "organization_id"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def seeded(demo_db):
    """The session's seeded demo district (tests/demo_db.py)."""


def test_seed_demo_registry_has_the_pinghu_and_binhu_figures_and_valid_codes(seeded):
    registered = Organization.objects.filter(registration="registered")
    assert registered.count() == 558
    assert Counter(registered.values_list("management_mode", flat=True)) == {
        "territorial": 316,
        "industry": 218,
        "fallback": 24,
    }
    kinds = Counter(registered.values_list("kind", flat=True))
    assert kinds == {"private_non_enterprise": 414, "social_group": 143, "foundation": 1}
    filed = Organization.objects.filter(registration="filed")
    assert 250 <= filed.count() <= 350
    assert set(filed.values_list("kind", flat=True)) == {"community"}
    for uscc, kind in Organization.objects.filter(registration="registered").values_list("uscc", "kind"):
        assert uscc is not None and validate_uscc(uscc, kind=kind) == uscc


def test_seed_demo_inspections_grades_and_contact(seeded):
    inspections = AnnualInspection.objects.select_related("organization")
    assert inspections.count() > 800
    assert all(inspection_owed(i.organization, i.year) for i in inspections)
    assert set(inspections.values_list("result", flat=True)) == set(AnnualInspection.Result.values)
    graded = GradeAward.objects.values("organization").distinct().count()
    assert 0.10 * 558 <= graded <= 0.20 * 558
    assert not GradeAward.objects.filter(organization__registration="filed").exists()
    contact_org = User.objects.get(username="contact").organization
    assert contact_org is not None and contact_org.name == FLAGSHIP_NAME


def test_seed_demo_second_run_changes_nothing(seeded):
    # given
    counts = (Organization.objects.count(), AnnualInspection.objects.count(), GradeAward.objects.count())
    before = _checksum()
    # when
    call_command("seed_demo", stdout=io.StringIO())
    # then
    assert (
        Organization.objects.count(),
        AnnualInspection.objects.count(),
        GradeAward.objects.count(),
    ) == counts
    assert _checksum() == before


def test_seed_demo_keeps_a_contact_already_linked(seeded):
    other = Organization.objects.filter(registration="registered").exclude(name=FLAGSHIP_NAME).first()
    User.objects.filter(username="contact").update(organization=other)
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.get(username="contact").organization == other


def test_seed_demo_writes_through_the_services_and_only_in_the_demo_district(db):
    # given another district with an organization a bulk loader wrote (no status history yet)
    other = build_region_tree("330599")
    row = Organization(name="外区互助会", kind="community", registration="filed", region=other.community_a1)
    elsewhere = Organization.objects.bulk_create([row])[0]
    # when the demo is seeded
    call_command("seed_demo", stdout=io.StringIO())
    # then every demo organization's history was started by organization_create, the other one's not
    demo = Organization.objects.exclude(pk=elsewhere.pk)
    assert set(OrganizationStatusChange.objects.values_list("organization_id", flat=True)) == set(
        demo.values_list("pk", flat=True)
    )
    # one change-log entry stands for the registry's rows (like a registry import), none per organization
    summary = LogEntry.objects.get(additional_data__kind="demo_registry")
    assert summary.changes_dict["organizations"] == [None, str(demo.count())]
    assert not LogEntry.objects.get_for_model(Organization).exists()
    # the services only the demo calls: a relation received from outside, elections, a retired instructor
    arrived = Transfer.objects.get(direction=Transfer.Direction.IN)
    assert arrived.status == Transfer.Status.RECEIVED and arrived.member.status == "active"
    assert arrived.to_party_organization == User.objects.get(username="secretary").party_organization
    assert PartyOrganizationChange.objects.filter(details__election=True).count() >= 30
    retired = Instructor.objects.get(is_active=False)
    assert [a.until for a in retired.assignments.all()] == [HANDOVER]
    # a second run writes no second summary
    call_command("seed_demo", stdout=io.StringIO())
    assert LogEntry.objects.filter(additional_data__kind="demo_registry").count() == 1
