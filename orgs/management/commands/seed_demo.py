import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.actors import DEMO_SEEDER
from accounts.demo import DEMO_TOTP_SECRET, DEMO_USERS, demo_totp_code, seed_users
from accounts.models import Role, User
from accounts.services import user_links_set
from alliances.demo import seed_alliances
from branches.demo import seed_party_organizations
from config import page_cache
from dues.demo import seed_dues
from events.demo import seed_events
from events.demo_appraisals import seed_appraisal
from events.demo_classes import seed_party_class
from members.demo import seed_members
from members.demo_affiliations import seed_affiliations
from news.demo import seed_articles
from orgs.demo.organizations import flagship_organization, seed_organizations
from orgs.demo.regions import seed_regions
from orgs.demo.reset import DemoResetRefused, demo_reset
from stats.demo import seed_snapshots


class Command(BaseCommand):
    help = (
        "Load the demo district (code 330499), its organizations, party tree, people and accounts. "
        "Confined and idempotent: it writes only inside the demo district, and a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove everything in the demo district first, then rebuild it (nothing outside it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Thousands of service calls: the public page cache is bumped once at the end, not once per
        # statement (config.page_cache.one_bump); also when a part fails after earlier parts committed.
        try:
            with page_cache.one_bump():
                self._seed(**options)
        except BaseException:
            page_cache.invalidate()
            raise

    def _seed(self, **options: Any) -> None:
        if options["reset"]:
            try:
                removed = demo_reset()
            except DemoResetRefused as exc:
                raise CommandError(f"Demo not reset, nothing removed: {exc}") from exc
            self.stdout.write(f"Demo district reset: {removed} rows removed.")
        with transaction.atomic():
            seed_regions()
            logins = seed_users()
        with transaction.atomic():
            created = seed_organizations()
            # The demo org contact gets the flagship org when it is created (never on a later run).
            if created["flagship_created"]:
                contact = User.objects.filter(
                    username="contact", role=Role.ORG_CONTACT, organization__isnull=True
                ).first()
                if contact is not None:
                    user_links_set(
                        user=contact,
                        organization=flagship_organization(),
                        party_organization=contact.party_organization,
                        actor=DEMO_SEEDER,
                    )
        self.stdout.write(
            "Registry: {organizations} organizations, {inspections} inspections, "
            "{grades} grades created.".format(**created)
        )
        with transaction.atomic():
            party = seed_party_organizations()
        self.stdout.write(
            "Party organizations: {party_organizations} party organizations, {links} coverage links, "
            "{instructors} instructors, {assignments} instructor assignments created.".format(**party)
        )
        self.stdout.write(f"News: {seed_articles()} articles created.")
        people = seed_members()  # one transaction of its own; after the party tree it fills
        self.stdout.write(
            "Members: {members} people, {posts} committee posts, {transfers} transfers created.".format(
                **people
            )
        )
        self.stdout.write(f"Temporary and flowing members: {seed_affiliations()} periods created.")
        alliances = seed_alliances()  # after the registry, party tree and accounts it draws on
        self.stdout.write(
            "Alliances: {alliances} alliances, {programs} programs, {pairings} pairings, "
            "{grid_pairings} grid pairings, {rounds} venture rounds created.".format(**alliances)
        )
        happenings = seed_events()  # last: meetings need members, bookings need the party tree
        self.stdout.write(
            "Events: {centers} service centers, {bookings} bookings, {meetings} meetings ({attendance} "
            "attendance rows), {credits} volunteer credits, {redemptions} redemptions, {upcoming} upcoming "
            "public events created.".format(**happenings)
        )
        self.stdout.write(f"Democratic appraisal: {seed_appraisal()} created.")  # after the meetings
        self.stdout.write(f"Party-school classes: {seed_party_class()} created.")  # after the people
        dues = seed_dues()  # after members: bases, a year of rolls and payments in the demo district only
        self.stdout.write(
            "Party dues: {bases} bases, {rolls} rolls, {payments} payments created.".format(**dues)
        )
        # Last: the figures read everything above. Today and twelve month-ends of the demo district.
        self.stdout.write(f"Statistics: {seed_snapshots()} coverage snapshots created.")
        roles = {u[0]: u for u in DEMO_USERS}
        labels = {
            "admin": "超级管理员 superuser",
            "district": "区级工作人员 district staff",
            "street": "街道工作人员 street staff",
            "secretary": "党组织书记 secretary",
            "contact": "社会组织联络员 org contact",
        }
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (username / password):"))
        for username, password in logins:
            if username in roles:
                self.stdout.write(f"  {labels.get(username, username):<34} {username} / {password}")
        base = server_address()
        self.stdout.write(f"  Admin: {base}/admin/   Portal: {base}/portal/")
        self.stdout.write("  Start afresh: python manage.py seed_demo --reset (the demo district only)")
        self.stdout.write(
            "Second factor of admin, district and street (demo only): add the key "
            f"{DEMO_TOTP_SECRET} to any authenticator app, or run `python manage.py demo_otp_code` "
            f"for the current code (now: {demo_totp_code()})."
        )


def server_address() -> str:
    """Where `make run` serves (the Makefile passes HOST and PORT to this command and to runserver)."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (reading, not binding)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"
