"""One URL for every staff task: it finds the task and hands it to the page for its node."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.models import Application

from .. import services
from ..flows import CertificationFlow
from .staff_common import staff_required
from .staff_file import viewable_file
from .staff_paper import corrections
from .task_decision import issue, resolution
from .task_reconsider import reconsider_rejection
from .task_review import assign_jury, formal_review
from .task_score import score

flow = CertificationFlow.instance
TASK_PAGES = {
    flow.formal_review: formal_review,
    flow.assign_jury: assign_jury,
    flow.score: score,
    flow.resolution: resolution,
    flow.issue: issue,
    flow.reconsider_rejection: reconsider_rejection,
    # Only reachable on a paper application whose PES has no account (acts_for_paper_applicant).
    flow.corrections: corrections,
}


def _file_of_closed_task(user, task_pk: int) -> Application | None:
    """The application of a task that is done, if this user may open its file."""
    task = Task.objects.filter(pk=task_pk, status__in=[STATUS.DONE, STATUS.CANCELED]).first()
    return viewable_file(user, process__pk=task.process_id) if task is not None else None


@staff_required
def task_page(request, task_pk: int):
    try:
        task = services.open_task(task_pk=task_pk, user=request.user)
    except services.TaskNotAvailable:
        application = _file_of_closed_task(request.user, task_pk)
        if application is None:
            raise Http404 from None
        if request.method == "POST":
            messages.error(request, _("This task has already been completed by someone else."))
            return redirect("staff_inbox")
        # A bookmark, the browser's Back button or an old e-mail link: show where things stand.
        messages.info(
            request, _("This task has been completed. You are now viewing the application file.")
        )
        return redirect("staff_application", pk=application.pk)
    page = TASK_PAGES.get(task.flow_task)
    if page is None:
        raise Http404
    return page(request, task)
