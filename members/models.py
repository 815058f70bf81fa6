from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.recorded_by import RecordedBy
from config.choices import ChoiceDisplayMixin
from config.date_bounds import date_in_range
from config.imports.models import ImportJob
from config.personal_data.fields import EncryptedTextField
from config.personal_data.masking import mask_id_number, mask_phone
from members.querysets import (
    MemberQuerySet,
    RevealLogQuerySet,
    StageChangeQuerySet,
    TransferLetterQuerySet,
    TransferQuerySet,
)


class Member(ChoiceDisplayMixin, models.Model):
    """A Party member or a person in the recruitment pipeline.

    The resident ID number and phone are encrypted at rest (members.crypto) and
    looked up through keyed hashes; templates, exports and the API use the
    `*_masked` properties. Stage changes only through members.services.stages.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Stage(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVIST = "activist", _("Activist")
        CANDIDATE = "candidate", _("Candidate for membership")
        PROBATIONARY = "probationary", _("Probationary member")
        FULL = "full", _("Full member")

    class Affiliation(models.TextChoices):
        FORMAL = "formal", _("Formal relation")
        TEMPORARY = "temporary", _("Temporary (dual) relation")
        FLOWING = "flowing", _("Flowing member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Membership suspended")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        LEFT = "left", _("Left")
        DECEASED = "deceased", _("Deceased")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school or below")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary / vocational")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctorate")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"), validators=[date_in_range])
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    employer = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("employer organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employed_members",
    )
    party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("party organization holding the relation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    # Derived, never typed: the kind of the temporary/flowing period open today (AffiliationRecord),
    # else formal; written only by members.services.affiliations (see there for why a column).
    affiliation = models.CharField(
        _("affiliation"),
        max_length=20,
        choices=Affiliation.choices,
        default=Affiliation.FORMAL,
        editable=False,
        help_text=_("Follows the member's temporary or flowing period; record or end a period to change it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    applied_on = models.DateField(_("applied on"), null=True, blank=True, validators=[date_in_range])
    activist_on = models.DateField(_("activist since"), null=True, blank=True, validators=[date_in_range])
    candidate_on = models.DateField(_("candidate since"), null=True, blank=True, validators=[date_in_range])
    admitted_on = models.DateField(
        _("admission vote on"),
        null=True,
        blank=True,
        help_text=_("Probation starts on the vote."),
        validators=[date_in_range],
    )
    probation_extended_months = models.PositiveSmallIntegerField(_("probation extended (months)"), default=0)
    full_on = models.DateField(_("full member since"), null=True, blank=True, validators=[date_in_range])
    training_hours = models.PositiveSmallIntegerField(_("collective training (class hours)"), default=0)
    training_days = models.PositiveSmallIntegerField(_("collective training (days)"), default=0)
    political_review_passed_on = models.DateField(
        _("political review passed on"), null=True, blank=True, validators=[date_in_range]
    )
    introducers = models.ManyToManyField(
        "self", verbose_name=_("introducers"), symmetrical=False, blank=True, related_name="introduced"
    )
    contacts = models.ManyToManyField(
        "self",
        verbose_name=_("cultivation contacts"),
        symmetrical=False,
        blank=True,
        related_name="cultivated",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MemberQuerySet.as_manager()
    warnings: list[str]  # set by the services on the member they return: what the user should know

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "id"]
        indexes = [
            models.Index(
                fields=["party_organization", "status", "stage"], name="members_po_status_stage_idx"
            ),
            models.Index(fields=["employer", "status", "stage"], name="members_emp_status_stage_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probation_extended_months=0)
                | Q(probation_extended_months__gte=6, probation_extended_months__lte=12),
                name="members_probation_extension_6_to_12",
                violation_error_message=_("Probation may be extended by 6 to 12 months."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


# The pipeline in order, each stage with the date field it starts on: the one list that services,
# the import, the coverage engine and the public home read.
STAGE_DATE_FIELD: dict[str, str] = {
    Member.Stage.APPLICANT: "applied_on",
    Member.Stage.ACTIVIST: "activist_on",
    Member.Stage.CANDIDATE: "candidate_on",
    Member.Stage.PROBATIONARY: "admitted_on",
    Member.Stage.FULL: "full_on",
}
STAGE_ORDER = tuple(STAGE_DATE_FIELD)
PARTY_MEMBER_STAGES = (Member.Stage.PROBATIONARY, Member.Stage.FULL)  # Party members proper


class StageChange(RecordedBy):
    """Who moved a person along the pipeline, when, and on which document."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Member.Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Member.Stage.choices)
    # Set on a status change (suspension, reinstatement, leaving, death): the status from `on` on, so
    # the status on any day is read from the history (members.services.periods), not from today's.
    to_status = models.CharField(
        _("status from this day"), max_length=20, choices=Member.Status.choices, blank=True
    )
    on = models.DateField(_("effective on"), validators=[date_in_range])
    document = models.CharField(_("document"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-on", "-id"]

    def __str__(self):
        source = self.get_from_stage_display() if self.from_stage else "—"
        return f"{self.member} {source} → {self.get_to_stage_display()}"


class Transfer(RecordedBy):
    """A move of a member's relation (组织关系转接); the sender stays responsible until received."""

    class Direction(models.TextChoices):
        INTERNAL = "internal", _("Within the system")
        OUT = "out", _("Out of the system")
        IN = "in", _("Into the system")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers"
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    from_party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_party_organization = models.ForeignKey(
        "branches.PartyOrganization",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    outside_unit = models.CharField(_("unit outside the system"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_on = models.DateField(_("sent on"), validators=[date_in_range])
    received_on = models.DateField(_("received on"), null=True, blank=True, validators=[date_in_range])
    letter_number = models.CharField(_("introduction letter number"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = TransferQuerySet.as_manager()
    warnings: list[str]  # set by transfer_send: the member's warnings

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="members_one_pending_transfer",
                violation_error_message=_("This member already has a pending transfer."),
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("sent_on")),
                name="members_transfer_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_direction_display()}"


class RevealLog(models.Model):
    """Audit row for every reveal of a full ID number or phone, and every exact lookup by one
    (`field` "lookup_id_number" / "lookup_phone"; no member when the lookup found nobody)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reveals",
    )
    field = models.CharField(_("field"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revealed by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = RevealLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.field} {self.member_id}"


class LetterCounter(models.Model):
    """The last transfer-letter serial issued in a district and year. Locked (select_for_update) by
    members.services.letters while a letter takes the next serial, in the same transaction as the
    letter: a rollback returns the serial, so the numbers have no gaps."""

    district = models.ForeignKey(
        "orgs.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="letter_counters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("transfer letter counter")
        verbose_name_plural = _("transfer letter counters")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="members_one_letter_counter_per_year"),
        ]

    def __str__(self):
        return f"{self.district_id} {self.year}: {self.last_serial}"


class TransferLetter(models.Model):
    """The introduction letter (介绍信) with its receipt (回执) of one transfer, numbered by district and
    year. The first print is the original; every later print is marked as a copy."""

    transfer = models.OneToOneField(
        Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT, related_name="letter"
    )
    district = models.ForeignKey(
        "orgs.Region", verbose_name=_("district"), on_delete=models.PROTECT, related_name="transfer_letters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("letter number"), max_length=100, unique=True)
    issued_on = models.DateField(_("issued on"))
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    print_count = models.PositiveIntegerField(_("times printed"), default=0)
    receipt_confirmed_on = models.DateField(_("receipt confirmed on"), null=True, blank=True)
    receipt_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receipt confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TransferLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "serial"], name="members_letter_serial_unique"
            ),
            models.CheckConstraint(condition=Q(serial__gte=1), name="members_letter_serial_positive"),
        ]

    def __str__(self):
        return self.number


class RecruitmentRecord(RecordedBy):
    """A dated step of the recruitment procedure (发展党员工作细则 2014) that is not a stage change:
    the talk after the application, the six-monthly review of an activist, the development plan
    (列入发展计划), the application form (志愿书) with its number, and the superior committee's approval
    of an admission (the branch submits, the committee approves or returns). members.services.stages
    refuses a stage step whose record is missing (members.services.recruitment_steps)."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk after the application")
        ACTIVIST_REVIEW = "activist_review", _("Six-monthly review of the activist")
        DEVELOPMENT_PLAN = "development_plan", _("Included in the development plan")
        APPLICATION_FORM = "application_form", _("Application form (志愿书) issued")
        APPROVAL = "approval", _("Superior committee's approval of the admission")

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting the committee")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="recruitment_records"
    )
    kind = models.CharField(_("step"), max_length=30, choices=Kind.choices)
    on = models.DateField(_("on"))
    number = models.CharField(_("number or document"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # recorded_by, recorded_by_system, recorded_at: accounts.recorded_by.RecordedBy

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment step")
        verbose_name_plural = _("recruitment steps")
        ordering = ["member_id", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="application_form") | ~Q(number=""),
                name="members_application_form_has_number",
                violation_error_message=_("Enter the application form's number."),
            ),
            models.CheckConstraint(
                condition=Q(kind="approval", decision__in=["submitted", "approved", "returned"])
                | (~Q(kind="approval") & Q(decision="")),
                name="members_approval_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("on")),
                name="members_approval_decided_after_submission",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.on}"


class MemberImport(ImportJob):
    """One upload of the members workbook, checked then written by Celery jobs in the worker
    (members.services.import_jobs, on the shared config.imports job)."""

    upload_folder = "member_imports"  # private storage: the sheets hold full ID numbers

    new_count = models.PositiveIntegerField(_("people to add"), default=0)
    update_count = models.PositiveIntegerField(_("people to update"), default=0)
    # errors and warnings: [[row, column header, message], ...]
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta(ImportJob.Meta):
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="members_import_user_idx")]


from members.models_affiliations import AffiliationRecord  # noqa: E402, F401  (registered with the app)
