"""Articles written through news.services, so every factory article is sanitised like real ones."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article
from news.services import article_create, article_publish
from tests.actors import SYSTEM


def png_upload(name: str = "cover.png", size=(320, 180), color=(183, 28, 28)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def make_article(
    *,
    title: str = "社会组织党建工作推进会召开",
    kind: str = Article.Kind.NEWS,
    summary: str = "会议部署应建尽建工作。",
    body: str = "<p>正文第一段。</p>",
    published: bool = True,
    published_at=None,
    actor=SYSTEM,
    **fields,
) -> Article:
    article = article_create(actor=actor, kind=kind, title=title, summary=summary, body=body, **fields)
    if published:
        article = article_publish(
            article=article, actor=actor, at=published_at or timezone.now() - timedelta(hours=1)
        )
    return article


def make_articles(count: int, **fields) -> list[Article]:
    now = timezone.now()
    return [
        make_article(title=f"新闻标题{n}", published_at=now - timedelta(hours=n + 1), **fields)
        for n in range(count)
    ]
