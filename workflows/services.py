"""The workflow's entry points. Views, tests and commands act on applications through these.

Each call takes the process lock (SELECT ... FOR UPDATE on PostgreSQL), re-reads the task under
it, checks that the user may act, runs one domain function and moves the flow on — all in one
transaction, so a failed rule leaves nothing changed.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.choices import ApplicationStatus, Declaration
from certification.domain import (
    applications,
    certificates,
    jury,
    jury_drafts,
    reconsideration,
    review,
    sessions,
)
from certification.domain.errors import DomainError
from certification.models import (
    AgendaItem,
    Application,
    Certificate,
    Document,
    JurorAssignment,
    Resolution,
)

from .flows import CertificationFlow
from .queries import OPEN, may_open, open_tasks_of


class TaskNotAvailable(DomainError):
    """The task is closed, or not this user's to do. Views answer it with 404."""


def submit(*, application: Application, user) -> Application:
    with transaction.atomic():
        submitted = applications.submit_application(application=application, user=user)
        CertificationFlow.start.run(application=submitted)
    return submitted


def _run(*, task_pk: int, user, action: Callable[[Task, Application], Any], complete=True):
    task = Task.objects.filter(pk=task_pk).first()
    if task is None:
        raise TaskNotAvailable(_("There is no such task."))
    with CertificationFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            raise TaskNotAvailable(_("This task has already been completed by someone else."))
        node = task.flow_task
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            if not node.can_assign(user, task):
                raise TaskNotAvailable(_("This task is not yours to do."))
            activation.assign(user)
        if not node.can_execute(user, task):
            raise TaskNotAvailable(_("This task is not yours to do."))
        application = activation.process.application
        result = action(task, application)
        if complete if not callable(complete) else complete(result):
            activation.start(None)
            activation.execute()
        return result


def open_task(*, task_pk: int, user, node=None) -> Task:
    """The task (of `node`, a CertificationFlow node, if given), if this user may work on it
    now; TaskNotAvailable otherwise."""
    task = Task.objects.select_related("process").filter(pk=task_pk).first()
    if task is None or task.status in (STATUS.DONE, STATUS.CANCELED):
        raise TaskNotAvailable(_("There is no such task."))
    if node is not None and task.flow_task != node:
        raise TaskNotAvailable(_("There is no such task."))
    if not may_open(user, task):
        raise TaskNotAvailable(_("There is no such task."))
    return task


def formal_review(
    *,
    task_pk: int,
    user,
    outcome: str,
    note: str = "",
    defects: list[tuple[Document | None, str]] | None = None,
    deadline: datetime.date | None = None,
):
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: review.record_formal_review(
            application=app,
            officer=user,
            outcome=outcome,
            note=note,
            defects=defects,
            deadline=deadline,
        ),
    )


def answer_corrections(*, task_pk: int, user, answer: str = ""):
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: review.submit_corrections(
            application=app, user=user, answer=answer
        ),
    )


def _done_by_system(task: Task, action: Callable[[], Any]) -> bool:
    """Complete an open task as the system (no owner) after `action`, under the process lock.
    False, with nothing changed, when the task was done meanwhile or the action refused."""
    with CertificationFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return False
        try:
            action()
        except DomainError:
            return False
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(None)  # done by the system, not by a person
        activation.start(None)
        activation.execute()
    return True


def reject_missed_deadlines(*, today: datetime.date) -> list[Application]:
    """Formally reject every application whose corrections deadline passed before `today`.

    The applicant's corrections task is closed by the system (no owner) and the flow ends in
    "rejected". Safe to run twice or concurrently: each one is re-checked under the lock.
    """
    rejected = []
    overdue = Application.objects.filter(
        status=ApplicationStatus.CORRECTIONS, corrections_deadline__lt=today
    ).order_by("corrections_deadline", "pk")
    for application in overdue:
        task = open_tasks_of(application).filter(flow_task=CertificationFlow.corrections).first()
        if task is None:
            continue
        # Skipped when the applicant sent the corrections meanwhile.
        if _done_by_system(
            task,
            lambda app=application: review.reject_missed_deadline(application=app, today=today),
        ):
            rejected.append(application)
    return rejected


def assign_jury(*, task_pk: int, user, jurors: Iterable):
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: jury.assign_jurors(application=app, officer=user, jurors=jurors),
    )


def assignment_of(task: Task) -> JurorAssignment:
    return JurorAssignment.objects.select_related("application").get(pk=task.data["assignment"])


def declare(*, task_pk: int, user, impartial: bool, reason: str = "") -> JurorAssignment:
    """A recusal ends the juror's task; an impartiality declaration opens the scorecard."""
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: jury.declare_impartiality(
            assignment=assignment_of(task), juror=user, impartial=impartial, reason=reason
        ),
        complete=lambda assignment: assignment.declaration == Declaration.RECUSED,
    )


def score(
    *,
    task_pk: int,
    user,
    scores: dict[tuple[int, int | None], tuple[int, str]],
    comment: str = "",
):
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: jury.submit_scorecard(
            assignment=assignment_of(task), juror=user, scores=scores, comment=comment
        ),
    )


def save_score_draft(*, task_pk: int, user, data: dict[str, str]):
    """Keep the juror's unfinished scorecard; the task stays open (nothing is submitted)."""
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: jury_drafts.save_scorecard_draft(
            assignment=assignment_of(task), juror=user, data=data
        ),
        complete=False,
    )


def record_session_resolution(
    *,
    user,
    agenda_item: AgendaItem,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    decisions: dict[int, tuple[bool, str]],
    justification: str,
    date: datetime.date | None = None,
) -> Resolution:
    """The jury's resolution on an agenda item of a session (sessions.record_resolution), and
    the application's `resolution` task done by whoever recorded it."""
    task = (
        open_tasks_of(agenda_item.application_id)
        .filter(flow_task=CertificationFlow.resolution)
        .first()
    )
    if task is None:
        raise TaskNotAvailable(_("This application is not waiting for the jury's resolution."))
    with CertificationFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            raise TaskNotAvailable(_("This task has already been completed by someone else."))
        node = task.flow_task
        activation = node.activation_class(task)
        if task.owner_id != user.pk:
            if not user.has_perm(node.rule, node.application_of(task)):
                raise TaskNotAvailable(_("This task is not yours to do."))
            # The task is the session's, not one person's: whoever records the resolution
            # (the chair, or an officer as secretary) does it, whoever had taken it before.
            if task.status == STATUS.NEW:
                activation.assign(user)
            else:
                activation.reassign(user)
        resolution = sessions.record_resolution(
            user=user,
            agenda_item=agenda_item,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstaining=votes_abstaining,
            decisions=decisions,
            justification=justification,
            date=date,
        )
        activation.start(None)
        activation.execute()
        return resolution


def issue_certificate(*, task_pk: int, user) -> Certificate:
    # Numbered and valid at once; the PDF is a job (certification/tasks.py), made outside the
    # numbering lock and retried while the document store is down.
    return _run(
        task_pk=task_pk,
        user=user,
        action=lambda task, app: certificates.issue_certificate(application=app, officer=user),
    )


# Reconsideration: the applicant's one request, an officer's second look at a formal rejection,
# and the daily closing of the windows nobody used (certification/domain/reconsideration.py).


def window_task(application: Application) -> Task | None:
    """The application's open reconsideration window, if the flow waits there."""
    return (
        open_tasks_of(application)
        .filter(flow_task=CertificationFlow.reconsideration_window)
        .first()
    )


def request_reconsideration(
    *, application: Application, user, reasons: str, attachments=(), today=None
):
    """File the request and move the flow on: to the jury or to an officer."""
    task = window_task(application)
    if task is None:
        # No window: the domain says why (too late, already asked, final, nothing to contest).
        _contestable, problem = reconsideration.may_request(application, today=today)
        raise DomainError(problem or _("Reconsideration cannot be requested now."))
    return _run(
        task_pk=task.pk,
        user=user,
        action=lambda task, app: reconsideration.file_request(
            application=app, user=user, reasons=reasons, attachments=attachments, today=today
        ),
    )


def decide_rejection_reconsideration(*, task_pk: int, user, uphold: bool, answer: str):
    def action(task, application):
        request = reconsideration.pending_request(application)
        if request is None or request.contested_review_id is None:
            raise DomainError(_("This request is not awaiting an officer's decision."))
        return reconsideration.decide_formal_reconsideration(
            officer=user, request=request, uphold=uphold, answer=answer
        )

    return _run(task_pk=task_pk, user=user, action=action)


def close_reconsideration_windows(*, today: datetime.date) -> list[Application]:
    """End the flow of every application whose time to request reconsideration ended before
    `today` with no request: the decision stands. Closed by the system (no owner), like a missed
    corrections deadline; safe to run twice or concurrently, each re-checked under the lock."""
    closed = []
    windows = Task.objects.filter(
        status__in=OPEN, flow_task=CertificationFlow.reconsideration_window
    ).order_by("created", "pk")
    for task in windows:
        application = Application.objects.get(process__pk=task.process_id)
        contestable = reconsideration.contestable_decision(application)
        if contestable is None or contestable.deadline >= today:
            continue
        # Skipped when the request was filed meanwhile.
        if _done_by_system(
            task,
            lambda app=application: reconsideration.close_window(application=app, today=today),
        ):
            closed.append(application)
    return closed
