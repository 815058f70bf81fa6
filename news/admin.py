"""Articles in the admin: staff write and publish through news.services; the editor is served locally."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_services import ServiceModelAdmin, run_each
from config.service_forms import ServiceModelForm
from news import services
from news.models import Article
from news.widgets import RichTextWidget
from orgs.images import clean_uploaded_image

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "cover", "organizations", "party_organizations")


class ArticleAdminForm(ServiceModelForm):
    class Meta:
        model = Article
        fields = (*EDITABLE_FIELDS, "status", "published_at")
        widgets = {"body": RichTextWidget(), "summary": forms.Textarea(attrs={"rows": 3})}

    def clean_cover(self) -> Any:
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            # Checked here so a bad picture is reported on its field; the service re-encodes it on save.
            clean_uploaded_image(cover, max_side=settings.NEWS_COVER_MAX_SIDE)
            cover.seek(0)
        return cover

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        # Published without a time: keep the one it had, else now (what article_publish does).
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = self.instance.published_at or timezone.now()
        return cleaned

    def write(self) -> Article:
        data = self.cleaned_data
        actor = self.actor
        fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
        if fields.get("cover") is None:
            fields.pop("cover", None)  # unchanged (False means "clear" was ticked)
        if self.original is not None:
            saved = services.article_update(article=self.original, actor=actor, **fields)
        else:
            saved = services.article_create(actor=actor, **fields)
        if data.get("status") == Article.Status.PUBLISHED:
            at = data.get("published_at")
            if saved.status != Article.Status.PUBLISHED or (at and at != saved.published_at):
                saved = services.article_publish(article=saved, actor=actor, at=at)
        elif saved.status == Article.Status.PUBLISHED:
            saved = services.article_unpublish(article=saved, actor=actor)
        return saved


@admin.register(Article)
class ArticleAdmin(ServiceModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "kind", "status", "published_at", "author")
    list_filter = ("status", "kind")
    list_select_related = ("author",)
    search_fields = ("title", "summary")
    date_hierarchy = "published_at"
    autocomplete_fields = ("organizations", "party_organizations")
    readonly_fields = ("author", "created_at", "updated_at")
    actions = ("publish_articles", "unpublish_articles")
    list_per_page = 50
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("kind", "title", "summary", "body", "cover")}),
        (_("Links"), {"fields": ("organizations", "party_organizations")}),
        (_("Publication"), {"fields": ("status", "published_at", "author", "created_at", "updated_at")}),
    )

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        services.article_delete(article=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            services.article_delete(article=article, actor=request.user)

    def _apply(
        self, request: HttpRequest, queryset: QuerySet[Article], service: Callable[..., Article]
    ) -> int:
        return run_each(
            self,
            request,
            queryset.order_by("pk"),
            lambda article: service(article=article, actor=request.user),
            refusals=(ValidationError, PermissionDenied),
        )

    @admin.action(description=_("Publish the selected articles now"))
    def publish_articles(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        done = self._apply(request, queryset.filter(status=Article.Status.DRAFT), services.article_publish)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw the selected articles (back to draft)"))
    def unpublish_articles(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        done = self._apply(
            request, queryset.filter(status=Article.Status.PUBLISHED), services.article_unpublish
        )
        self.message_user(
            request,
            ngettext("%(count)d article withdrawn.", "%(count)d articles withdrawn.", done) % {"count": done},
            messages.SUCCESS,
        )
