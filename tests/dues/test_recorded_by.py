"""Who recorded a row (accounts.recorded_by.RecordedBy): one pair of columns on dues bases, ledger
entries and temporary/flowing periods — the user, or the system actor's name shown by its label."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.actors import DUES_ROLL_JOB
from accounts.recorded_by import recorded_by
from dues.models import DuesBase, DuesEntry
from dues.services.payments import dues_payment_record
from members.models import AffiliationRecord
from tests.dues.factories import base_for, roll_for
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_recorded_by_user_or_system_name_and_none_refused(district_staff):
    assert recorded_by(district_staff) == {"recorded_by": district_staff, "recorded_by_system": ""}
    assert recorded_by(DUES_ROLL_JOB) == {"recorded_by": None, "recorded_by_system": DUES_ROLL_JOB.name}
    with pytest.raises(TypeError):
        recorded_by(None)  # type: ignore[arg-type]  # None is refused: what this test shows


def test_recorded_by_label_names_the_user_or_the_system_actor(district_staff):
    assert DuesBase(recorded_by=district_staff).recorded_by_label == str(district_staff)
    assert str(DuesEntry(recorded_by_system=DUES_ROLL_JOB.name).recorded_by_label) == "the monthly dues roll"
    assert AffiliationRecord(recorded_by_system="tests.unknown").recorded_by_label == "tests.unknown"
    assert AffiliationRecord().recorded_by_label == ""


def test_dues_entry_admin_shows_who_recorded_the_payment(pos, district_staff, superuser):
    # given: a payment recorded by district staff and a base recorded by a job
    member = MemberFactory(party_organization=pos.branch_a)
    base = base_for(member, income="4000")
    line = roll_for(pos.branch_a).lines.get(member=member)
    paid_on = dt.date(2025, 1, 5)
    entry = dues_payment_record(line=line, amount=Decimal("10"), paid_on=paid_on, actor=district_staff)
    assert (entry.recorded_by, entry.recorded_by_system) == (district_staff, "")
    client = Client()
    client.force_login(superuser)
    # then: the ledger shows the user, the base page the job's label
    listing = client.get(reverse("admin:dues_duesentry_changelist")).content.decode()
    assert str(district_staff) in listing
    base.recorded_by, base.recorded_by_system = None, DUES_ROLL_JOB.name
    base.save(update_fields=["recorded_by", "recorded_by_system"])
    page = client.get(reverse("admin:dues_duesbase_change", args=[base.pk])).content.decode()
    assert "the monthly dues roll" in page
