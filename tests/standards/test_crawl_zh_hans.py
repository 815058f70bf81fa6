"""Every page of every role, in zh-hans with the project catalogue: no English a reader sees.

The crawl (tests/standards/site_crawl.py) starts from the public home, the portal and the admin
as anonymous and as each demo account (superuser, district staff, street staff, secretary, org
contact), follows every same-origin link and GET form, and fetches each URL shape once per role.
"""

import collections
import time

import pytest

from accounts.models import User
from tests.standards import summary
from tests.standards.english import english_words
from tests.standards.nu_checker import check_folder, missing_tools
from tests.standards.site_crawl import crawl_role, shape

pytestmark = pytest.mark.django_db

ROLES = [None, "admin", "district", "street", "secretary", "contact"]
START = ["/", "/portal/", "/admin/", "/accounts/login/", "/sitemap.xml", "/robots.txt"]
# Not English prose, each for a reason:
ALLOWED = frozenset(
    word.lower()
    for word in [
        "English",
        "API",  # API 令牌: the acronym is the name officers use
        "TOTP",  # the standard's name on the two-factor enrolment page
        "dues",  # a system actor's code name in the change history (dues.demo)
        "Control",
        "Command",
        "Mac",
        "RSS",
        "iCalendar",
        "Excel",
        "CSV",
        "JPEG",
        "PNG",
        "WebP",
        "MB",
        "KB",
        "xlsx",
        "ID",
        "IP",
        "HTTP",
        "GET",
        "POST",
        "LDAP",
        "sha",
        "admin",
        "district",
        "street",
        "secretary",
        "contact",
        "demo",
    ]
)
# - "English": the language switch names each language in that language.
# - Control, Command, Mac: key and computer names, kept in Django's own Chinese help text.
# - file formats, units and protocols: their names are the same in Chinese text.
# - the demo accounts' usernames (accounts/demo.py), shown in the admin's user list, and the
#   note "demo" of the demo members' stage records (members/demo.py): data.


# Errors in markup the project does not write, each with the widget that writes it:
THIRD_PARTY = [
    # Django admin's AutocompleteSelect (<select … lang="zh-CN">): a required one has no <option>
    # until its script loads the choices, or only the selected one (no placeholder); an optional
    # one starts with an empty <option value="">.
    ("must have a descendant “option” element", 'zh-CN">'),
    ("must have either an empty “value” attribute, or must have no text content", 'zh-CN">'),
    ("Element “option” without attribute “label” must not be empty", 'value=""></option>'),
    # Django's BoundField gives the hidden "initial-" twin of a show_hidden_initial field the
    # visible field's aria-describedby.
    ("must not have any “aria-*” attributes", 'name="initial-'),
    # Django's ReadOnlyPasswordHashWidget renders <div disabled>.
    ("Attribute “disabled” not allowed on element “div”", 'id="id_password"'),
]
# Errors in templates another engineer is moving (templates/reminders/dashboard/ → stats/):
# counted and printed, fixed there.
ELSEWHERE = [("Bad value “” for attribute “action”", 'class="dash-picker"')]


def _matches(error: dict, rules) -> bool:
    return any(message in error["message"] and markup in error["extract"] for message, markup in rules)


def third_party(error: dict) -> bool:
    return _matches(error, THIRD_PARTY)


def _save(folder, saved: dict, username, page) -> None:
    """One file per URL shape (the first role to reach it), for one vnu run over the folder."""
    key = shape(page.url)
    if key not in saved:
        name = f"page{len(saved):04d}.html"
        (folder / name).write_text(page.text, encoding="utf-8")
        saved[key] = (name, f"{username or 'anonymous'} {page.url}")


def test_crawl_every_role_zh_hans_shows_no_english_and_valid_html(client, seeded, tmp_path):
    started = time.monotonic()
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    broken = {}
    pages = 0
    saved: dict[str, tuple[str, str]] = {}
    for username in ROLES:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        result = crawl_role(client, START)
        for url, page in result.pages.items():
            if page.status == 404 or page.status >= 500:
                broken[f"{username} {url}"] = page.status
        for page in result.html():
            pages += 1
            _save(tmp_path, saved, username, page)
            for word in english_words(page.text, ALLOWED):
                found[word][f"{username or 'anonymous'} {page.url}"] += 1
    summary.record("pages crawled (all roles)", pages)
    summary.record("English words found", sum(sum(c.values()) for c in found.values()))
    print(f"crawled {pages} pages in {time.monotonic() - started:.0f}s")
    report = [
        f"{word} ×{sum(where.values())}: {', '.join(list(where)[:3])}"
        for word, where in sorted(found.items())
    ]

    # the Nu HTML checker, once over every saved page
    if problem := missing_tools():
        pytest.fail(problem)
    where = dict(saved.values())
    reported = [e for e in check_folder(tmp_path) if not third_party(e)]
    errors = [e for e in reported if not _matches(e, ELSEWHERE)]
    summary.record("vnu errors from project templates", len(errors))
    summary.record(
        "vnu errors in templates/reminders/dashboard (moving to stats/)", len(reported) - len(errors)
    )
    grouped = collections.defaultdict(list)  # one line per (message, markup), with its pages
    for e in errors:
        grouped[(e["message"], " ".join(e["extract"].split()))].append(where[e["file"]])
    invalid = [f"{m} [{x}] ×{len(p)}: {', '.join(p[:2])}" for (m, x), p in sorted(grouped.items())]

    # then: one failure that lists everything (a fix for one check should not hide the next)
    failures = [
        *(["English on zh-hans pages:", *report] if report else []),
        *([f"Nu HTML checker errors ({len(errors)}):", *invalid[:80]] if invalid else []),
        *(["Broken pages:", *(f"{url}: {status}" for url, status in broken.items())] if broken else []),
    ]
    assert not failures, "\n".join(failures)
