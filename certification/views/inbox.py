"""A person's notifications (header → "Notifications"): the list, newest first; opening one
marks it read; "Mark all as read"; and how what is not urgent is e-mailed to them.

Only one's own: another person's notification answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..domain import inbox
from ..domain.inbox_kinds import render as render_text
from ..forms.inbox import NotificationModeForm
from ..models import Notification

PAGE_SIZE = 25


def _page(request, form: NotificationModeForm, status: int = 200):
    queryset = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, render_text(n.kind, n.params)) for n in page]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "rows": rows, "form": form},
        status=status,
    )


@login_required
@require_safe
def notification_list(request):
    form = NotificationModeForm(initial={"mode": request.user.notification_mode})
    return _page(request, form)


@login_required
@require_safe
def notification_open(request, pk: int):
    """Mark the notification read and go to the page it is about (or back to the list)."""
    try:
        notification = inbox.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None) and link.startswith("/"):
        return redirect(link)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    count = inbox.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")


@login_required
@require_POST
def notification_mode(request):
    form = NotificationModeForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    inbox.set_mode(user=request.user, mode=form.cleaned_data["mode"])
    messages.success(request, _("Your choice of e-mails is saved."))
    return redirect("notifications")
