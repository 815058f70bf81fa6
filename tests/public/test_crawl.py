"""No personal data on any public page or feed (DESIGN.md: public pages never show ID numbers,
phones, birth dates or member lists).

Seeds the demo site (seed_demo), adds what the demo may lack (members with ID numbers, mobile
phones and birth dates; organizations whose contact phone is a mobile), then crawls every public
URL reachable from / (links, GET forms, the RSS feed, the sitemap index and its sections), same
origin, GET only, skipping /admin/, /portal/, /accounts/, /api/, /static/, /media/ and /i18n/.
It fails on anything shaped like a resident ID number or a mainland mobile number, and on any
private value stored in the database: every organization's contact phone, every user's e-mail,
every member's ID number, phone and birth date.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.actors import PUBLIC
from accounts.models import User
from config.personal_data.phones import phone_hash
from members.models import Member
from news.models import Article
from orgs.models import Organization
from orgs.services.organizations import organization_update
from tests.actors import SYSTEM
from tests.public.crawler import crawl
from tests.public.personal_data import id_numbers_in, mobiles_in

pytestmark = pytest.mark.django_db

MOBILE_CONTACTS = ["13957300001", "15857300002", "18657300003"]


def _add_members() -> list:
    """Members held by demo party organizations, employed by the public flagship organization."""
    from branches.models import PartyOrganization
    from members.id_numbers import make_id_number
    from members.models import Member
    from members.services.members import member_create

    flagship = Organization.objects.visible_to(PUBLIC).order_by("pk").first()
    branch = PartyOrganization.objects.exclude(kind="comprehensive_committee").order_by("pk").first()
    for n in range(6):
        birth = dt.date(1955 + n * 5, 1 + n, 3 + n * 4)
        member_create(
            actor=SYSTEM,
            name=f"测试党员{n}",
            id_number=make_id_number("110101", birth, 11 + 2 * n),
            birth_date=birth,
            phone=f"1390573{n:04d}",
            party_organization=branch,
            employer=flagship,
            stage=Member.Stage.FULL,
            applied_on=dt.date(2010, 3, 1),
            activist_on=dt.date(2010, 9, 1),
            candidate_on=dt.date(2011, 10, 1),
            admitted_on=dt.date(2012, 6, 1),
            full_on=dt.date(2013, 6, 1),
        )
    return list(Member.objects.all())


def _date_forms(day: dt.date) -> set[str]:
    return {day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y/%m/%d")}


def _private_values() -> dict[str, str]:
    """{value: what it is} for every private value in the database."""
    values = {}
    for pk, phone in Organization.objects.exclude(contact_phone="").values_list("pk", "contact_phone"):
        values[phone] = f"contact phone of organization {pk}"
    for pk, email in User.objects.exclude(email="").values_list("pk", "email"):
        values[email] = f"e-mail of user {pk}"
    # A birth date equal to a date the site shows for other reasons (an organization's founding,
    # an article's publication) cannot be told apart on a page: only the others are checked.
    public_days = set(Organization.objects.values_list("established_on", flat=True))
    public_days |= set(Organization.objects.values_list("registered_on", flat=True))
    public_days |= {
        timezone.localdate(at) for at in Article.objects.values_list("published_at", flat=True) if at
    }
    for member in Member.objects.all():
        values[member.id_number] = f"ID number of member {member.pk}"
        if member.phone:
            values[member.phone] = f"phone of member {member.pk}"
        if member.birth_date not in public_days:
            for form in _date_forms(member.birth_date):
                values[form] = f"birth date of member {member.pk}"
    return values


@pytest.fixture
def seeded_site(settings, demo_db):
    for organization, phone in zip(
        Organization.objects.visible_to(PUBLIC).order_by("pk")[:3], MOBILE_CONTACTS, strict=True
    ):
        organization_update(organization=organization, actor=SYSTEM, contact_phone=phone)
    members = _add_members()
    return {"members": members}


def test_crawl_public_site_shows_no_personal_data_and_titles_every_page(client, seeded_site):
    # given: the seeded site with private values in the database
    private = _private_values()
    assert len(seeded_site["members"]) >= 6 and sum("member" in v for v in private.values()) >= 12
    private_pattern = re.compile("|".join(re.escape(v) for v in sorted(private, key=len, reverse=True)))

    # when: everything public is fetched
    result = crawl(client, ["/", "/sitemap.xml", "/news/feed/", "/search/?q=社会组织"])

    # then: the crawl reached every public article and organization page …
    visited = set(result.pages)
    articles = {f"/news/{pk}/" for pk in Article.objects.visible_to(PUBLIC).values_list("pk", flat=True)}
    organizations = {
        f"/orgs/{pk}/" for pk in Organization.objects.visible_to(PUBLIC).values_list("pk", flat=True)
    }
    assert articles and articles <= visited
    assert organizations and organizations <= visited
    broken = {url: page.status for url, page in result.pages.items() if page.status not in (200, 301, 302)}
    assert broken == {}

    # … and none of them shows personal data
    problems = []
    for url, page in result.pages.items():
        for number in id_numbers_in(page.text):
            problems.append(f"{url}: ID-number-shaped {number}")
        for number in mobiles_in(page.text):
            problems.append(f"{url}: mobile-number-shaped {number}")
        for match in private_pattern.finditer(page.text):
            problems.append(f"{url}: {private[match.group(0)]}")
    assert problems == []

    # every public HTML page has a title and a meta description
    untitled = [
        page.url
        for page in result.html_pages()
        if page.status == 200 and not ((page.title or "").strip() and (page.description or "").strip())
    ]
    assert untitled == []

    # control: the staff face does show a contact phone, and the same checks see it there
    phone_org = Organization.objects.get(contact_phone_hash=phone_hash(MOBILE_CONTACTS[0]))
    client.force_login(User.objects.get(username="admin"))
    staff_page = client.get(f"/admin/orgs/organization/{phone_org.pk}/change/").content.decode()
    assert MOBILE_CONTACTS[0] in mobiles_in(staff_page)
    assert private_pattern.search(staff_page)
