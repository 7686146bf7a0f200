"""The page an invitation's link opens: join the organisation (after logging in)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..domain import invitations
from ..domain.errors import DomainError


def accept(request, token: str):
    invitation = invitations.find_invitation(token=token)
    if invitation is None:
        return render(request, "accounts_invitation_problem.html", {"unknown": True}, status=404)
    user = request.user if request.user.is_authenticated else None
    problem = invitations.why_unusable(invitation, user=user)
    if problem:
        return render(
            request,
            "accounts_invitation_problem.html",
            {"problem": problem, "organization": invitation.organization},
            status=410,
        )
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitations.inviter_name(invitation),
    }
    if user is None:
        # Nothing to do before logging in; the login and sign-up links come back here.
        return render(request, "accounts_invitation.html", context)
    if invitation.accepted_by_id == user.pk:
        messages.info(
            request,
            _("You are already a member of %(organization)s.")
            % {"organization": invitation.organization.name},
        )
        return redirect("my_applications")
    context["wrong_account"] = invitations.wrong_account(invitation, user=user)
    if request.method == "POST" and not context["wrong_account"]:
        try:
            invitations.accept_invitation(token=token, user=user)
        except DomainError as error:
            context["extra_errors"] = [str(error)]
        else:
            messages.success(
                request,
                _("You have joined %(organization)s. Its applications are listed below.")
                % {"organization": invitation.organization.name},
            )
            return redirect("my_applications")
    return render(request, "accounts_invitation.html", context)
