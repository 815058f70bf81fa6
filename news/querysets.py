from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.db.models import Q
from django.utils import timezone

from accounts.actors import is_system, require_viewer
from accounts.scoping import ScopedQuerySet

if TYPE_CHECKING:  # types only: the models import these querysets
    from accounts.actors import Actor, PublicViewer
    from accounts.models import User
    from orgs.models import Region


class ArticleQuerySet(ScopedQuerySet):
    """News is federation-wide, not per region: scope depends on authorship and publication.

    public (and secretaries, org contacts): published with a publish time already past;
    staff: every published article (scheduled ones too) and their own drafts;
    superuser: everything.
    """

    def published(self, now: datetime | None = None) -> Self:
        return self.filter(status="published", published_at__lte=now or timezone.now())

    def of_kind(self, kind: str) -> Self:
        return self.filter(kind=kind)

    def matching(self, term: str) -> Self:
        """Substring match (ILIKE '%term%') on title, summary and the body's plain text.

        Chinese has no spaces between words, so a word index would miss two-character
        terms; a substring match finds them. Fine for thousands of articles.
        """
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body_text__icontains=term)
        )

    def newest_first(self) -> Self:
        return self.order_by("-published_at", "-id")

    def for_public(self) -> Self:
        return self.published()

    def for_staff(self, region: "Region") -> Self:
        # Not reached: visible_to below answers staff by authorship, whatever their region.
        return self.filter(status="published")

    def for_secretary(self, user: "User") -> Self:
        return self.for_public()

    def for_org_contact(self, user: "User") -> Self:
        return self.for_public()

    def visible_to(self, user: "Actor | PublicViewer") -> Self:
        require_viewer(user)
        if is_system(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.for_public()
        if user.is_superuser:
            return self.all()
        if getattr(user, "is_platform_staff", False):
            return self.filter(Q(status="published") | Q(author=user))
        return self.for_public()
