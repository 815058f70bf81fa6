"""Articles in the admin: staff write and publish through news.services; the editor is served locally."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_scoping import ScopedModelAdmin
from news import services
from news.models import Article
from news.widgets import RichTextWidget
from orgs.images import clean_uploaded_image

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "cover", "organizations", "party_organizations")


class ArticleAdminForm(forms.ModelForm):
    actor = None  # set by ArticleAdmin.get_form: the links are judged by the service's rule

    class Meta:
        model = Article
        fields = (*EDITABLE_FIELDS, "status", "published_at")
        widgets = {"body": RichTextWidget(), "summary": forms.Textarea(attrs={"rows": 3})}

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            # Checked here so a bad picture is reported on its field; the service re-encodes it on save.
            clean_uploaded_image(cover, max_side=settings.NEWS_COVER_MAX_SIDE)
            cover.seek(0)
        return cover

    def clean(self):
        cleaned = super().clean()
        # Published without a time: keep the one it had, else now (what article_publish does).
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = self.instance.published_at or timezone.now()
        links = {name: cleaned[name] for name in services.LINK_FIELDS if cleaned.get(name) is not None}
        try:
            services.article_check_links(actor=self.actor, article=self.instance, links=links)
        except ValidationError as exc:  # on the field it names, not a 500 from save_model
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(Article)
class ArticleAdmin(ScopedModelAdmin):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
        if fields.get("cover") is None:
            fields.pop("cover", None)  # unchanged (False means "clear" was ticked)
        if change:
            saved = services.article_update(article=obj, actor=request.user, **fields)
        else:
            saved = services.article_create(actor=request.user, **fields)
        if data.get("status") == Article.Status.PUBLISHED:
            at = data.get("published_at")
            if saved.status != Article.Status.PUBLISHED or (at and at != saved.published_at):
                saved = services.article_publish(article=saved, actor=request.user, at=at)
        elif saved.status == Article.Status.PUBLISHED:
            saved = services.article_unpublish(article=saved, actor=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The links were written by the service (after its scope check); only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, actor=request.user)

    def _apply(self, request, queryset, service) -> int:
        done = 0
        for article in queryset.order_by("pk"):
            try:
                service(article=article, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{article}: {text}", messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Publish the selected articles now"))
    def publish_articles(self, request, queryset):
        done = self._apply(request, queryset.filter(status=Article.Status.DRAFT), services.article_publish)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw the selected articles (back to draft)"))
    def unpublish_articles(self, request, queryset):
        done = self._apply(
            request, queryset.filter(status=Article.Status.PUBLISHED), services.article_unpublish
        )
        self.message_user(
            request,
            ngettext("%(count)d article withdrawn.", "%(count)d articles withdrawn.", done) % {"count": done},
            messages.SUCCESS,
        )
