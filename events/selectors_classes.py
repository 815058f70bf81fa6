"""Training credits from party-school attendance: class hours and days of the sessions a trainee came to."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Sum

from events.models import Attendance

if TYPE_CHECKING:
    from events.models import PartyClass


def training_credits(member_ids: Iterable[int]) -> dict[int, tuple[int, Decimal]]:
    """{member id: (class hours, days)} credited by attended sessions of classes they are trainees of;
    one query."""
    rows = (
        Attendance.objects.filter(
            member_id__in=list(member_ids),
            came=True,
            event__class_session__isnull=False,
            event__class_session__party_class__trainees__member_id=F("member_id"),
        )
        .values("member_id")
        .annotate(hours=Sum("event__class_session__class_hours"), days=Sum("event__class_session__days"))
        .order_by()
    )
    return {row["member_id"]: (row["hours"] or 0, row["days"] or Decimal(0)) for row in rows}


def class_credits(party_class: "PartyClass") -> dict[int, tuple[int, Decimal]]:
    """{member id: (class hours, days)} credited by the attended sessions of this one class (what its
    certificate states); one query."""
    rows = (
        Attendance.objects.filter(
            came=True,
            event__class_session__party_class=party_class,
            member__party_classes__party_class=party_class,
        )
        .values("member_id")
        .annotate(hours=Sum("event__class_session__class_hours"), days=Sum("event__class_session__days"))
        .order_by()
    )
    return {row["member_id"]: (row["hours"] or 0, row["days"] or Decimal(0)) for row in rows}


def completed(hours: int, days: Decimal) -> bool:
    """The collective-training requirement (CANDIDATE_MIN_TRAINING_HOURS class hours or
    CANDIDATE_MIN_TRAINING_DAYS days), the rule the stage service and the certificate share."""
    from django.conf import settings

    return hours >= settings.CANDIDATE_MIN_TRAINING_HOURS or days >= settings.CANDIDATE_MIN_TRAINING_DAYS
