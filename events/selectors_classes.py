"""Training credits from party-school attendance: class hours and days of the sessions a trainee came to."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, QuerySet, Sum

from accounts.scoping import get_visible_or_404
from events.models import Attendance, PartyClass, PartyClassSession, PartyClassTrainee


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


def class_credits(party_class: PartyClass) -> dict[int, tuple[int, Decimal]]:
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
    return hours >= settings.CANDIDATE_MIN_TRAINING_HOURS or days >= settings.CANDIDATE_MIN_TRAINING_DAYS


def party_class_for_page(user: Any, pk: int | str) -> PartyClass:
    """One party class `user` may see (404 outside the scope), with its party organization."""
    return get_visible_or_404(PartyClass.objects.select_related("party_organization"), user, pk=pk)


def party_classes_for_list(user: Any) -> QuerySet[PartyClass]:
    """The party classes `user` may see, latest first, with their party organization and the number
    of trainees and sessions."""
    return (
        PartyClass.objects.visible_to(user)
        .select_related("party_organization")
        .annotate(
            trainee_count=Count("trainees", distinct=True), session_count=Count("sessions", distinct=True)
        )
    )


def party_classes_for_api(user: Any, *, detail: bool = False) -> QuerySet[PartyClass]:
    """As `party_classes_for_list`, latest first; with `detail`, the trainees (members) and sessions
    (events) as well."""
    queryset = party_classes_for_list(user).order_by("-starts_on", "id")
    if not detail:
        return queryset
    return queryset.prefetch_related(
        Prefetch(
            "trainees",
            queryset=PartyClassTrainee.objects.select_related("member").order_by("member__name", "id"),
        ),
        Prefetch(
            "sessions",
            queryset=PartyClassSession.objects.select_related("event").order_by("event__starts_at", "id"),
        ),
    )


def class_trainees(party_class: PartyClass) -> QuerySet[PartyClassTrainee]:
    """A class's trainees by name, with the member and the member's party organization."""
    return party_class.trainees.select_related("member", "member__party_organization").order_by(
        "member__name", "pk"
    )


def class_sessions(party_class: PartyClass) -> QuerySet[PartyClassSession]:
    """A class's sessions in time order, with their events."""
    return party_class.sessions.select_related("event").order_by("event__starts_at", "pk")


def class_trainee(party_class: PartyClass, member_pk: int | str) -> PartyClassTrainee | None:
    """The trainee row of member `member_pk` in the class, with the member (None if not a trainee)."""
    return party_class.trainees.select_related("member").filter(member_id=member_pk).first()
