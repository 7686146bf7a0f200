from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from ..permissions import is_juror, is_officer


@login_required
def dashboard(request):
    """Where each role starts after logging in."""
    if is_officer(request.user) or is_juror(request.user):
        return redirect("staff_inbox")
    return redirect("my_applications")
