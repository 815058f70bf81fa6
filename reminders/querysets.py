from datetime import date
from typing import TYPE_CHECKING, Self

from django.db.models import Q

from accounts.scoping import ScopedQuerySet
from orgs.querysets import in_region_q

if TYPE_CHECKING:  # types only: the models import these querysets
    from accounts.models import User
    from orgs.models import Region


class ReminderQuerySet(ScopedQuerySet):
    def open(self) -> Self:
        """Reminders on an obligation (due or overdue), not the copies escalated to staff."""
        return self.filter(stage__in=("due", "overdue"))

    def due_between(self, first: date, last: date) -> Self:
        return self.filter(due_on__gte=first, due_on__lte=last)

    def in_region(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "region__"))

    def for_staff(self, region: "Region") -> Self:
        return self.in_region(region)

    def for_secretary(self, user: "User") -> Self:
        return self.filter(deliveries__recipient=user).distinct()

    def for_org_contact(self, user: "User") -> Self:
        return self.filter(deliveries__recipient=user).distinct()


class ReminderDeliveryQuerySet(ScopedQuerySet):
    def for_staff(self, region: "Region") -> Self:
        return self.filter(in_region_q(region, "reminder__region__"))

    def for_secretary(self, user: "User") -> Self:
        return self.filter(Q(recipient=user))

    def for_org_contact(self, user: "User") -> Self:
        return self.filter(Q(recipient=user))
