"""Transfer letters in the portal: issue (POST, the sending side), print (GET: the first print is the
original, later prints are marked as copies), and the transfers search by letter number.

The transfer is fetched through `get_visible_or_404` (either side of it, or staff over either side);
anything else answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from dues.selectors import dues_paid_through
from members.dates import age_on
from members.models import Transfer, TransferLetter
from members.selectors import transfer_with_letter
from members.services.letters import transfer_letter_issue, transfer_letter_printed
from members.views import secretary_required


def _transfer(request, pk) -> Transfer:
    return transfer_with_letter(request.user, pk)


@secretary_required
@require_POST
def transfer_letter_issue_view(request, pk):
    transfer = _transfer(request, pk)
    try:
        letter = transfer_letter_issue(transfer=transfer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("members_portal:transfers")
    messages.success(request, _("Letter %(number)s issued.") % {"number": letter.number})
    return redirect("members_portal:transfer_letter", pk=transfer.pk)


@login_required
@require_http_methods(["GET"])
def transfer_letter_view(request, pk):
    user = request.user
    if not (user.is_platform_staff or (user.role == Role.SECRETARY and user.party_organization_id)):
        raise Http404
    transfer = _transfer(request, pk)
    try:
        letter = transfer.letter
    except TransferLetter.DoesNotExist:
        raise Http404(_("No letter has been issued for this transfer.")) from None
    prints = transfer_letter_printed(letter=letter)
    member = transfer.member
    return render(
        request,
        "members/portal/letter.html",
        {
            "transfer": transfer,
            "letter": letter,
            "member": member,
            "is_copy": prints > 1,
            "paid_through": dues_paid_through(member),
            "age": _age(member, letter.issued_on),
        },
    )


def _age(member, day) -> int:
    return age_on(member.birth_date, day)
