"""Members under django-auditlog: who changed what, when. Personal data never enters the log.

The ID number and phone (and their keyed hashes, which would let anyone holding the
key confirm a guess) are excluded outright, not masked: auditlog's masking keeps half
of the string. Reveals are logged separately (RevealLog).
"""

from auditlog.registry import auditlog

from members.models import Member, RecruitmentRecord, StageChange, Transfer, TransferLetter

SENSITIVE_FIELDS = ["id_number", "phone", "id_number_hash", "phone_hash"]

auditlog.register(
    Member,
    exclude_fields=[*SENSITIVE_FIELDS, "updated_at"],
    m2m_fields={"introducers", "contacts"},
)
auditlog.register(StageChange)
auditlog.register(Transfer)
auditlog.register(TransferLetter)
auditlog.register(RecruitmentRecord)
