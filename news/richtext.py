"""Rich text of articles: sanitised once, on save, by nh3 (the Rust `ammonia` sanitiser).

The admin's editor (Quill) helps staff format text; it protects nothing. Whatever reaches
`sanitize_html` (typed, pasted from a Word file or a web page, or posted by hand) leaves
with ordinary formatting only: paragraphs, headings h2–h4, bold/italic/underline, lists,
quotes, tables, links (http, https, mailto or same-site paths, with rel="noopener
noreferrer") and images served by this site. Scripts and styles are dropped with their
content; event handlers, style attributes, javascript: and data: URLs never survive
(ammonia parses the HTML as a browser would, so entity-encoded or mixed-case schemes are
judged after decoding).
"""

import html
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# The editor's alignment classes (styled by static/css/news.css); any other class is dropped.
ALIGN_CLASSES = {"ql-align-center", "ql-align-right", "ql-align-justify"}
ALLOWED_CLASSES = dict.fromkeys(("p", "h2", "h3", "h4", "li", "blockquote"), ALIGN_CLASSES)
URL_SCHEMES = {"http", "https", "mailto"}
NUMERIC_ATTRIBUTES = {"width", "height", "colspan", "rowspan", "start"}


def _same_site_path(value: str) -> bool:
    """A path on this site ("/media/…"): no scheme, no host, not protocol-relative ("//host")."""
    value = value.strip()
    parts = urlsplit(value)
    return (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
        and "\\" not in value
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Pictures come from this site only: no tracking pixels, nothing the CSP (img-src 'self') blocks.
        return value.strip() if _same_site_path(value) else None
    if attribute in NUMERIC_ATTRIBUTES:
        return value if value.strip().isdigit() and len(value.strip()) <= 4 else None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(value: str) -> str:
    """The HTML of `value` reduced to the ordinary formatting above; safe to render unescaped."""
    return _CLEANER.clean(value or "").strip()


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, one space between blocks: for search and descriptions."""
    spaced = value.replace("<", " <")
    return " ".join(html.unescape(strip_tags(spaced)).split())
