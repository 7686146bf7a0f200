from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..permissions import is_juror, is_officer


@login_required
def dashboard(request):
    """Where each role starts after logging in."""
    user = request.user
    if is_officer(user) or is_juror(user):
        return redirect("staff_inbox")
    if user.is_staff and not user.organizations.exists():
        # The administrator's role is configuration (DESIGN.md §4): no applicant pages.
        return redirect("admin:index")
    if not user.organizations.exists():
        # A new applicant's first and only possible step: without an organisation profile
        # there is nothing to apply for.
        messages.info(
            request,
            _(
                "Welcome! Start by registering the organisation you act for; "
                "then you can apply for the mark."
            ),
        )
        return redirect("organization_create")
    return redirect("my_applications")
