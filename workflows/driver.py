"""Move an application through its stages by the real flow, as the people in each stage would.

One driver for the demo data (management/commands/seed_demo.py) and the tests (tests/stages.py):
each step finds the open task of a flow node (the node object, not its name) and acts on it
through workflows.services, so neither can reach a stage the flow would not.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from viewflow.workflow.models import Task

from certification.choices import CriterionScope
from certification.domain.criteria import criteria_of
from certification.models import (
    AgendaItem,
    Application,
    ApplicationItem,
    Criterion,
    Document,
    User,
)

from . import services
from .flows import CertificationFlow
from .queries import open_tasks_of

flow = CertificationFlow.instance


@dataclass
class Cast:
    """The people who move an application: its applicant, an officer, the jurors, the chair."""

    applicant: User
    officer: User
    jurors: list[User]
    chair: User
    extra: dict = field(default_factory=dict)


def open_task(application: Application, node, owner: User | None = None) -> Task:
    """The one open task of `node` (a node of CertificationFlow) on the application."""
    tasks = open_tasks_of(application).filter(flow_task=node)
    if owner is not None:
        tasks = tasks.filter(owner=owner)
    found = list(tasks)
    if len(found) != 1:
        raise AssertionError(f"expected one open {node.name} task, found {len(found)}")
    return found[0]


def submit(c: Cast, application: Application) -> Application:
    return services.submit(application=application, user=c.applicant)


def return_for_corrections(
    c: Cast, application: Application, defects: list[tuple[Document | None, str]]
):
    return services.formal_review(
        task_pk=open_task(application, flow.formal_review).pk,
        user=c.officer,
        outcome="corrections",
        defects=defects,
    )


def accept(c: Cast, application: Application):
    return services.formal_review(
        task_pk=open_task(application, flow.formal_review).pk, user=c.officer, outcome="accept"
    )


def reject(c: Cast, application: Application, note: str):
    return services.formal_review(
        task_pk=open_task(application, flow.formal_review).pk,
        user=c.officer,
        outcome="reject",
        note=note,
    )


def assign_jury(c: Cast, application: Application, jurors: list[User] | None = None):
    return services.assign_jury(
        task_pk=open_task(application, flow.assign_jury).pk,
        user=c.officer,
        jurors=c.jurors if jurors is None else jurors,
    )


def score_keys(application: Application) -> list[tuple[Criterion, ApplicationItem | None]]:
    """What a scorecard of this application scores: each organisation criterion once, each
    item criterion for every item, by the criteria version of its scoring round."""
    version = Application.objects.get(pk=application.pk).criteria_version
    items = list(application.items.all())
    keys = []
    for c in criteria_of(version):
        if c.scope == CriterionScope.ITEM:
            keys.extend((c, item) for item in items)
        else:
            keys.append((c, None))
    return keys


def scores(
    application: Application, points: Callable[[Criterion], int], reason: str
) -> dict[tuple[int, int | None], tuple[int, str]]:
    """A full scorecard: `points(criterion)` for every key, each with the same reason."""
    return {
        (c.pk, item.pk if item else None): (points(c), reason)
        for c, item in score_keys(application)
    }


def score_as(application: Application, juror: User, card: dict) -> None:
    """The juror declares impartiality and submits the scorecard `card` (see `scores`)."""
    task = open_task(application, flow.score, owner=juror)
    services.declare(task_pk=task.pk, user=juror, impartial=True)
    services.score(task_pk=task.pk, user=juror, scores=card)


def decisions(application: Application, granted_items) -> dict[int, tuple[bool, str]]:
    """Per item of the application: granted if among `granted_items`, else refused with a reason."""
    granted_ids = {item.pk for item in granted_items}
    return {
        item.pk: (
            item.pk in granted_ids,
            "" if item.pk in granted_ids else "Nie spełnia kryteriów.",
        )
        for item in application.items.all()
    }


def vote(
    agenda_item: AgendaItem,
    *,
    chair: User,
    granted_items: list,
    votes: int,
    justification: str,
):
    """The resolution on an agenda item: `granted_items` granted, the others refused; all
    `votes` for it if anything is granted, else all against."""
    application = agenda_item.application
    return services.record_session_resolution(
        user=chair,
        agenda_item=agenda_item,
        votes_for=votes if granted_items else 0,
        votes_against=0 if granted_items else votes,
        votes_abstaining=0,
        decisions=decisions(application, granted_items),
        justification=justification,
    )


def issue(c: Cast, application: Application):
    return services.issue_certificate(task_pk=open_task(application, flow.issue).pk, user=c.officer)
