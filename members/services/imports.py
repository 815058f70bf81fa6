"""Writing a members import: every row re-validated inside one transaction, then all rows or none.

Called by the import job in the worker (members.services.import_jobs): bulk inserts for new people and their
first StageChange, one bulk update for people already registered (their own data
only). Bulk writes bypass the per-row audit log; the import itself is the record.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.recorded_by import recorded_by
from members.import_export.validate import ImportCheck, MemberImportValidator
from members.models import Member, StageChange
from members.services.members import STAGE_DATE_FIELD

UPDATE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "education",
    "phone",
    "phone_hash",
    "employer_id",
    "updated_at",
)
BATCH_SIZE = 500


class ImportInvalid(Exception):
    """The rows no longer validate (the data changed since the preview); nothing was written."""

    def __init__(self, check: ImportCheck):
        super().__init__("member import invalid")
        self.check = check


def member_import_check(*, user, raw_rows) -> ImportCheck:
    """The preview: every error and warning, nothing written."""
    _require_importer(user)
    return MemberImportValidator(user).validate(raw_rows)


def _require_importer(user) -> None:
    if (
        user is None
        or not user.is_active
        or not (user.is_superuser or getattr(user, "role", None) == "staff")
    ):
        raise PermissionDenied


@sensitive_variables("raw_rows")
@transaction.atomic
def member_import_commit(*, user, raw_rows) -> ImportCheck:
    """Write every row or none; raises ImportInvalid (rolled back) if any row fails now."""
    _require_importer(user)
    check = MemberImportValidator(user).validate(raw_rows)
    if check.errors:
        raise ImportInvalid(check)
    now = timezone.now()
    new = [Member(**row.values) for row in check.rows if row.existing_id is None]
    Member.objects.bulk_create(new, batch_size=BATCH_SIZE)
    StageChange.objects.bulk_create(
        [
            StageChange(
                member=member,
                from_stage="",
                to_stage=member.stage,
                on=getattr(member, STAGE_DATE_FIELD[member.stage]),
                note="Excel",
                **recorded_by(user),
            )
            for member in new
        ],
        batch_size=BATCH_SIZE,
    )
    changed = []
    for row in check.rows:
        if row.existing_id is not None:
            values = {k: v for k, v in row.values.items() if k in UPDATE_FIELDS}
            changed.append(Member(pk=row.existing_id, updated_at=now, **values))
    Member.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=BATCH_SIZE)
    return check
