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
from tests.standards.site_crawl import crawl_role

pytestmark = pytest.mark.django_db

ROLES = [None, "admin", "district", "street", "secretary", "contact"]
START = ["/", "/portal/", "/admin/", "/accounts/login/", "/sitemap.xml", "/robots.txt"]
# Not English prose, each for a reason:
ALLOWED = frozenset(
    word.lower()
    for word in [
        "English",
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
    ]
)
# - "English": the language switch names each language in that language.
# - file formats, units and protocols: their names are the same in Chinese text.
# - the demo accounts' usernames (accounts/demo.py), shown in the admin's user list: data.


def test_crawl_every_role_zh_hans_shows_no_english(client, seeded):
    started = time.monotonic()
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    broken = {}
    pages = 0
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
            for word in english_words(page.text, ALLOWED):
                found[word][f"{username or 'anonymous'} {page.url}"] += 1
    summary.record("pages crawled (all roles)", pages)
    summary.record("English words found", sum(sum(c.values()) for c in found.values()))
    print(f"crawled {pages} pages in {time.monotonic() - started:.0f}s")
    report = [
        f"{word} ×{sum(where.values())}: {', '.join(list(where)[:3])}"
        for word, where in sorted(found.items())
    ]
    assert not report, "English on zh-hans pages:\n" + "\n".join(report)
    assert broken == {}
