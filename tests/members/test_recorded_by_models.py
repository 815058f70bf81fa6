"""Issue 16: every model that keeps who recorded a row keeps it one way (accounts.recorded_by.RecordedBy):
the user, or the system actor's name; the services fill it through `recorded_by(actor)` /
`set_recorder(actor)`."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import translation

from accounts.recorded_by import RecordedBy
from members.models import StageChange
from members.services.transfers import transfer_send
from orgs.models import OrganizationStatusChange
from orgs.services.status_history import organization_status_record
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory
from tests.orgs.factories import OrganizationFactory

RECORDING_MODELS = [
    "alliances.ProgramProgress",
    "alliances.GridServiceRecord",
    "branches.PartyOrganizationChange",
    "dues.DuesBase",
    "dues.DuesEntry",
    "events.AppraisalFollowUp",
    "events.AppraisalResult",
    "events.PointEntry",
    "members.AffiliationRecord",
    "members.RecruitmentRecord",
    "members.StageChange",
    "members.Transfer",
    "orgs.OrganizationStatusChange",
]


@pytest.mark.parametrize("label", RECORDING_MODELS)
def test_recording_model_keeps_its_recorder_through_the_mixin(label):
    model = apps.get_model(label)
    names = {field.name for field in model._meta.get_fields()}
    assert issubclass(model, RecordedBy)
    assert {"recorded_by", "recorded_by_system", "recorded_at"} <= names
    assert "actor" not in names  # the old private copy of the pair is gone


def test_no_other_model_keeps_a_recorded_by_user_of_its_own():
    """A model with a "recorded by" user column outside the mixin would be a new private copy."""
    mixin_models = {apps.get_model(label) for label in RECORDING_MODELS}
    with translation.override("en"):
        recorders = {
            model
            for model in apps.get_models()
            for field in model._meta.get_fields()
            if str(getattr(field, "verbose_name", "")) == "recorded by"
        }
    assert recorders == mixin_models


@pytest.mark.django_db
def test_stage_change_records_the_system_by_name(pos):
    member = MemberFactory(party_organization=pos.branch_a)  # member_create by the tests' system actor
    change = StageChange.objects.get(member=member)
    assert (change.recorded_by, change.recorded_by_system) == (None, SYSTEM.name)


@pytest.mark.django_db
def test_transfer_records_the_user_who_sent_it(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a)
    transfer = transfer_send(
        member=member, to_party_organization=pos.branch_b, sent_on=dt.date(2025, 3, 1), actor=secretary_a
    )
    transfer.refresh_from_db()
    assert (transfer.recorded_by, transfer.recorded_by_system, transfer.recorded_by_label) == (
        secretary_a,
        "",
        str(secretary_a),
    )


@pytest.mark.django_db
def test_status_history_rows_record_the_user_or_the_system(district_staff):
    org = OrganizationFactory()  # created by the tests' system actor: its registration row says so
    registration = OrganizationStatusChange.objects.get(organization=org, kind="registered")
    assert (registration.recorded_by, registration.recorded_by_system) == (None, SYSTEM.name)
    row = organization_status_record(
        organization=org, kind="deregistered", on=dt.date(2025, 6, 1), actor=district_staff
    )
    row.refresh_from_db()
    assert (row.recorded_by, row.recorded_by_system) == (district_staff, "")


def test_set_recorder_overwrites_both_columns(district_staff):
    row = StageChange(recorded_by_system="tests.old")
    row.set_recorder(district_staff)
    assert (row.recorded_by, row.recorded_by_system) == (district_staff, "")
    row.set_recorder(SYSTEM)
    assert (row.recorded_by, row.recorded_by_system, row.recorded_by_label) == (
        None,
        SYSTEM.name,
        SYSTEM.name,
    )
    with pytest.raises(TypeError):
        row.set_recorder(None)  # type: ignore[arg-type]  # None is refused: what this test shows
