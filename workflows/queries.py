"""Task lists: a user's inbox (tasks assigned to them) and queue (tasks their role may take).

A task is listed only if the user may open it (may_open, which services.open_task uses too):
the inbox's query states the task rules of certification/permissions.py in SQL, so a chair who
recused, a juror whose term ended or a member of the applicant organisation never sees a task
that would answer 404 (tests/test_url_matrix.py checks the two agree for every role and stage).
"""

from django.db.models import Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.choices import Declaration
from certification.models import JurorAssignment, Membership
from certification.permissions import is_chair, is_juror, is_officer

from .flows import CertificationFlow
from .nodes import HumanTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
flow = CertificationFlow.instance
OFFICER_NODES = [
    flow.formal_review,
    flow.assign_jury,
    flow.resolution,
    flow.issue,
    flow.reconsider_rejection,
]
# The applicant organisation's own steps.
APPLICANT_NODES = [flow.corrections, flow.reconsideration_window]
# Nodes where staff judge an application: never open to a member of the applicant organisation.
STAFF_NODES = [*OFFICER_NODES, flow.score]
APPLICATION = "process__certificationprocess__application"
# Corrections of a paper application whose PES has no account yet: the officers record them
# (certification.permissions.acts_for_paper_applicant).
PAPER_CORRECTIONS = Q(
    flow_task=flow.corrections, **{f"{APPLICATION}__received_on_paper__isnull": False}
) & ~Q(**{f"{APPLICATION}__organization__in": Membership.objects.values("organization_id")})


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
    own_organizations = Membership.objects.filter(user=user).values("organization_id")
    by_role = Q(
        flow_task__in=APPLICANT_NODES, **{f"{APPLICATION}__organization__in": own_organizations}
    )
    if is_officer(user):
        by_role |= Q(flow_task__in=OFFICER_NODES) | PAPER_CORRECTIONS
    elif is_chair(user):
        recused = JurorAssignment.objects.filter(juror=user, declaration=Declaration.RECUSED)
        by_role |= Q(flow_task=flow.resolution) & ~Q(
            **{f"{APPLICATION}__in": recused.values("application_id")}
        )
    if is_juror(user):
        by_role |= Q(flow_task=flow.score)
    conflicted = Q(
        flow_task__in=STAFF_NODES, **{f"{APPLICATION}__organization__in": own_organizations}
    )
    return _tasks().filter(by_role, Q(owner__isnull=True) | Q(owner=user)).exclude(conflicted)


def open_tasks_of(application) -> QuerySet[Task]:
    return _tasks().filter(process__certificationprocess__application=application)
