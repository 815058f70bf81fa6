from django.db import models

from accounts.actors import require_viewer


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def visible_to(self, user):
        """Only the recipient sees a notification (superusers included: it is an inbox)."""
        require_viewer(user)
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)
