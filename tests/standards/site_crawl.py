"""A crawl of every page a role can reach (public, portal and admin), one page per URL shape.

Admin and portal lists link to thousands of rows that share one template: a URL's shape (its path
with numbers replaced, and its query's parameter names) is fetched once per role, which keeps the
crawl to a few hundred requests while every template and every view is still rendered.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from tests.public.crawler import LinkParser

# Never followed: assets, the API, the language switch and what signs the user out.
# The superuser-only device and token admin pages of django-otp and django-rest-knox are third-party
# forms whose field labels and help texts come untranslated from those libraries (their app and model
# names are ours: accounts.third_party_names); they are left out of the crawl.
SKIP_PREFIXES = (
    "/static/",
    "/media/",
    "/api/",
    "/i18n/",
    "/accounts/logout/",
    "/admin/logout/",
    "/admin/otp_totp/",
    "/admin/otp_static/",
    "/admin/knox/",
)
# GET links that change nothing but answer a file: fetched (they must work) but not parsed.
HOSTS = ("", "testserver")


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    text: str


@dataclass
class Crawl:
    pages: dict[str, Fetched] = field(default_factory=dict)

    def html(self) -> list[Fetched]:
        return [p for p in self.pages.values() if p.status == 200 and p.content_type.startswith("text/html")]


def shape(url: str) -> str:
    """`/admin/orgs/organization/12/change/?o=1` → `/admin/orgs/organization/#/change/?`.

    A filtered or sorted list renders the template of the unfiltered one: one of them is enough."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "#", parts.path)
    if parts.path.startswith("/admin/"):  # the admin's filters, sort orders and popups: same templates
        return path
    return f"{path}?" if parse_qsl(parts.query, keep_blank_values=True) else path


def _target(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in HOSTS:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def crawl_role(client, start: list[str], *, max_pages: int = 600) -> Crawl:
    result = Crawl()
    seen_shapes: set[str] = set()
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in result.pages or shape(url) in seen_shapes:
            continue
        seen_shapes.add(shape(url))
        if len(result.pages) >= max_pages:
            raise AssertionError(f"more than {max_pages} URL shapes: a link loop? last: {url}")
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        streamed = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content) if streamed else response.content
        readable = "text" in content_type or "xml" in content_type
        text = body.decode("utf-8", errors="replace") if readable else ""
        result.pages[url] = Fetched(url, response.status_code, content_type, text)
        if response.status_code in (301, 302) and (target := _target(url, response["Location"])):
            queue.append(target)
        elif content_type.startswith("text/html"):
            parser = LinkParser()
            parser.feed(text)
            queue.extend(t for href in parser.links if (t := _target(url, href)))
    return result
