"""An organisation's members and open invitations, and the "Invite a colleague" form.

Per organisation, like the rest of the applicant pages: a person may belong to several, and an
organisation the user is not a member of answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..domain import invitations
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.invitations import InviteForm
from ..models import Membership


def _members_context(organization, form) -> dict:
    now = timezone.now()
    open_invitations = list(
        invitations.open_invitations(organization=organization)
        .select_related("invited_by")
        .order_by("email")
    )
    for invitation in open_invitations:
        invitation.expired = invitations.is_expired(invitation, now=now)
    memberships = (
        Membership.objects.filter(organization=organization, user__is_active=True)
        .select_related("user")
        .order_by("joined", "pk")
    )
    return {
        "organization": organization,
        "memberships": memberships,
        "invitations": open_invitations,
        "form": form,
    }


@login_required
def members(request, pk: int):
    organization = get_object_or_404(request.user.organizations.all(), pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = invitations.normalize_email(form.cleaned_data["email"])
        resending = (
            invitations.open_invitations(organization=organization).filter(email=email).exists()
        )
        try:
            invitation, _token = invitations.invite_colleague(
                organization=organization, email=email, invited_by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="email")
        else:
            values = {
                "email": invitation.email,
                "date": date_format(timezone.localtime(invitation.expires_at), "j E Y"),
            }
            if resending:
                text = _(
                    "A new invitation has been sent to %(email)s; the link in the earlier one no "
                    "longer works. The new link works until %(date)s."
                )
            else:
                text = _("An invitation has been sent to %(email)s. The link works until %(date)s.")
            messages.success(request, text % values)
            return redirect("organization_members", pk=organization.pk)
    return render(request, "applicant/members.html", _members_context(organization, form))


@login_required
@require_POST
def invitation_cancel(request, pk: int, invitation_pk: int):
    organization = get_object_or_404(request.user.organizations.all(), pk=pk)
    invitation = get_object_or_404(organization.invitations.all(), pk=invitation_pk)
    try:
        invitations.cancel_invitation(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been cancelled; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("organization_members", pk=organization.pk)
