"""What a strict Content-Security-Policy blocks in a page, found by parsing it."""

from html.parser import HTMLParser

JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP blocks: un-nonced inline <script>/<style>, handlers, style attributes."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []
        self.external_scripts: list[str] = []

    def _nonced(self, attrs: dict) -> bool:
        return self.nonce is not None and attrs.get("nonce") == self.nonce

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
        if "style" in attrs:
            self.problems.append(f"<{tag} style=...> inline style attribute")
        if tag == "script":
            if attrs.get("src"):
                self.external_scripts.append(attrs["src"])
            elif attrs.get("type") not in JSON_SCRIPT_TYPES and not self._nonced(attrs):
                self.problems.append("<script> inline without the response's nonce")
        if tag == "style" and not self._nonced(attrs):
            self.problems.append("<style> inline without the response's nonce")
