"""Dues under django-auditlog. The base's amounts are left out of the log (personal data): who changed
a base is kept, the figures stay in the row (its displays are logged as reveals, dues.services.bases)."""

from auditlog.registry import auditlog

from dues.models import DuesBase, DuesEntry, DuesRoll

auditlog.register(DuesBase, exclude_fields=["monthly_income", "pledged_amount"])
auditlog.register(DuesRoll)
auditlog.register(DuesEntry)
