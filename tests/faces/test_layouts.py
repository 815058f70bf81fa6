"""The three faces (public, portal, admin): branding, local assets only, CSP-safe markup, phones.

The site sends `script-src 'self' <nonce>; style-src 'self' <nonce>`: an inline <script> or
<style> without the nonce, a style="" attribute or an on*="" handler is dead code in a browser,
and an asset from another host breaks on an intranet without internet (DESIGN.md: no CDN).
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve

from accounts import services

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
STATIC_DIR = Path(settings.BASE_DIR) / "static"

# name: (user fixture or None for anonymous, URL, the stylesheet that brands the page)
PAGES = {
    "public_home": (None, "/", "css/site.css"),
    "login": (None, "/accounts/login/", "css/site.css"),
    "portal_home": ("secretary", "/portal/", "css/site.css"),
    "portal_inbox": ("secretary", "/portal/inbox/", "css/site.css"),
    "admin_index": ("superuser", "/admin/", "css/admin.css"),
    "admin_login": (None, "/admin/login/", "css/admin.css"),
}


class PageParser(HTMLParser):
    """Collects what the CSP and the no-CDN rule care about."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets: list[str] = []  # <script src>, <link href>, <img src>
        self.anchors: list[str] = []  # <a href>, <form action>
        self.inline_blocks: list[tuple[str, str | None]] = []  # (tag, nonce) of <script>/<style> bodies
        self.style_attributes: list[str] = []
        self.handler_attributes: list[str] = []
        self.viewport: str | None = None
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _value in attrs:
            if name == "style":
                self.style_attributes.append(tag)
            elif name.startswith("on"):
                self.handler_attributes.append(f"{tag} {name}")
        if tag == "script":
            if attributes.get("src"):
                self.assets.append(attributes["src"])
            else:
                self.inline_blocks.append(("script", attributes.get("nonce")))
        elif tag == "style":
            self.inline_blocks.append(("style", attributes.get("nonce")))
        elif tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
            if attributes.get("rel") == "stylesheet":
                self.stylesheets.append(attributes["href"])
        elif tag == "img" and attributes.get("src"):
            self.assets.append(attributes["src"])
        elif tag == "a" and attributes.get("href"):
            self.anchors.append(attributes["href"])
        elif tag == "form" and attributes.get("action"):
            self.anchors.append(attributes["action"])
        elif tag == "meta" and attributes.get("name") == "viewport":
            self.viewport = attributes.get("content")


def _is_external(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url, re.IGNORECASE))


@pytest.fixture(params=list(PAGES), ids=list(PAGES))
def page(request, client, db):  # the home page reads articles
    """One rendered page: (name, response, parsed HTML)."""
    user_fixture, url, _stylesheet = PAGES[request.param]
    if user_fixture:
        client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    parser = PageParser()
    parser.feed(response.content.decode())
    return request.param, response, parser


def test_layout_any_page_shows_federation_name(page):
    _name, response, _parser = page
    assert settings.FEDERATION_NAME in response.content.decode()


def test_layout_any_page_links_platform_stylesheet(page):
    name, _response, parser = page
    expected = settings.STATIC_URL + PAGES[name][2]
    assert expected in parser.stylesheets


def test_layout_any_page_loads_no_external_asset(page):
    _name, _response, parser = page
    external = [url for url in parser.assets if _is_external(url)]
    assert external == []


def test_layout_any_page_has_no_inline_code_without_nonce(page):
    _name, response, parser = page
    policy = response.headers["Content-Security-Policy"]
    for tag, nonce in parser.inline_blocks:
        assert nonce, f"inline <{tag}> without a nonce is blocked by the CSP"
        assert f"'nonce-{nonce}'" in policy, f"inline <{tag}> nonce is not the one the CSP allows"
    assert parser.style_attributes == [], "style attributes are blocked by the CSP"
    assert parser.handler_attributes == [], "inline event handlers are blocked by the CSP"


def test_layout_any_page_has_viewport_meta(page):
    _name, _response, parser = page
    assert parser.viewport is not None
    assert "width=device-width" in parser.viewport


def test_layout_any_page_static_references_exist(page):
    _name, _response, parser = page
    static_paths = [
        urlsplit(url).path.removeprefix(settings.STATIC_URL)
        for url in parser.assets
        if url.startswith(settings.STATIC_URL)
    ]
    assert static_paths, "the page loads nothing from static/"
    missing = [path for path in static_paths if finders.find(path) is None]
    assert missing == []


def test_layout_any_page_links_only_to_existing_pages(page):
    _name, _response, parser = page
    broken = []
    for href in parser.anchors:
        if href.startswith("#") or _is_external(href):
            continue
        try:
            resolve(urlsplit(href).path or "/")
        except Resolver404:
            broken.append(href)
    assert broken == []


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_public_layout_nav_collapses_behind_toggle(client, db, url):
    # The phone layout hides #site-nav until the toggle (wired by static/js/site.js) opens it.
    html = client.get(url).content.decode()
    assert 'aria-controls="site-nav"' in html
    assert 'id="site-nav"' in html
    assert f'src="{settings.STATIC_URL}js/site.js"' in html


def test_public_home_anonymous_links_to_portal_login(client, db):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert 'href="/portal/"' not in html


def test_public_home_logged_in_links_to_portal_not_login(client, secretary):
    client.force_login(secretary)
    html = client.get("/").content.decode()
    assert 'href="/portal/"' in html
    assert 'href="/accounts/login/"' not in html


def test_portal_sidebar_unread_notifications_shows_badge_count(client, secretary):
    services.notification_send(recipient=secretary, title="Inspection due")
    services.notification_send(recipient=secretary, title="Theme Party day missing")
    client.force_login(secretary)
    html = client.get("/portal/").content.decode()
    assert re.search(r'data-testid="unread-count"[^>]*>2</span>', html)


def test_portal_sidebar_no_unread_notifications_shows_no_badge(client, secretary):
    client.force_login(secretary)
    html = client.get("/portal/").content.decode()
    assert 'data-testid="unread-count"' not in html


def test_portal_sidebar_current_section_is_marked(client, secretary):
    client.force_login(secretary)
    html = client.get("/portal/inbox/").content.decode()
    assert re.search(r'<a href="/portal/inbox/" aria-current="page">', html)


def _template_sources():
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def test_templates_any_file_references_no_external_asset():
    pattern = re.compile(r"""\b(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES_DIR))
        for path in _template_sources()
        if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_templates_any_static_tag_names_an_existing_file():
    pattern = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")
    missing = [
        f"{path.relative_to(TEMPLATES_DIR)}: {name}"
        for path in _template_sources()
        for name in pattern.findall(path.read_text())
        if finders.find(name) is None
    ]
    assert missing == []


def test_static_css_any_url_names_an_existing_local_file():
    pattern = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
    problems = []
    for css in sorted((STATIC_DIR / "css").rglob("*.css")):
        for url in pattern.findall(css.read_text()):
            if url.startswith("data:"):
                continue
            if _is_external(url) or not (css.parent / url).resolve().is_file():
                problems.append(f"{css.relative_to(STATIC_DIR)}: {url}")
    assert problems == []


def test_static_vendor_any_package_ships_its_licence():
    vendor = STATIC_DIR / "vendor"
    packages = [path for path in vendor.iterdir() if path.is_dir()] if vendor.is_dir() else []
    unlicensed = [
        path.name
        for path in packages
        if not any(
            child.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")) for child in path.iterdir()
        )
    ]
    assert unlicensed == []


def test_pagination_next_page_keeps_inbox_filter(client, secretary):
    for number in range(21):
        services.notification_send(recipient=secretary, title=f"Reminder {number}")
    client.force_login(secretary)
    html = client.get("/portal/inbox/?unread=1").content.decode()
    assert 'href="?unread=1&amp;page=2" rel="next"' in html
