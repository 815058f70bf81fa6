"""Demo articles: a dozen published Chinese articles with covers, written once."""

import pytest
from PIL import Image

from accounts.actors import PUBLIC
from news.demo import seed_articles
from news.demo_texts import ARTICLES
from news.models import Article

pytestmark = pytest.mark.django_db


def test_seed_articles_second_run_creates_nothing():
    assert seed_articles() == len(ARTICLES)
    assert seed_articles() == 0
    assert Article.objects.count() == len(ARTICLES)


def test_seed_articles_are_public_chinese_with_covers():
    seed_articles()
    public = Article.objects.visible_to(PUBLIC)
    assert public.count() == len(ARTICLES) >= 12
    assert set(public.values_list("kind", flat=True)) == {"news", "showcase", "notice"}
    for article in public:
        assert article.cover
        with Image.open(article.cover.path) as image:
            assert image.size == (1200, 675)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in article.title)
