"""Public news pages, feed, sitemap and search: content, titles, descriptions, constant queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.news.factories import make_article, make_articles
from tests.orgs.factories import OrganizationFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/news/", "/news/?kind=showcase", "/news/feed/", "/search/?q=新闻"])
def test_list_pages_query_count_same_for_5_and_50_articles(client, url):
    make_articles(5, kind="news", cover=None)
    make_articles(5, kind="showcase")
    small = page_queries(client, url)
    make_articles(45, kind="news")
    make_articles(45, kind="showcase")
    assert page_queries(client, url) == small


def test_article_detail_query_count_same_with_many_links(client, regions):
    few = make_article(organizations=[OrganizationFactory()])
    many = make_article(organizations=[OrganizationFactory() for _ in range(10)])
    assert page_queries(client, f"/news/{few.pk}/") == page_queries(client, f"/news/{many.pk}/")


def test_article_detail_shows_title_description_and_sanitised_body(client):
    article = make_article(
        title="阳光社工党支部风采",
        summary="把党的工作做到居民家门口。",
        body='<h2>小标题</h2><p>正文<script>alert("x")</script></p>',
    )
    html = client.get(f"/news/{article.pk}/").content.decode()
    assert re.search(r"<title>阳光社工党支部风采 · ", html)
    assert '<meta name="description" content="把党的工作做到居民家门口。">' in html
    assert "<h2>小标题</h2><p>正文</p>" in html
    assert "alert" not in html


def test_article_detail_without_summary_describes_with_text_start(client):
    article = make_article(summary="", body="<p>" + "社会组织" * 60 + "</p>")
    html = client.get(f"/news/{article.pk}/").content.decode()
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert match is not None
    description = match.group(1)
    assert description.startswith("社会组织社会组织")
    assert len(description) <= 120


def test_article_detail_draft_is_404_for_public(client, district_staff):
    draft = make_article(published=False, actor=district_staff)
    assert client.get(f"/news/{draft.pk}/").status_code == 404


def test_article_detail_own_draft_previewed_by_author_not_indexed(client, district_staff):
    draft = make_article(published=False, actor=district_staff)
    client.force_login(district_staff)
    html = client.get(f"/news/{draft.pk}/").content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_article_detail_shows_only_public_linked_organizations(client, regions):
    public = OrganizationFactory(name="公开的社工中心")
    hidden = OrganizationFactory(name="不公开的协会")
    hidden.is_public = False
    hidden.save(update_fields=["is_public"])
    article = make_article(organizations=[public, hidden])
    html = client.get(f"/news/{article.pk}/").content.decode()
    assert "公开的社工中心" in html
    assert "不公开的协会" not in html


def test_article_list_kind_filter_shows_only_that_kind(client):
    make_article(title="一条新闻", kind="news")
    make_article(title="一个典型", kind="showcase")
    html = client.get("/news/?kind=showcase").content.decode()
    assert "一个典型" in html
    assert "一条新闻" not in html


def test_article_list_bad_kind_shows_everything(client):
    make_article(title="一条新闻", kind="news")
    response = client.get("/news/?kind=bogus")
    assert response.status_code == 200
    assert "一条新闻" in response.content.decode()


def test_article_list_paginates_newest_first(client):
    make_articles(12)
    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert "新闻标题0<" in first and "新闻标题9<" in first and "新闻标题10<" not in first
    assert "新闻标题10<" in second and "新闻标题11<" in second


def test_article_list_hides_scheduled_and_drafts(client):
    make_article(title="定时文章", published_at=timezone.now() + timedelta(hours=3))
    make_article(title="草稿文章", published=False)
    html = client.get("/news/").content.decode()
    assert "定时文章" not in html and "草稿文章" not in html


@pytest.mark.parametrize("term", ["养老", "志愿"])
def test_search_two_chinese_characters_finds_articles_and_organizations(client, regions, term):
    make_article(title=f"社区{term}服务进网格", body="<p>正文</p>")
    make_article(title="无关新闻", body=f"<p>正文提到{term}工作</p>")
    OrganizationFactory(name=f"东湖街道{term}服务中心")
    html = client.get("/search/", {"q": term}).content.decode()
    assert f"社区{term}服务进网格" in html
    assert "无关新闻" in html  # found in the body text
    assert f"东湖街道{term}服务中心" in html


def test_search_never_lists_private_organizations_or_drafts(client, regions):
    hidden = OrganizationFactory(name="隐藏养老协会")
    hidden.is_public = False
    hidden.save(update_fields=["is_public"])
    make_article(title="养老草稿", published=False)
    html = client.get("/search/", {"q": "养老"}).content.decode()
    assert "隐藏养老协会" not in html and "养老草稿" not in html


def test_search_matches_tag_names_not(client):
    make_article(title="普通新闻", body="<p><strong>加粗</strong></p>")
    html = client.get("/search/", {"q": "strong"}).content.decode()
    assert "普通新闻" not in html


def test_feed_lists_published_articles_without_authors(client, district_staff):
    make_article(title="公开新闻", summary="摘要文字", actor=district_staff)
    make_article(title="草稿新闻", published=False, actor=district_staff)
    response = client.get("/news/feed/")
    xml = response.content.decode()
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>公开新闻</title>" in xml and "摘要文字" in xml
    assert "草稿新闻" not in xml
    assert district_staff.username not in xml and district_staff.last_name not in xml


def test_sitemap_index_lists_sections_and_sections_list_public_urls(client, regions):
    article = make_article()
    draft = make_article(published=False)
    org = OrganizationFactory()
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", index)
    assert sections == [
        "/sitemap-pages.xml",
        "/sitemap-news.xml",
        "/sitemap-organizations.xml",
        "/sitemap-events.xml",
        "/sitemap-alliances.xml",
    ]
    locs = set()
    for section in sections:
        locs |= set(re.findall(r"<loc>http://testserver(/[^<]*)</loc>", client.get(section).content.decode()))
    assert {
        "/",
        "/news/",
        "/orgs/",
        "/events/",
        "/alliances/",
        f"/news/{article.pk}/",
        f"/orgs/{org.pk}/",
    } <= locs
    assert f"/news/{draft.pk}/" not in locs


@pytest.mark.parametrize("url", ["/", "/news/", "/search/", "/search/?q=党建"])
def test_public_pages_have_title_and_description(client, url):
    make_article()
    html = client.get(url).content.decode()
    assert re.search(r"<title>[^<]+</title>", html)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)


def test_home_shows_latest_of_each_kind(client):
    make_article(title="最新新闻", kind=Article.Kind.NEWS)
    make_article(title="典型风采", kind=Article.Kind.SHOWCASE)
    make_article(title="通知公告", kind=Article.Kind.NOTICE)
    html = client.get("/").content.decode()
    assert "最新新闻" in html and "典型风采" in html and "通知公告" in html


def test_rss_feed_parsed_by_feedparser_lists_published_articles(client, db):
    import feedparser

    from tests.news.factories import make_article

    article = make_article(title="全区社会组织党建工作推进会召开")
    make_article(title="草稿", published=False)

    parsed = feedparser.parse(client.get("/news/feed/").content)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version.startswith("rss")
    assert [entry.title for entry in parsed.entries] == [article.title]
    assert parsed.entries[0].link.endswith(article.get_absolute_url())
