"""HTML, JSON and XML answers are gzipped for clients that accept it (GZipMiddleware)."""

import gzip

import pytest

from tests.news.factories import make_articles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/sitemap-news.xml", "/news/feed/", "/api/schema/?format=json"])
def test_compression_text_answers_gzipped_when_accepted(client, url):
    make_articles(30)

    plain = client.get(url)
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == compressed.status_code == 200
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content)
    assert len(compressed.content) < len(body)
