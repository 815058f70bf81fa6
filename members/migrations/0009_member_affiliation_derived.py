"""`Member.affiliation` becomes derived from the temporary and flowing periods (AffiliationRecord).

Typed values without a period open today are turned into periods where the period can be known, and
reported where it cannot; then every member's column is re-derived, so lists, filters and statistics
agree from this migration on.

- **Flowing** (流动党员), active probationary or full member: a flowing period starting on the
  migration day, kept in contact by the member's own party organization (the rule for flowing members:
  the organization holding the relation keeps contact), the place "未登记" to be completed. The start
  is the migration day, not the join date: nothing says since when the member was away, and a period
  back-dated on a guess would change figures already reported for past days (they never counted the
  typed value). The period's note says where it came from.
- **Temporary** (临时党员): not converted. A temporary period needs the temporary branch holding the
  member, which a typed value never said. Reset to formal and reported.
- **Anyone else** (applicants, activists, candidates, inactive members: no period is possible for them).
  Reset to formal and reported.

"Reported": each member whose value changed gets an entry in their change log (auditlog, shown on the
member's history page) saying what it was and why it changed; the migration prints the counts and the
member ids. Reversing restores nothing typed (the periods created here are deleted, the column
re-derived): the change log keeps the old values.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

SYSTEM = "members.affiliation_sync"
NOTE = "由原手填的“组织关系类型”转入（迁移日起），请补全流动地点和起始日期"
PLACE_UNKNOWN = "未登记"
REPORTS = {
    "converted": "手填的“流动党员”已转为自迁移日起的流动期间，请补全流动地点和起始日期",
    "temporary": "手填的“临时”没有所在临时党支部，无法转为临时期间，已改为正式；如仍为临时党员，请登记临时期间",
    "ineligible": "只有正常状态的预备党员和正式党员可为临时或流动党员，手填的值已改为正式",
}


def _open_on(Record, day):
    return Record.objects.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def _derive_all(Member, Record, day) -> int:
    kind = _open_on(Record, day).filter(member=OuterRef("pk")).order_by("-starts_on").values("kind")[:1]
    derived = Coalesce(Subquery(kind), Value("formal"))
    drifted = Member.objects.annotate(derived=derived).exclude(affiliation=models.F("derived"))
    return Member.objects.filter(pk__in=drifted.values("pk")).update(affiliation=derived)


def _log(apps, member, old: str, reason: str) -> None:
    try:
        LogEntry = apps.get_model("auditlog", "LogEntry")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="members", model="member")
    LogEntry.objects.create(
        content_type=content_type,
        object_pk=str(member.pk),
        object_id=member.pk,
        object_repr=member.name,
        action=1,  # update
        changes={"affiliation": [old, old if reason == "converted" else "formal"]},
        changes_text=REPORTS[reason],
        additional_data={"migration": "members.0009_member_affiliation_derived", "reason": reason},
        timestamp=timezone.now(),
    )


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Record = apps.get_model("members", "AffiliationRecord")
    today = timezone.localdate()
    typed = (
        Member.objects.exclude(affiliation="formal")
        .exclude(Exists(_open_on(Record, today).filter(member=OuterRef("pk"))))
        .order_by("pk")
    )
    report: dict[str, list[int]] = {key: [] for key in REPORTS}
    for member in typed.iterator(chunk_size=500):
        eligible = member.status == "active" and member.stage in ("probationary", "full")
        if not eligible:
            reason = "ineligible"
        elif member.affiliation == "temporary":
            reason = "temporary"
        else:
            reason = "converted"
            # no period is open today and none starts later (services refuse future days): no overlap
            Record.objects.create(
                member=member,
                kind="flowing",
                starts_on=today,
                location=PLACE_UNKNOWN,
                contact_party_organization_id=member.party_organization_id,
                note=NOTE,
                recorded_by_system=SYSTEM,
            )
        report[reason].append(member.pk)
        _log(apps, member, member.affiliation, reason)
    changed = _derive_all(Member, Record, today)
    if any(report.values()) or changed:
        print(
            f"\n  members.0009: flowing periods created {len(report['converted'])}, temporary reset to formal "
            f"{len(report['temporary'])}, not a Party member in good standing reset {len(report['ineligible'])}; "
            f"columns re-derived {changed}."
        )
        for reason, ids in report.items():
            if ids:
                print(f"  {reason}: member ids {ids[:200]}{' …' if len(ids) > 200 else ''}")


def backwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Record = apps.get_model("members", "AffiliationRecord")
    Record.objects.filter(recorded_by_system=SYSTEM, note=NOTE).delete()
    _derive_all(Member, Record, timezone.localdate())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_member_import_jobs"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "__first__"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="affiliation",
            field=models.CharField(
                choices=[
                    ("formal", "Formal relation"),
                    ("temporary", "Temporary (dual) relation"),
                    ("flowing", "Flowing member"),
                ],
                default="formal",
                editable=False,
                help_text="Follows the member's temporary or flowing period; record or end a period to change it.",
                max_length=20,
                verbose_name="affiliation",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
