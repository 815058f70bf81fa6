"""A same-origin GET crawler over Django's test client: follows links, feeds and sitemaps."""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Not public faces (or not pages): never followed.
SKIP_PREFIXES = ("/admin/", "/portal/", "/accounts/", "/api/", "/static/", "/media/", "/i18n/")
HOSTS = ("", "testserver")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = None
        self.description = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        followed = tag == "a" or (tag == "link" and attributes.get("rel") in ("alternate", "canonical"))
        if followed and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.links.append(attributes.get("action") or "")
        elif tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content")
        elif tag == "title":
            self._in_title = True
            self.title = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str
    title: str | None = None
    description: str | None = None


@dataclass
class CrawlResult:
    pages: dict[str, Page] = field(default_factory=dict)

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages.values() if p.content_type.startswith("text/html")]


def normalise(base: str, href: str) -> str | None:
    """The same-origin path (with query, without fragment) `href` points to, or None to skip it."""
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _xml_locations(text: str) -> list[str]:
    import re

    return re.findall(r"<(?:loc|link)>([^<]+)</(?:loc|link)>", text)


def crawl(client, start: list[str], *, max_pages: int = 5000) -> CrawlResult:
    result = CrawlResult()
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in result.pages:
            continue
        if len(result.pages) >= max_pages:
            raise AssertionError(f"more than {max_pages} public URLs: a link loop? last: {url}")
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        text = response.content.decode("utf-8", errors="replace")
        page = Page(url=url, status=response.status_code, content_type=content_type, text=text)
        result.pages[url] = page
        if response.status_code in (301, 302):
            target = normalise(url, response["Location"])
            if target:
                queue.append(target)
            continue
        if content_type.startswith("text/html"):
            parser = LinkParser()
            parser.feed(text)
            page.title, page.description = parser.title, parser.description
            hrefs = parser.links
        elif "xml" in content_type:
            hrefs = _xml_locations(text)
        else:
            hrefs = []
        for href in hrefs:
            target = normalise(url, href)
            if target and target not in result.pages:
                queue.append(target)
    return result
