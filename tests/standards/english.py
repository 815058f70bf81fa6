"""English words a reader sees on a zh-hans page: text, titles, placeholders, labels, button values."""

import re
from html.parser import HTMLParser

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# Text inside these is code or data for machines (or what the user typed, in a textarea), never prose.
SKIPPED = {"script", "style", "code", "pre", "kbd", "samp", "template", "svg", "math", "textarea"}
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
BUTTONS = ("submit", "button", "reset")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# Recorded data, not interface: the audit log's change column and change table show the field
# keys and values a service recorded (django-auditlog stores them as written).
SKIPPED_CLASSES = {"field-msg_short", "field-msg"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip_depth = 0  # > 0 inside a skipped element: its open descendants, counted

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in VOID:
            if self._skip_depth:
                return
        elif self._skip_depth:
            self._skip_depth += 1
            return
        elif tag in SKIPPED or SKIPPED_CLASSES & set((attributes.get("class") or "").split()):
            self._skip_depth = 1
            return
        self.chunks.extend(attributes[name] for name in READ_ATTRIBUTES if attributes.get(name))
        if tag == "input" and attributes.get("type") in BUTTONS and attributes.get("value"):
            self.chunks.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._skip_depth and tag not in VOID:
            self._skip_depth -= 1

    def handle_data(self, data):
        if not self._skip_depth:
            self.chunks.append(data)


def _without_machine_text(text: str) -> str:
    """Drop URLs, e-mail addresses, file names and identifiers written with digits or symbols."""
    text = re.sub(r"(?:https?://|www\.)\S+|\S+@\S+|/[\w./?=&%-]+|\b[\w-]+(?:/[\w.-]+)+", " ", text)
    # a masked value (a password hash's summary); "<unknown>", what django-axes records for a missing header
    text = re.sub(r"\S*\*{3,}\S*|<unknown>", " ", text)
    text = re.sub(r"python manage\.py [\w-]+|celery -A \w+ \w+", " ", text)  # a command to type
    text = re.sub(r"\b[\w-]+\.(?:xlsx|xls|csv|pdf|png|jpe?g|ics|xml|txt|html?)\b", " ", text, flags=re.I)
    return re.sub(r"\b\w*\d\w*\b|\b\w+_\w+\b", " ", text)


def english_words(html: str, allowed: frozenset[str]) -> list[str]:
    """Each English word of the visible text (case kept), less the allowlist (compared lower-case)."""
    parser = VisibleText()
    parser.feed(html)
    words = []
    for chunk in parser.chunks:
        for word in WORD.findall(_without_machine_text(chunk)):
            if word.lower().strip("'’-") not in allowed:
                words.append(word)
    return words
