from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from config.date_bounds import date_in_range
from news.querysets import ArticleQuerySet

DESCRIPTION_CHARS = 120  # meta description when an article has no summary


class Article(models.Model):
    """A public article: news (党建经纬), a showcase (典型风采) or a notice (通知公告).

    `body` holds HTML already sanitised by news.services (news.richtext); templates
    mark it safe for that reason only. Only news.services writes rows.
    """

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        SHOWCASE = "showcase", _("Showcase")
        NOTICE = "notice", _("Notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in lists, feeds and search engines."),
    )
    body = models.TextField(_("body"), blank=True)
    body_text = models.TextField(_("body as plain text"), blank=True, editable=False)
    cover = models.ImageField(
        _("cover image"),
        upload_to="news/covers/%Y/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    # Stored on save: pages give <img> its width and height (no layout shift) without opening the file.
    cover_width = models.PositiveIntegerField(_("cover width"), null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(_("cover height"), null=True, blank=True, editable=False)
    organizations = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("organizations"), blank=True, related_name="articles"
    )
    party_organizations = models.ManyToManyField(
        "branches.PartyOrganization",
        verbose_name=_("party organizations"),
        blank=True,
        related_name="articles",
    )
    # TODO(alliances): add `alliances = ManyToManyField("alliances.Alliance", related_name="articles")`
    # once the alliances app exists, with the same scope check in news.services._check_links.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Empty: now. A time in the future schedules the article."),
        validators=[date_in_range],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_article_status_pub_idx"),
            models.Index(fields=["kind", "status", "-published_at"], name="news_article_kind_pub_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="news_article_published_has_time",
                violation_error_message=_("A published article needs its publish time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.pk])

    @property
    def description(self) -> str:
        """The summary, or the beginning of the text: for meta descriptions and feeds."""
        return self.summary or Truncator(" ".join(self.body_text.split())).chars(DESCRIPTION_CHARS)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
