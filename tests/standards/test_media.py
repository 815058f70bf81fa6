"""Public uploads answered by Django without nginx (config/media.py), and covers with their size."""

import pytest

from tests.news.factories import make_article, png_upload

pytestmark = pytest.mark.django_db


def test_media_published_cover_served_with_public_cache(client):
    article = make_article(cover=png_upload(size=(1200, 675)))

    response = client.get(article.cover.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("public")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_media_draft_cover_refused_to_anonymous_served_to_superuser(client, superuser):
    draft = make_article(cover=png_upload(), published=False)

    assert client.get(draft.cover.url).status_code == 404
    client.force_login(superuser)
    response = client.get(draft.cover.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/media/orgs/imports/2026/rows.xlsx", "/media/news/covers/../../settings.py", "/media/x.png"]
)
def test_media_other_files_answer_404(client, path, settings, tmp_path):
    (tmp_path / "x.png").write_bytes(b"\x89PNG")
    settings.MEDIA_ROOT = tmp_path
    assert client.get(path).status_code == 404


def test_media_cover_img_has_width_and_height(client):
    article = make_article(cover=png_upload(size=(1200, 675)))

    page = client.get("/news/").content.decode()
    detail = client.get(article.get_absolute_url()).content.decode()

    assert article.cover_width == 1200 and article.cover_height == 675
    assert f'src="{article.cover.url}" width="1200" height="675"' in page
    assert f'src="{article.cover.url}" width="1200" height="675"' in detail
