"""The committed zh_Hans catalogue: complete, not fuzzy, and compiled from the .po as it stands.

Users read Chinese by default, so an English string left untranslated is a defect. The
.po is read with a small parser (polib is not a dependency); the .mo is read by the
standard library's gettext, the same reader Django uses. File times say nothing after a
git checkout, so "the .mo is stale" is decided by comparing contents.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(text: str) -> list[Entry]:
    """Active entries of a .po file (obsolete `#~` ones skipped), header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
            assert entry is not None and target is not None  # a continuation follows its keyword
            if target[0] == "msgstr":
                assert target[1] is not None
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + value)
            continue
        value = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
            entry = Entry(flags=flags, line=number)
            entries.append(entry)
            flags = set()
        assert entry is not None  # the file starts with the header's msgid
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            entry.msgstr[index] = value
            target = ("msgstr", index)
        else:
            setattr(entry, keyword, value)
            target = (keyword, None)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return [e for e in entries if e.msgid]


def _where(bad: list[Entry]) -> str:
    return "\n".join(f"django.po:{e.line}: {e.msgid[:70]!r}" for e in bad[:20])


def test_parse_po_reads_context_plural_and_continued_lines():
    text = (
        'msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "person"\nmsgid "name"\nmsgstr "姓名"\n\n'
        'msgid "%(n)d row"\nmsgid_plural "%(n)d rows"\nmsgstr[0] ""\n"%(n)d 行"\n\n'
        '#~ msgid "gone"\n#~ msgstr "已删除"\n'
    )

    header, name, rows = parse_po(text)

    assert header.msgstr[0] == "Plural-Forms: nplurals=1; plural=0;\n"
    assert (name.key, name.msgstr, name.flags) == ("person\x04name", {0: "姓名"}, {"fuzzy", "python-format"})
    assert (rows.msgid_plural, rows.msgstr) == ("%(n)d rows", {0: "%(n)d 行"})


def test_catalogue_po_has_messages(messages):
    assert len(messages) > 100


def test_catalogue_po_every_message_translated(messages):
    untranslated = [e for e in messages if not all(e.msgstr.values()) or not e.msgstr]

    assert not untranslated, f"{len(untranslated)} untranslated (run `make messages`, translate):\n" + _where(
        untranslated
    )


def test_catalogue_po_no_fuzzy_entry(entries):
    fuzzy = [e for e in entries if "fuzzy" in e.flags]

    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check the wording, drop the flag):\n" + _where(fuzzy)


def test_catalogue_po_header_declares_one_plural_form(entries):
    header = entries[0]

    assert header.msgid == ""
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_catalogue_po_placeholders_kept(messages):
    wrong = [
        e
        for e in messages
        for text in e.msgstr.values()
        if {"python-format", "python-brace-format"} & e.flags
        and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
    ]

    assert not wrong, "placeholders differ between msgid and msgstr:\n" + _where(wrong)


def test_catalogue_mo_compiled_from_the_po(messages):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]  # private
    expected = {}
    for e in messages:
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            expected.update({(e.key, n): text for n, text in e.msgstr.items()})
    compiled = {key: text for key, text in compiled.items() if key != ""}

    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    extra = sorted(str(k) for k in compiled.keys() - expected.keys())
    changed = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    examples = (missing + extra + changed)[:5]
    assert not (missing or extra or changed), (
        "django.mo is out of date with django.po; run `manage.py compilemessages --locale zh_Hans`: "
        f"{len(missing)} missing, {len(extra)} extra, {len(changed)} changed, e.g. {examples}"
    )


def test_catalogue_active_for_the_default_language(project_catalogue):
    with translation.override(settings.LANGUAGE_CODE):
        assert _("Social Organization Party Building Platform") == "社会组织党建工作平台"
        assert _("Log in") == "登录"
