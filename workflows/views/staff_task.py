"""One URL for every staff task: it finds the task and hands it to the page for its node."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.permissions import applications_visible_to

from .. import services
from .staff_common import staff_required
from .task_decision import issue, resolution
from .task_review import assign_jury, formal_review
from .task_score import score

TASK_PAGES = {
    "formal_review": formal_review,
    "assign_jury": assign_jury,
    "score": score,
    "resolution": resolution,
    "issue": issue,
}


def _closed_task_seen_by(user, task_pk: int) -> bool:
    """A task that was open when the user loaded the form, on an application they can see."""
    task = Task.objects.filter(pk=task_pk, status__in=[STATUS.DONE, STATUS.CANCELED]).first()
    return (
        task is not None
        and applications_visible_to(user).filter(process__pk=task.process_id).exists()
    )


@staff_required
def task_page(request, task_pk: int):
    try:
        task = services.open_task(task_pk=task_pk, user=request.user)
    except services.TaskNotAvailable:
        if request.method == "POST" and _closed_task_seen_by(request.user, task_pk):
            messages.error(request, _("This task has already been completed by someone else."))
            return redirect("staff_inbox")
        raise Http404 from None
    page = TASK_PAGES.get(task.flow_task.name)
    if page is None:
        raise Http404
    return page(request, task)
