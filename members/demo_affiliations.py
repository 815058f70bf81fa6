"""Demo: one temporary member (双隶属, held by the demo temporary branch, formal relation with their
own branch) and one flowing member (away in another city, contact kept by their branch, last contact
seven months ago so the lapse shows in the to-do and the reminders), both through
members.services.affiliations with a named system actor.

Confined to the demo committee's tree and idempotent: a kind already present there is left as it is.
Nothing happens without the demo tree.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.actors import DEMO_SEEDER
from branches.models import PartyOrganization
from members.dates import add_months
from members.models import AffiliationRecord, Member
from members.services.affiliations import affiliation_start
from orgs.demo.scope import demo_committee, demo_secretary_branch, demo_tree_q


def seed_affiliations(today: date | None = None) -> int:
    today = today or timezone.localdate()
    committee = demo_committee()
    if committee is None:
        return 0
    branch = demo_secretary_branch(committee)
    temporary = (
        PartyOrganization.objects.filter(demo_tree_q(committee), status="active", kind="temporary_branch")
        .order_by("lft")
        .first()
    )
    if branch is None:
        return 0
    existing = set(
        AffiliationRecord.objects.filter(demo_tree_q(committee, "member__party_organization__")).values_list(
            "kind", flat=True
        )
    )
    people = list(
        Member.objects.filter(
            party_organization=branch, status=Member.Status.ACTIVE, stage=Member.Stage.FULL
        ).order_by("-pk")[:2]
    )
    created = 0
    if "flowing" not in existing and people:
        affiliation_start(
            member=people[0],
            kind="flowing",
            starts_on=add_months(today, -14),
            location="广东省深圳市南山区（外出务工）",
            contact_party_organization=branch,
            last_contact_on=add_months(today, -7),
            note="每季度电话联系，寄送学习资料",
            actor=DEMO_SEEDER,
        )
        created += 1
    if "temporary" not in existing and temporary is not None and len(people) > 1:
        affiliation_start(
            member=people[1],
            kind="temporary",
            starts_on=today - timedelta(days=90),
            formal_party_organization=branch,
            holding_party_organization=temporary,
            note="参加区社会组织服务项目组，项目期间在临时党支部过组织生活",
            actor=DEMO_SEEDER,
        )
        created += 1
    return created
