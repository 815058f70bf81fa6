"""Article admin: staff write through the services, the editor's assets are local, publish actions."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from accounts.actors import PUBLIC
from news.models import Article
from tests.news.factories import make_article, png_upload

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"
LIST_URL = "/admin/news/article/"


def _form(**overrides):
    data = {
        "kind": "news",
        "title": "推进会召开",
        "summary": "摘要",
        "body": '<p onmouseover="x()">正文<script>alert(1)</script></p>',
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
    }
    data.update(overrides)
    return data


def test_admin_add_form_loads_editor_from_static(client, district_staff):
    client.force_login(district_staff)
    html = client.get(ADD_URL).content.decode()
    for asset in ("vendor/quill/quill.js", "vendor/quill/quill.snow.css", "js/richtext.js"):
        assert f"{settings.STATIC_URL}{asset}" in html
        assert finders.find(asset) is not None
    assert "data-richtext" in html
    assert "cdn" not in html.lower()


def test_admin_add_article_is_sanitised_and_authored(client, district_staff):
    client.force_login(district_staff)
    response = client.post(ADD_URL, _form(cover=png_upload()))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.body == "<p>正文</p>"
    assert article.author == district_staff
    assert article.status == Article.Status.DRAFT
    assert article.cover.name is not None and article.cover.name.startswith("news/covers/")


def test_admin_add_published_without_time_is_published_now(client, district_staff):
    client.force_login(district_staff)
    response = client.post(ADD_URL, _form(status="published"))
    assert response.status_code == 302
    assert Article.objects.visible_to(PUBLIC).count() == 1


def test_admin_add_bad_cover_reports_the_cover_field(client, district_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(district_staff)
    bogus = SimpleUploadedFile("c.png", b"not an image", content_type="image/png")
    response = client.post(ADD_URL, _form(cover=bogus))
    assert response.status_code == 200
    assert "cover" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_admin_publish_action_publishes_drafts(client, district_staff):
    draft = make_article(actor=district_staff, published=False)
    client.force_login(district_staff)
    response = client.post(LIST_URL, {"action": "publish_articles", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_admin_unpublish_action_withdraws(client, district_staff):
    article = make_article(actor=district_staff)
    client.force_login(district_staff)
    client.post(LIST_URL, {"action": "unpublish_articles", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_admin_other_staffs_draft_is_404(client, district_staff, street_staff):
    draft = make_article(actor=district_staff, published=False)
    client.force_login(street_staff)
    assert client.get(f"{LIST_URL}{draft.pk}/change/").status_code == 404


@pytest.mark.parametrize("user", ["secretary", "org_contact"])
def test_admin_changelist_non_staff_is_refused(client, role_users, user):
    client.force_login(role_users[user])
    assert client.get(LIST_URL).status_code in (302, 403)


def test_admin_changelist_staff_sees_published_and_own_drafts(client, district_staff, street_staff):
    make_article(title="区级已发布", actor=district_staff)
    make_article(title="区级草稿", actor=district_staff, published=False)
    make_article(title="街道草稿", actor=street_staff, published=False)
    client.force_login(street_staff)
    html = client.get(LIST_URL).content.decode()
    assert "区级已发布" in html and "街道草稿" in html
    assert "区级草稿" not in html
