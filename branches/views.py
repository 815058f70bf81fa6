"""Portal pages of a secretary's party organization (/portal/branch/).

Every page finds its party organization through `visible_to(user)`: a
secretary reaches their own node and the nodes under it; anything else is 404.
Writes go through branches.services.posts, which checks the same scope again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from branches.forms import CommitteePostForm, PostEndForm
from branches.models import CommitteePost, PartyOrganization
from branches.selectors import party_organization_for_page, party_organization_page
from branches.services.posts import committee_post_create, committee_post_end
from config.service_forms import add_service_errors


def _party_organization(user, pk) -> PartyOrganization:
    return party_organization_for_page(user, pk)


def _render_page(request, po: PartyOrganization, form=None, status=200):
    after = request.GET.get("children_after", "")
    context = {
        "page": party_organization_page(po, children_after=int(after) if after.isdigit() else None),
        "po": po,
        "post_form": form or CommitteePostForm(party_organization=po),
        "end_form": PostEndForm(),
    }
    return render(request, "branches/portal/detail.html", context, status=status)


@login_required
@require_GET
def home(request):
    """The secretary's own party organization."""
    user = request.user
    if user.role != Role.SECRETARY or not user.party_organization_id:
        raise Http404(_("No party organization is linked to your account."))
    return _render_page(request, _party_organization(user, user.party_organization_id))


@login_required
@require_GET
def detail(request, pk):
    return _render_page(request, _party_organization(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def post_add(request, pk):
    po = _party_organization(request.user, pk)
    if request.method == "GET":
        return _render_page(request, po)
    form = CommitteePostForm(request.POST, party_organization=po)
    if form.is_valid():
        try:
            committee_post_create(party_organization=po, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The committee post was recorded."))
            return redirect("branches_portal:detail", pk=po.pk)
    return _render_page(request, po, form=form, status=400)


@login_required
@require_POST
def post_end(request, pk, post_pk):
    po = _party_organization(request.user, pk)
    post = get_object_or_404(CommitteePost, pk=post_pk, party_organization=po)
    form = PostEndForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("End date: %(errors)s") % {"errors": " ".join(str(e) for e in form.errors.get("until", []))},
        )
        return redirect("branches_portal:detail", pk=po.pk)
    try:
        committee_post_end(post=post, until=form.cleaned_data["until"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The post of %(member)s ended.") % {"member": post.member})
    return redirect("branches_portal:detail", pk=po.pk)
