"""Staff lists: the inbox of open tasks and the list of applications with the decision clock."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from certification.domain import search
from certification.models import Application, SchemeRules
from certification.permissions import staff_files_visible_to

from ..forms_staff import StatusFilterForm
from ..task_list import task_rows
from .staff_common import staff_required

PAGE_SIZE = 25


@dataclass(frozen=True)
class Clock:
    """Days from a complete file to the decision (or to today), against the scheme's target."""

    days: int | None
    target: int
    stopped: bool

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days > self.target

    @property
    def left(self) -> int | None:
        return None if self.days is None else self.target - self.days


def decision_clock(application: Application, target: int, today: datetime.date) -> Clock:
    if application.complete_at is None:
        return Clock(None, target, stopped=False)
    start = timezone.localdate(application.complete_at)
    end = timezone.localdate(application.decided_at) if application.decided_at else today
    return Clock((end - start).days, target, stopped=application.decided_at is not None)


@staff_required
def inbox(request):
    rows = task_rows(request.user)
    return render(
        request,
        "staff/inbox.html",
        {"rows": rows, "overdue": sum(row.overdue for row in rows)},
    )


@staff_required
def applications(request):
    filter_form = StatusFilterForm(request.GET or None)
    valid = filter_form.is_valid()
    status = filter_form.cleaned_data["status"] if valid else ""
    qs = staff_files_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if valid:
        qs = search.applications_matching(qs, text=filter_form.cleaned_data["q"])
    page = Paginator(qs.order_by("-submitted_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    target = SchemeRules.current().decision_target_days
    today = timezone.localdate()
    rows = [(app, decision_clock(app, target, today)) for app in page]
    return render(
        request,
        "staff/applications.html",
        {
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "target": target,
        },
    )
