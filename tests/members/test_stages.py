import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from members.models import Member, RecruitmentRecord, StageChange
from members.services.recruitment_steps import (
    admission_approval_decide,
    admission_approval_submit,
    recruitment_record,
)
from members.services.stages import (
    member_admit,
    member_convert_to_full,
    member_extend_probation,
    member_make_activist,
    member_make_candidate,
    member_record_political_review,
    member_record_training,
    member_set_contacts,
    member_set_introducers,
)
from members.services.status import member_mark_left
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory
from tests.members.stage_builders import candidate_for_vote, new_activist, ready_activist, talked_applicant

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def full_members(pos):
    return [MemberFactory(party_organization=pos.branch_a) for _ in range(3)]


def _errors(exc) -> dict:
    return exc.value.message_dict


# --- applicant → activist -----------------------------------------------------------------------


def test_member_make_activist_records_stage_change_with_actor_and_document(pos, full_members):
    staff = UserFactory(is_superuser=True)
    member = member_make_activist(
        member=talked_applicant(pos),
        on=D(2022, 3, 1),
        contacts=full_members[:2],
        document="积〔2022〕3号",
        actor=staff,
    )
    assert (member.stage, member.activist_on) == ("activist", D(2022, 3, 1))
    change = StageChange.objects.filter(member=member).first()
    assert change is not None
    assert (change.from_stage, change.to_stage, change.recorded_by, change.document) == (
        "applicant",
        "activist",
        staff,
        "积〔2022〕3号",
    )
    assert set(member.contacts.all()) == set(full_members[:2])


def test_member_make_activist_without_contact_refused(pos):
    with pytest.raises(ValidationError) as exc:
        member_make_activist(member=talked_applicant(pos), on=D(2022, 3, 1), contacts=[], actor=SYSTEM)
    assert "contacts" in _errors(exc)


def test_member_make_activist_three_contacts_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_make_activist(
            member=talked_applicant(pos), on=D(2022, 3, 1), contacts=full_members, actor=SYSTEM
        )
    assert "3" in _errors(exc)["contacts"][0]


def test_member_make_activist_contact_not_full_member_refused(pos):
    other = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=D(2022, 1, 1))
    with pytest.raises(ValidationError) as exc:
        member_make_activist(member=talked_applicant(pos), on=D(2022, 3, 1), contacts=[other], actor=SYSTEM)
    assert other.name in _errors(exc)["contacts"][0]


def test_member_make_activist_before_application_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_make_activist(
            member=talked_applicant(pos), on=D(2022, 1, 1), contacts=full_members[:1], actor=SYSTEM
        )
    assert "2022-01-10" in _errors(exc)["on"][0]


def test_member_make_activist_wrong_stage_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_make_activist(
            member=full_members[0], on=D(2022, 3, 1), contacts=full_members[1:2], actor=SYSTEM
        )
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "wrong_stage"


def test_member_make_activist_after_leaving_refused_naming_the_row(pos, full_members):
    member = talked_applicant(pos)
    member_mark_left(member=member, on=D(2023, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_activist(member=member, on=D(2023, 3, 1), contacts=full_members[:1], actor=SYSTEM)
    error = exc.value.error_dict[NON_FIELD_ERRORS][0]
    assert error.code == "not_active"
    assert "the status change of 2023-01-01" in error.message % (error.params or {})


def test_member_make_activist_back_dated_before_leaving_accepted(pos, full_members):
    # The leaving is loaded first, the earlier step second: history in any order (issue 12).
    member = talked_applicant(pos)
    member_mark_left(member=member, on=D(2023, 1, 1), actor=SYSTEM)
    member = member_make_activist(member=member, on=D(2022, 3, 1), contacts=full_members[:1], actor=SYSTEM)
    assert (member.stage, member.activist_on, member.status) == ("activist", D(2022, 3, 1), "left")


def test_member_set_contacts_replaces_them(pos, full_members):
    member = new_activist(pos, full_members)
    member_set_contacts(member=member, contacts=full_members[1:3], actor=SYSTEM)
    assert set(member.contacts.all()) == set(full_members[1:3])


# --- activist → candidate -----------------------------------------------------------------------


def test_member_make_candidate_all_rules_met_accepted(pos, full_members):
    member = candidate_for_vote(pos, full_members)
    assert (member.stage, member.candidate_on) == ("candidate", D(2023, 3, 1))
    assert StageChange.objects.filter(
        member=member, to_stage="candidate", document="发展〔2023〕1号"
    ).exists()


def test_member_make_candidate_before_twelve_months_refused(pos, full_members):
    member = ready_activist(pos, full_members)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 2, 28), actor=SYSTEM)
    assert "2023-03-01" in _errors(exc)["on"][0]


def test_member_make_candidate_exactly_twelve_months_accepted(pos, full_members):
    member = member_make_candidate(member=ready_activist(pos, full_members), on=D(2023, 3, 1), actor=SYSTEM)
    assert member.stage == "candidate"


def test_member_make_candidate_months_is_a_setting(pos, full_members, settings):
    settings.ACTIVIST_MIN_MONTHS = 18
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=ready_activist(pos, full_members), on=D(2023, 3, 1), actor=SYSTEM)
    assert "18" in _errors(exc)["on"][0]


def test_member_make_candidate_one_introducer_refused(pos, full_members):
    member = ready_activist(pos, full_members)
    member_set_introducers(member=member, introducers=full_members[:1], actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert "introducers" in _errors(exc)


def test_member_make_candidate_introducer_who_left_no_longer_counts(pos, full_members):
    member = ready_activist(pos, full_members)
    member_mark_left(member=full_members[1], on=D(2023, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert "1" in _errors(exc)["introducers"][0]


def test_member_set_introducers_probationary_member_refused(pos, full_members):
    member = new_activist(pos, full_members)
    probationary = MemberFactory(party_organization=pos.branch_a, stage="probationary")
    with pytest.raises(ValidationError) as exc:
        member_set_introducers(member=member, introducers=[full_members[0], probationary], actor=SYSTEM)
    assert probationary.name in _errors(exc)["introducers"][0]


def test_member_set_introducers_self_refused(pos, full_members):
    member = new_activist(pos, full_members)
    with pytest.raises(ValidationError):
        member_set_introducers(member=member, introducers=[member, full_members[0]], actor=SYSTEM)


def test_member_make_candidate_without_training_refused(pos, full_members):
    member = ready_activist(pos, full_members)
    member_record_training(member=member, hours=23, days=2, actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert "23" in _errors(exc)["training_hours"][0]


def test_member_make_candidate_three_days_training_enough(pos, full_members):
    member = ready_activist(pos, full_members)
    member_record_training(member=member, hours=0, days=3, actor=SYSTEM)
    assert member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM).stage == "candidate"


def test_member_record_training_negative_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_record_training(member=new_activist(pos, full_members), hours=-1, days=0, actor=SYSTEM)
    assert "training_hours" in _errors(exc)


def test_member_make_candidate_without_political_review_refused(pos, full_members):
    member = new_activist(pos, full_members)
    member_set_introducers(member=member, introducers=full_members[:2], actor=SYSTEM)
    member_record_training(member=member, hours=30, days=0, actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    # the review, the development plan and the six-monthly reviews are what is missing
    assert set(_errors(exc)) == {"political_review_passed_on", "development_plan", "activist_review"}


def test_member_make_candidate_reports_every_missing_rule_at_once(pos, full_members):
    member = new_activist(pos, full_members)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2022, 6, 1), actor=SYSTEM)
    assert set(_errors(exc)) == {
        "on",
        "introducers",
        "training_hours",
        "political_review_passed_on",
        "development_plan",  # no review is due yet after three months
    }
    member.refresh_from_db()
    assert (member.stage, member.candidate_on) == ("activist", None)


def test_member_record_political_review_future_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_record_political_review(
            member=new_activist(pos, full_members),
            passed_on=dt.date.today() + dt.timedelta(days=1),
            actor=SYSTEM,
        )
    assert "passed_on" in _errors(exc)


# --- candidate → probationary -------------------------------------------------------------------


def test_member_admit_from_vote_date(pos, full_members):
    member = member_admit(
        member=candidate_for_vote(pos, full_members),
        admitted_on=D(2023, 9, 1),
        document="支部大会",
        actor=SYSTEM,
    )
    assert (member.stage, member.admitted_on) == ("probationary", D(2023, 9, 1))


def test_member_admit_before_candidacy_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_admit(member=candidate_for_vote(pos, full_members), admitted_on=D(2023, 2, 1), actor=SYSTEM)
    assert "admitted_on" in _errors(exc)


def test_member_admit_activist_refused(pos, full_members):
    with pytest.raises(ValidationError) as exc:
        member_admit(member=ready_activist(pos, full_members), admitted_on=D(2023, 9, 1), actor=SYSTEM)
    assert exc.value.error_dict[NON_FIELD_ERRORS][0].code == "wrong_stage"


def test_member_admit_in_temporary_branch_refused(pos, full_members):
    candidate = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    Member.objects.filter(pk=candidate.pk).update(party_organization=pos.temporary)  # moved there by data
    with pytest.raises(ValidationError) as exc:
        member_admit(member=candidate, admitted_on=D(2023, 9, 1), actor=SYSTEM)
    assert "temporary" in _errors(exc)[NON_FIELD_ERRORS][0]
    assert Member.objects.get(pk=candidate.pk).stage == "candidate"


# --- probation → full ---------------------------------------------------------------------------


def _probationary(pos):
    """Admitted, and the admission approved by the superior committee (needed for the conversion)."""
    member = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    recruitment_record(
        member=member, kind="application_form", on=D(2023, 12, 1), number="志愿书0002", actor=SYSTEM
    )
    member = member_admit(member=member, admitted_on=D(2024, 1, 15), actor=SYSTEM)
    submitted = admission_approval_submit(member=member, on=D(2024, 2, 1), actor=SYSTEM)
    admission_approval_decide(record=submitted, approved=True, on=D(2024, 3, 1), actor=SYSTEM)
    return member


def test_member_convert_to_full_after_twelve_months(pos):
    member = member_convert_to_full(
        member=_probationary(pos), on=D(2025, 1, 15), document="转正决议", actor=SYSTEM
    )
    assert (member.stage, member.full_on) == ("full", D(2025, 1, 15))
    assert StageChange.objects.filter(member=member, from_stage="probationary", to_stage="full").exists()


def test_member_convert_to_full_before_twelve_months_refused(pos):
    with pytest.raises(ValidationError) as exc:
        member_convert_to_full(member=_probationary(pos), on=D(2025, 1, 14), actor=SYSTEM)
    assert "2025-01-15" in _errors(exc)["on"][0]


def test_member_extend_probation_moves_conversion_date(pos):
    member = member_extend_probation(member=_probationary(pos), months=6, document="延长预备期", actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_convert_to_full(member=member, on=D(2025, 7, 14), actor=SYSTEM)
    assert "2025-07-15" in _errors(exc)["on"][0]
    assert member_convert_to_full(member=member, on=D(2025, 7, 15), actor=SYSTEM).stage == "full"


@pytest.mark.parametrize("months", [5, 13, 0])
def test_member_extend_probation_outside_six_to_twelve_refused(pos, months):
    with pytest.raises(ValidationError) as exc:
        member_extend_probation(member=_probationary(pos), months=months, actor=SYSTEM)
    assert "6" in _errors(exc)["months"][0] and "12" in _errors(exc)["months"][0]


def test_member_extend_probation_twice_refused(pos):
    member = member_extend_probation(member=_probationary(pos), months=12, actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_extend_probation(member=member, months=6, actor=SYSTEM)
    assert exc.value.error_dict["months"][0].code == "already_extended"


def test_member_extend_probation_full_member_refused(pos, full_members):
    with pytest.raises(ValidationError):
        member_extend_probation(member=full_members[0], months=6, actor=SYSTEM)


def test_member_stage_services_refuse_secretary_of_another_branch(pos, full_members, secretary_b):
    with pytest.raises(ValidationError) as exc:
        member_make_activist(
            member=talked_applicant(pos), on=D(2022, 3, 1), contacts=full_members[:1], actor=secretary_b
        )
    assert "member" in _errors(exc)


def test_member_stage_services_accept_own_secretary(pos, full_members, secretary_a):
    member = member_make_activist(
        member=talked_applicant(pos), on=D(2022, 3, 1), contacts=full_members[:1], actor=secretary_a
    )
    assert StageChange.objects.filter(member=member, recorded_by=secretary_a).exists()


# --- the dated recruitment steps ------------------------------------------------------------------


def test_member_make_activist_without_talk_refused(pos, full_members):
    applicant = MemberFactory(party_organization=pos.branch_a, stage="applicant", applied_on=D(2022, 1, 10))
    with pytest.raises(ValidationError) as exc:
        member_make_activist(member=applicant, on=D(2022, 3, 1), contacts=full_members[:1], actor=SYSTEM)
    assert "talk" in _errors(exc)


def test_member_make_candidate_missing_review_refused(pos, full_members):
    member = ready_activist(pos, full_members)
    review = RecruitmentRecord.objects.filter(member=member, kind="activist_review").first()
    assert review is not None
    review.delete()
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert "2 reviews are due" in _errors(exc)["activist_review"][0]


def test_member_make_candidate_without_development_plan_refused(pos, full_members):
    member = ready_activist(pos, full_members)
    plan = RecruitmentRecord.objects.get(member=member, kind="development_plan")
    RecruitmentRecord.objects.filter(pk=plan.pk).update(on=D(2023, 3, 2))  # listed only after the step
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert set(_errors(exc)) == {"development_plan"}
    RecruitmentRecord.objects.filter(pk=plan.pk).update(on=D(2023, 1, 10))
    assert member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM).stage == "candidate"


def test_member_admit_without_application_form_refused(pos, full_members):
    candidate = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    with pytest.raises(ValidationError) as exc:
        member_admit(member=candidate, admitted_on=D(2023, 9, 1), actor=SYSTEM)
    assert "application_form" in _errors(exc)


def test_recruitment_application_form_needs_number(pos):
    candidate = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    with pytest.raises(ValidationError) as exc:
        recruitment_record(member=candidate, kind="application_form", on=D(2023, 9, 1), actor=SYSTEM)
    assert "number" in _errors(exc)


def test_member_convert_without_committee_approval_refused(pos, secretary_a):
    member = MemberFactory(party_organization=pos.branch_a, stage="candidate")
    recruitment_record(
        member=member, kind="application_form", on=D(2023, 12, 1), number="志愿书0003", actor=SYSTEM
    )
    member = member_admit(member=member, admitted_on=D(2024, 1, 15), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_convert_to_full(member=member, on=D(2025, 1, 15), actor=SYSTEM)
    assert "approval" in _errors(exc)
    # the branch submits; the branch itself cannot approve; the committee returns, then approves
    submitted = admission_approval_submit(member=member, on=D(2024, 2, 1), actor=secretary_a)
    with pytest.raises(ValidationError):
        admission_approval_decide(record=submitted, approved=True, on=D(2024, 2, 10), actor=secretary_a)
    committee = UserFactory(role="secretary", party_organization=pos.committee)
    with pytest.raises(ValidationError) as exc:
        admission_approval_decide(record=submitted, approved=False, on=D(2024, 2, 10), actor=committee)
    assert "note" in _errors(exc)
    admission_approval_decide(
        record=submitted, approved=False, on=D(2024, 2, 10), note="材料不全", actor=committee
    )
    again = admission_approval_submit(member=member, on=D(2024, 2, 20), actor=secretary_a)
    admission_approval_decide(record=again, approved=True, on=D(2024, 3, 1), actor=committee)
    assert member_convert_to_full(member=member, on=D(2025, 1, 15), actor=SYSTEM).stage == "full"


# --- back-dated steps read the history on their date (issue 12) -------------------------------------


def test_member_make_candidate_introducer_who_left_later_still_counts_on_the_step_date(pos, full_members):
    # The introducer left after the step's date: loaded in any order, the step is still valid.
    member = ready_activist(pos, full_members)
    member_mark_left(member=full_members[1], on=D(2024, 1, 1), actor=SYSTEM)
    member = member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    assert member.stage == "candidate"


def test_member_make_candidate_introducer_full_only_after_the_step_refused_naming_them(pos, full_members):
    member = ready_activist(pos, full_members)
    late = MemberFactory(party_organization=pos.branch_a, stage="full", full_on=D(2023, 6, 1))
    member_set_introducers(member=member, introducers=[full_members[0], late], actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        member_make_candidate(member=member, on=D(2023, 3, 1), actor=SYSTEM)
    message = _errors(exc)["introducers"][0]
    assert late.name in message and "2023-06-01" in message


def test_member_make_activist_contact_not_yet_full_on_the_day_refused(pos):
    contact = MemberFactory(party_organization=pos.branch_a, stage="full", full_on=D(2022, 6, 1))
    with pytest.raises(ValidationError) as exc:
        member_make_activist(member=talked_applicant(pos), on=D(2022, 3, 1), contacts=[contact], actor=SYSTEM)
    assert contact.name in _errors(exc)["contacts"][0]


def test_member_admit_in_branch_dissolved_later_accepted_and_after_dissolution_refused(pos, full_members):
    from branches.models import PartyOrganization

    member = candidate_for_vote(pos, full_members)
    # the branch's dissolution (2024) is loaded before the admission vote (2023)
    PartyOrganization.objects.filter(pk=pos.branch_a.pk).update(
        status="dissolved", dissolved_on=D(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        member_admit(member=Member.objects.get(pk=member.pk), admitted_on=D(2024, 2, 1), actor=SYSTEM)
    assert "dissolved on 2024-01-01" in " ".join(_errors(exc)[NON_FIELD_ERRORS])
    member = member_admit(member=Member.objects.get(pk=member.pk), admitted_on=D(2023, 4, 1), actor=SYSTEM)
    assert (member.stage, member.admitted_on) == ("probationary", D(2023, 4, 1))


def test_member_status_on_reads_the_history_not_today(pos):
    from members.services.periods import status_on

    member = talked_applicant(pos)
    member_mark_left(member=member, on=D(2023, 1, 1), actor=SYSTEM)
    assert status_on(member, D(2022, 12, 31))[0] == "active"
    assert status_on(member, D(2023, 1, 1))[0] == "left"
