"""Article services: sanitised on save, covers re-encoded, who may write, links inside the scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from accounts.actors import PUBLIC
from news.models import Article
from news.services import article_create, article_delete, article_publish, article_unpublish, article_update
from tests.news.factories import make_article, png_upload
from tests.orgs.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_article_create_body_with_script_is_stored_sanitised(district_staff):
    article = article_create(
        actor=district_staff,
        kind="news",
        title="标题",
        body='<p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:alert(1)">链接</a>',
    )
    article.refresh_from_db()
    assert article.body == '<p>正文</p><a rel="noopener noreferrer">链接</a>'
    assert article.body_text == "正文 链接"
    assert article.status == Article.Status.DRAFT
    assert article.author == district_staff


def test_article_update_body_is_sanitised_again(district_staff):
    article = make_article(actor=district_staff)
    article_update(
        article=article, actor=district_staff, body='<p style="color:red">改</p><img src=x onerror=y>'
    )
    article.refresh_from_db()
    assert article.body == "<p>改</p><img>"


def test_article_create_cover_is_reencoded_and_capped(district_staff, settings):
    settings.NEWS_COVER_MAX_SIDE = 100
    article = article_create(actor=district_staff, title="封面", cover=png_upload(size=(400, 200)))
    with Image.open(article.cover.path) as image:
        assert image.size == (100, 50)
        assert image.format == "PNG"


def test_article_create_cover_not_an_image_is_refused_on_cover(district_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bogus = SimpleUploadedFile("cover.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        article_create(actor=district_staff, title="封面", cover=bogus)
    assert "cover" in error.value.message_dict
    assert not Article.objects.exists()


def test_article_create_without_title_reports_the_title_field(district_staff):
    with pytest.raises(ValidationError) as error:
        article_create(actor=district_staff, title="  ")
    assert "title" in error.value.message_dict


def test_article_create_by_secretary_is_refused(secretary):
    with pytest.raises(PermissionDenied):
        article_create(actor=secretary, title="标题")


def test_article_create_linking_org_outside_scope_is_refused(street_staff, regions):
    outside = OrganizationFactory(region=regions.community_b1)
    with pytest.raises(ValidationError) as error:
        article_create(actor=street_staff, title="标题", organizations=[outside])
    assert "organizations" in error.value.message_dict
    assert not Article.objects.exists()


def test_article_create_linking_org_inside_scope_links_it(street_staff, regions):
    inside = OrganizationFactory(region=regions.community_a1)
    article = article_create(actor=street_staff, title="标题", organizations=[inside])
    assert list(article.organizations.all()) == [inside]


def test_article_update_keeps_existing_link_outside_the_editors_scope(district_staff, street_staff, regions):
    outside = OrganizationFactory(region=regions.community_b1)
    article = make_article(actor=district_staff, organizations=[outside])
    article_update(article=article, actor=street_staff, title="新标题", organizations=[outside])
    assert list(article.organizations.all()) == [outside]


def test_article_update_other_staffs_draft_is_refused(district_staff, street_staff):
    draft = make_article(actor=district_staff, published=False)
    with pytest.raises(PermissionDenied):
        article_update(article=draft, actor=street_staff, title="改")


def test_article_publish_without_time_publishes_now(district_staff):
    draft = make_article(actor=district_staff, published=False)
    before = timezone.now()
    article = article_publish(article=draft, actor=district_staff)
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None and before <= article.published_at <= timezone.now()


def test_article_publish_future_time_is_scheduled_not_public(district_staff):
    draft = make_article(actor=district_staff, published=False)
    article_publish(article=draft, actor=district_staff, at=timezone.now() + timedelta(days=1))
    assert not Article.objects.visible_to(PUBLIC).exists()
    assert Article.objects.visible_to(district_staff).filter(pk=draft.pk).exists()


def test_article_publish_empty_article_reports_the_body(district_staff):
    draft = article_create(actor=district_staff, title="空")
    with pytest.raises(ValidationError) as error:
        article_publish(article=draft, actor=district_staff)
    assert "body" in error.value.message_dict


def test_article_unpublish_leaves_public_pages(district_staff):
    article = make_article(actor=district_staff)
    article_unpublish(article=article, actor=district_staff)
    assert not Article.objects.visible_to(PUBLIC).exists()


def test_article_delete_removes_row(district_staff):
    article = make_article(actor=district_staff)
    article_delete(article=article, actor=district_staff)
    assert not Article.objects.exists()


def test_article_published_without_time_violates_constraint(db):
    article = Article(title="x", status=Article.Status.PUBLISHED, published_at=None)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "A published article needs its publish time." in str(error.value)
