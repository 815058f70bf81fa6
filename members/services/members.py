"""Creating and updating a person: the ID number is checked, encrypted and hashed; the phone likewise.

A person enters the system at any stage (a new applicant, or the record of an
existing member with their past dates); moving them along the pipeline later is
members.services.stages' job, and moving their relation is members.services.transfers'.
Neither the ID number nor the phone ever goes into a log or an error message.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.actors import Actor, is_system, is_unrestricted
from accounts.ratelimit import rate_limit_key
from accounts.recorded_by import recorded_by
from branches.models import PartyOrganization
from config.personal_data.crypto import keyed_hash
from config.personal_data.phones import clean_phone, phone_hash
from members.dates import age_on
from members.id_numbers import IdNumberInfo, parse_id_number
from members.models import STAGE_DATE_FIELD, STAGE_ORDER, Member, StageChange
from members.selectors import employer_choices
from members.services.errors import coded
from members.services.recruitment import recruit_refusal
from members.services.reveal import can_reveal
from members.services.scope import require_writer
from orgs.models import Organization

Stage = Member.Stage
# Fields member_update changes; stage, status and party organization have their own services.
UPDATABLE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "employer",
)


@sensitive_variables("id_number", "info")
def check_identity(
    *, id_number: str, birth_date: date | None, gender: str, stored: bool = False
) -> IdNumberInfo:
    """The parsed number; the entered birth date and gender must agree with it (empty: taken from it).

    `stored`: the number is the one on record, not one the user just typed; then a mismatch
    never names the birth date it holds (eight of the number's digits, hidden by the mask).
    """
    try:
        info = parse_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    errors = {}
    if birth_date and birth_date != info.birth_date and stored:
        errors["birth_date"] = _("The birth date differs from the one in the ID number on record.")
    elif birth_date and birth_date != info.birth_date:
        errors["birth_date"] = _(
            "The birth date %(entered)s differs from the one in the ID number (%(derived)s)."
        ) % {"entered": birth_date.isoformat(), "derived": info.birth_date.isoformat()}
    if gender and gender != info.gender:
        errors["gender"] = _("The gender differs from the one in the ID number (%(derived)s).") % {
            "derived": Member.Gender(info.gender).label
        }
    if errors:
        raise ValidationError(errors)
    return info


def id_number_hash(number: str) -> str:
    return keyed_hash(f"id:{number}")


def _count_id_check(actor: Actor) -> None:
    """A typed ID number is checked against every registered one ("already registered"): for a
    user who may not reveal, that answer is an oracle, so each check counts against a rate limit."""

    if not is_system(actor) and not can_reveal(actor):
        rate_limit_key(group="members.id_check", rate="member_id_check", key=f"user:{actor.pk}")


def _refuse_duplicate(number_hash: str, exclude_pk: int | None = None) -> None:
    others = Member.objects.filter(id_number_hash=number_hash)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise coded({"id_number": _("A person with this ID number is already registered.")}, code="duplicate")


def _check_employer(employer: Organization | None, actor: Actor) -> None:
    if employer is None or is_unrestricted(actor):
        return

    if not employer_choices(actor).filter(pk=employer.pk).exists():
        raise ValidationError(
            {"employer": _("Choose an organization inside your scope (for a secretary: one you cover).")}
        )


def stage_date_errors(member: Member, today: date) -> dict:
    """The current stage has its date; known dates are in pipeline order, not in the future,
    and the first of them falls on or after the MIN_APPLICANT_AGE birthday."""
    errors: dict[str, str] = {}
    reached = STAGE_ORDER[: STAGE_ORDER.index(member.stage) + 1]
    own_field = STAGE_DATE_FIELD[member.stage]
    if getattr(member, own_field) is None:
        errors[own_field] = _("Enter the date the person became a %(stage)s.") % {
            "stage": Member.Stage(member.stage).label
        }
    previous = None
    for stage in reached:
        field = STAGE_DATE_FIELD[stage]
        value = getattr(member, field)
        if value is None:
            continue
        if value > today:
            errors.setdefault(field, _("This date cannot be in the future."))
        elif previous is not None and value < previous[1]:
            errors.setdefault(
                field,
                _("This date cannot be before the previous step's (%(date)s).") % {"date": previous[1]},
            )
        age = age_on(member.birth_date, value) if previous is None and member.birth_date else None
        if age is not None and age < settings.MIN_APPLICANT_AGE:
            errors.setdefault(
                field,
                _("The person was %(age)d on that day; an application needs an age of %(min)d or more.")
                % {"age": age, "min": settings.MIN_APPLICANT_AGE},
            )
        previous = (field, value)
    for stage in STAGE_ORDER[len(reached) :]:
        field = STAGE_DATE_FIELD[stage]
        if getattr(member, field) is not None:
            errors.setdefault(field, _("A later step's date cannot be set before that step is taken."))
    return errors


def _save(member: Member, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError as exc:  # two writers registering the same number at once
        raise coded(
            {"id_number": _("A person with this ID number is already registered.")}, code="duplicate"
        ) from exc


@sensitive_variables("id_number", "phone", "info")
def member_create(
    *,
    name: str,
    id_number: str,
    party_organization: PartyOrganization,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str = "汉族",
    phone: str = "",
    education: str = "",
    employer: Organization | None = None,
    stage: str = Stage.APPLICANT,
    applied_on: date | None = None,
    activist_on: date | None = None,
    candidate_on: date | None = None,
    admitted_on: date | None = None,
    full_on: date | None = None,
    document: str = "",
    actor: Actor,
) -> Member:
    """Register a person at `stage`, with the date of that stage (and any earlier ones known).

    Returns the member with `warnings` (a list of messages, e.g. an address code
    stdnum does not know): shown to the user, never a refusal.
    """
    require_writer(actor, party_organization=party_organization)
    _count_id_check(actor)
    info = check_identity(id_number=id_number, birth_date=birth_date, gender=gender)
    phone = _clean_phone_field(phone)
    _check_employer(employer, actor)
    if stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
        refusal = recruit_refusal(party_organization)
        if refusal:
            raise ValidationError({"party_organization": refusal})
    member = Member(
        name=(name or "").strip(),
        gender=info.gender,
        birth_date=info.birth_date,
        ethnicity=ethnicity,
        id_number=info.number,
        id_number_hash=id_number_hash(info.number),
        phone=phone,
        phone_hash=phone_hash(phone),
        education=education,
        employer=employer,
        party_organization=party_organization,
        stage=stage,
        applied_on=applied_on,
        activist_on=activist_on,
        candidate_on=candidate_on,
        admitted_on=admitted_on,
        full_on=full_on,
    )
    errors = stage_date_errors(member, timezone.localdate())
    if party_organization.status != "active":
        errors["party_organization"] = _("%(po)s is dissolved; choose an active party organization.") % {
            "po": party_organization
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_duplicate(member.id_number_hash)
        member.full_clean(exclude=["id_number_hash"])
        _save(member)
        StageChange.objects.create(
            member=member,
            from_stage="",
            to_stage=stage,
            on=getattr(member, STAGE_DATE_FIELD[stage]),
            document=document,
            note=_("Registered"),
            **recorded_by(actor),
        )
    member.warnings = info.warnings
    return member


def _clean_phone_field(phone: str) -> str:
    try:
        return clean_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


@sensitive_variables("fields", "info", "value")
def member_update(*, member: Member, actor: Actor, **fields: Any) -> Member:
    """Change a person's own data. Pass only what changes; `id_number` is re-checked when given.

    Returns the member with `warnings` as member_create does.
    """
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"member_update() cannot change {sorted(unknown)}")
    require_writer(actor, member=member)
    warnings: list[str] = []
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        for name, value in fields.items():
            if name not in ("id_number", "phone"):
                setattr(member, name, value)
        if "employer" in fields:
            _check_employer(fields["employer"], actor)
        if "phone" in fields:
            member.phone = _clean_phone_field(fields["phone"])
            member.phone_hash = phone_hash(member.phone)
        if fields.get("id_number"):
            _count_id_check(actor)
            # A new number brings its own birth date and gender unless they are given too.
            info = check_identity(
                id_number=fields["id_number"],
                birth_date=fields.get("birth_date"),
                gender=fields.get("gender", ""),
            )
            member.birth_date, member.gender = info.birth_date, info.gender
            member.id_number = info.number
            member.id_number_hash = id_number_hash(info.number)
            _refuse_duplicate(member.id_number_hash, exclude_pk=member.pk)
            warnings = info.warnings
        else:
            check_identity(
                id_number=member.id_number, birth_date=member.birth_date, gender=member.gender, stored=True
            )
        member.name = (member.name or "").strip()
        errors = stage_date_errors(member, timezone.localdate())
        if errors:
            raise ValidationError(errors)
        member.full_clean(exclude=["id_number_hash"])
        _save(member)
    member.warnings = warnings
    return member
