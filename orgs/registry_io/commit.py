"""Writing one validated batch: new organizations by bulk_create, changed ones by bulk_update.

Called only inside the import's single transaction (orgs.services.registry_import),
so a failure in any batch rolls every batch back. Rows whose values equal the
stored ones are not written at all: re-importing an export changes nothing.
"""

from dataclasses import dataclass

from django.utils import timezone

from orgs.models import Organization
from orgs.registry_io.columns import IMPORT_FIELDS
from orgs.registry_io.validate import CleanRow

# bulk_update builds one CASE per field over its rows; smaller statements keep that linear.
UPDATE_BATCH_SIZE = 500
UPDATE_FIELDS = (*IMPORT_FIELDS, "updated_at")


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "WriteCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def write_batch(rows: list[CleanRow]) -> WriteCounts:
    now = timezone.now()
    new, changed, unchanged = [], [], 0
    for row in rows:
        if row.existing is None:
            new.append(Organization(**row.values))
        elif row.changed():
            changed.append(Organization(id=row.existing["id"], updated_at=now, **row.values))
        else:
            unchanged += 1
    if new:
        Organization.objects.bulk_create(new, batch_size=len(new))
    if changed:
        Organization.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=UPDATE_BATCH_SIZE)
    return WriteCounts(created=len(new), updated=len(changed), unchanged=unchanged)
