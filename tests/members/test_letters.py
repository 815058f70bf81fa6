"""Transfer letters: numbered by district and year without gaps (also under two concurrent senders),
printed (the first print the original, reprints marked as copies), receipt confirmed by the receiver,
searchable by number; role × view for the new pages."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from members.models import LetterCounter, TransferLetter
from members.services.letters import transfer_letter_issue
from members.services.transfers import transfer_cancel, transfer_receive, transfer_send
from tests.access import assert_role_matrix
from tests.actors import SYSTEM
from tests.members.factories import MemberFactory

D = dt.date


def _send(member, to=None, outside=""):
    return transfer_send(
        member=member, to_party_organization=to, outside_unit=outside, sent_on=D(2025, 3, 1), actor=SYSTEM
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_letter_numbers_by_district_and_year_in_sequence(pos, secretary_a):
    transfers = [_send(MemberFactory(party_organization=pos.branch_a), pos.branch_b) for _ in range(3)]
    letters = [transfer_letter_issue(transfer=t, actor=secretary_a, on=D(2026, 1, 5)) for t in transfers]
    assert [letter.serial for letter in letters] == [1, 2, 3]
    assert letters[0].number == "330499〔2026〕0001号"
    transfers[0].refresh_from_db()
    assert transfers[0].letter_number == letters[0].number  # searchable where transfers are listed
    # a new year starts again at 1; issuing twice returns the same letter
    next_year = transfer_letter_issue(
        transfer=_send(MemberFactory(party_organization=pos.branch_a), outside="外省某单位"),
        actor=secretary_a,
        on=D(2027, 1, 2),
    )
    assert next_year.serial == 1
    assert transfer_letter_issue(transfer=transfers[1], actor=secretary_a).pk == letters[1].pk
    assert LetterCounter.objects.get(year=2026).last_serial == 3


@pytest.mark.django_db
def test_letter_failed_issue_leaves_no_gap(pos, secretary_a, secretary_b):
    first = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    cancelled = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    transfer_cancel(transfer=cancelled, actor=secretary_a)
    with pytest.raises(ValidationError):
        transfer_letter_issue(transfer=first, actor=secretary_b)  # the receiving side does not issue
    with pytest.raises(ValidationError):
        transfer_letter_issue(transfer=cancelled, actor=secretary_a)
    letter = transfer_letter_issue(transfer=first, actor=secretary_a, on=D(2026, 2, 1))
    assert letter.serial == 1


@pytest.mark.django_db(transaction=True)
def test_letter_numbers_no_gaps_under_two_concurrent_transfers(pos, secretary_a):
    # given two pending transfers and two threads that issue their letters at the same moment
    transfers = [_send(MemberFactory(party_organization=pos.branch_a), pos.branch_b) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def issue(transfer):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                transfer_letter_issue(transfer=transfer, actor=secretary_a, on=D(2026, 3, 1))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(t,)) for t in transfers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then both letters exist, numbered 1 and 2: no gap, no repeat
    assert errors == []
    assert sorted(TransferLetter.objects.values_list("serial", flat=True)) == [1, 2]
    assert LetterCounter.objects.get(year=2026).last_serial == 2


@pytest.mark.django_db
def test_letter_receipt_confirmed_by_receiving_side(pos, secretary_a, secretary_b):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    transfer_letter_issue(transfer=transfer, actor=secretary_a)
    transfer_receive(transfer=transfer, received_on=D(2025, 3, 4), actor=secretary_b)
    letter = TransferLetter.objects.get()
    assert (letter.receipt_confirmed_on, letter.receipt_confirmed_by) == (D(2025, 3, 4), secretary_b)


@pytest.mark.django_db
def test_letter_print_original_then_copy(pos, secretary_a):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    client = _client(secretary_a)
    response = client.post(reverse("members_portal:transfer_letter_issue", args=[transfer.pk]))
    assert response.status_code == 302
    url = reverse("members_portal:transfer_letter", args=[transfer.pk])
    first = client.get(url).content.decode()
    assert "330499" in first and 'data-testid="copy-mark"' not in first
    assert transfer.member.id_number not in first and transfer.member.id_number_masked in first
    assert 'data-testid="copy-mark"' in client.get(url).content.decode()
    assert TransferLetter.objects.get().print_count == 2


@pytest.mark.django_db
def test_letter_page_role_matrix(pos, role_users, secretary_a, secretary_b):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    transfer_letter_issue(transfer=transfer, actor=secretary_a)
    users = {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}
    expected = {
        "secretary_a": 200,
        "secretary_b": 200,  # the receiving side sees the transfer (and its letter)
        "secretary": 404,
        "superuser": 200,
        "district_staff": 200,
        "other_street_staff": 200,  # street B receives
        "org_contact": 404,
        "anonymous": 302,
    }
    assert_role_matrix(users, reverse("members_portal:transfer_letter", args=[transfer.pk]), expected)


@pytest.mark.django_db
def test_letter_issue_role_matrix(pos, role_users, secretary_a, secretary_b):
    stranger = MemberFactory(party_organization=pos.branch_a2)
    transfer = _send(stranger, pos.branch_b)
    users = {**role_users, "secretary_a": secretary_a, "secretary_b": secretary_b}
    url = reverse("members_portal:transfer_letter_issue", args=[transfer.pk])
    # secretary A holds neither end: 404; B receives: refused with a message (redirect), nothing issued
    expected = {
        "secretary_a": 404,
        "secretary_b": 302,
        "district_staff": 404,
        "org_contact": 404,
        "anonymous": 302,
    }
    assert_role_matrix(users, url, expected, method="post")
    assert not TransferLetter.objects.exists()


@pytest.mark.django_db
def test_transfers_page_search_by_letter_number(pos, secretary_a):
    transfer = _send(MemberFactory(party_organization=pos.branch_a, name="搜一搜"), pos.branch_b)
    letter = transfer_letter_issue(transfer=transfer, actor=secretary_a)
    body = (
        _client(secretary_a)
        .get(reverse("members_portal:transfers"), {"letter": letter.number[-6:]})
        .content.decode()
    )
    assert 'data-testid="letter-results"' in body and "搜一搜" in body


@pytest.mark.django_db
def test_letter_admin_scoped_and_searchable(pos, role_users, secretary_a):
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_a2)  # both in street A
    letter = transfer_letter_issue(transfer=transfer, actor=secretary_a)
    url = reverse("admin:members_transferletter_change", args=[letter.pk])
    expected = {"superuser": 200, "district_staff": 200, "street_staff": 200, "other_street_staff": 404}
    assert_role_matrix(role_users, url, {**expected, "secretary": 302, "anonymous": 302})
    client = _client(role_users["district_staff"])
    body = client.get(
        reverse("admin:members_transferletter_changelist"), {"q": letter.number}
    ).content.decode()
    assert letter.number in body


@pytest.mark.django_db
def test_letter_number_printed_as_issued_on_each_part(pos, secretary_a, project_catalogue):
    """The counterfoil, the letter and the receipt each carry the number as issued ("…〔2026〕0001号"),
    not wrapped again ("第 …0001号 号" was printed before)."""
    transfer = _send(MemberFactory(party_organization=pos.branch_a), pos.branch_b)
    letter = transfer_letter_issue(transfer=transfer, actor=secretary_a, on=D(2026, 1, 5))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(secretary_a)
    page = client.get(reverse("members_portal:transfer_letter", args=[transfer.pk])).content.decode()
    assert page.count(f'<p class="letter-number">{letter.number}</p>') == 3
    assert "号 号" not in page and "中国共产党党员组织关系介绍信" in page
