"""Task lists: a user's inbox (tasks assigned to them) and queue (tasks their role may take).

A task is listed only if the user may open it (may_open, which services.open_task uses too):
the queries below find candidates by role, and the rules decide, so a chair who recused, a
juror whose term ended or a member of the applicant organisation never sees a task that would
answer 404.
"""

from django.db.models import QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.permissions import is_chair, is_officer

from .flows import CertificationFlow
from .nodes import HumanTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
flow = CertificationFlow.instance
OFFICER_NODES = [flow.formal_review, flow.assign_jury, flow.resolution, flow.issue]


def _tasks() -> QuerySet[Task]:
    return (
        Task.objects.filter(status__in=OPEN)
        .select_related("process__certificationprocess__application__organization", "owner")
        .order_by("created", "pk")
    )


def may_open(user, task: Task) -> bool:
    """The owner may go on with their task while they still hold the role; others may take it."""
    node = task.flow_task
    if not isinstance(node, HumanTask):
        return False  # a join waiting for its branches is nobody's to do
    return node.can_execute(user, task) if task.owner_id else node.can_assign(user, task)


def inbox(user) -> QuerySet[Task]:
    """Open tasks a user can act on now: their own, plus those their role may take."""
    if not user.is_authenticated:
        return Task.objects.none()
    candidates = _candidates(user)
    return _tasks().filter(pk__in=[task.pk for task in candidates if may_open(user, task)])


def _candidates(user) -> QuerySet[Task]:
    mine = _tasks().filter(owner=user)
    if is_officer(user):
        return mine | _tasks().filter(flow_task__in=OFFICER_NODES, owner__isnull=True)
    if is_chair(user):
        return mine | _tasks().filter(flow_task=flow.resolution, owner__isnull=True)
    return mine | _tasks().filter(
        flow_task=flow.corrections,
        owner__isnull=True,
        process__certificationprocess__application__organization__members=user,
    )


def open_tasks_of(application) -> QuerySet[Task]:
    return _tasks().filter(process__certificationprocess__application=application)
