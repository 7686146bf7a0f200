"""Put applications in each workflow stage by driving the real flow (no shortcuts)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.choices import CriterionScope
from certification.domain import jury, sessions
from certification.domain.criteria import criteria_of
from certification.models import (
    AgendaItem,
    Application,
    ApplicationItem,
    Criterion,
    JurySession,
    User,
)
from workflows import services
from workflows.flows import CertificationFlow

from . import factories
from .mail import run_jobs

flow = CertificationFlow.instance


@dataclass
class Cast:
    applicant: User
    officer: User
    jurors: list[User]
    chair: User
    extra: dict = field(default_factory=dict)


def cast() -> Cast:
    jurors = [factories.juror() for _ in range(3)]
    return Cast(
        applicant=factories.applicant(),
        officer=factories.officer(),
        jurors=jurors,
        chair=factories.juror(chair=True),
    )


def open_task(application: Application, node, owner: User | None = None) -> Task:
    tasks = Task.objects.filter(
        process__certificationprocess__application=application,
        status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
    )
    name = node if isinstance(node, str) else node.name
    tasks = [t for t in tasks if t.flow_task.name == name]
    if owner is not None:
        tasks = [t for t in tasks if t.owner_id == owner.pk]
    assert len(tasks) == 1, f"expected one open {name} task, found {len(tasks)}"
    return tasks[0]


def submitted(c: Cast) -> Application:
    application = factories.draft_application(user=c.applicant)
    return services.submit(application=application, user=c.applicant)


def in_corrections(c: Cast) -> Application:
    application = submitted(c)
    services.formal_review(
        task_pk=open_task(application, "formal_review").pk,
        user=c.officer,
        outcome="corrections",
        defects=[(application.documents.first(), "Odpis z KRS jest nieaktualny.")],
    )
    return application


def awaiting_jury(c: Cast) -> Application:
    application = submitted(c)
    services.formal_review(
        task_pk=open_task(application, "formal_review").pk, user=c.officer, outcome="accept"
    )
    return application


def scoring(c: Cast) -> Application:
    application = awaiting_jury(c)
    services.assign_jury(
        task_pk=open_task(application, "assign_jury").pk, user=c.officer, jurors=c.jurors
    )
    return application


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


def full_scores(
    application: Application, points_share: float = 0.8
) -> dict[tuple[int, int | None], tuple[int, str]]:
    return {
        (c.pk, item.pk if item else None): (
            round(c.max_points * points_share),
            "Uzasadnienie oceny.",
        )
        for c, item in score_keys(application)
    }


def score_as(application: Application, juror: User, points_share: float = 0.8) -> None:
    task = open_task(application, "score", owner=juror)
    services.declare(task_pk=task.pk, user=juror, impartial=True)
    services.score(task_pk=task.pk, user=juror, scores=full_scores(application, points_share))


def awaiting_decision(c: Cast) -> Application:
    application = scoring(c)
    for juror in c.jurors:
        score_as(application, juror)
    return application


def schedule(c: Cast, *, starts_at: datetime.datetime | None = None) -> JurySession:
    """A session of the jury; by default one that began an hour ago (so it may vote now)."""
    return sessions.schedule_session(
        officer=c.officer,
        starts_at=starts_at or timezone.now() - datetime.timedelta(hours=1),
        place="ROPS Katowice, sala 12",
    )


def everyone_present(c: Cast, session: JurySession) -> None:
    present = [m.user_id for m in jury.active_jurors()]
    sessions.record_attendance(user=c.officer, session=session, present=present)


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


def on_agenda(c: Cast, application: Application, session: JurySession | None = None) -> AgendaItem:
    """The application on the agenda of `session` (a new one if none), everyone present."""
    session = session or schedule(c)
    item = sessions.add_to_agenda(officer=c.officer, session=session, application=application)
    if not session.attendance.exists():
        everyone_present(c, session)
    return item


def vote(
    c: Cast,
    agenda_item: AgendaItem,
    *,
    grant: bool = True,
    by: User | None = None,
    only: list | None = None,
):
    """The resolution on an agenda item: every item granted, none (grant=False), or `only`."""
    application = agenda_item.application
    items = only if only is not None else list(application.items.all()) if grant else []
    return services.record_session_resolution(
        user=by or c.chair,
        agenda_item=agenda_item,
        votes_for=3 if items else 0,
        votes_against=0 if items else 3,
        votes_abstaining=0,
        decisions=decisions(application, items),
        justification="Kapituła oceniła wniosek.",
    )


def resolve(
    c: Cast,
    application: Application,
    *,
    grant: bool = True,
    by: User | None = None,
    only: list | None = None,
    close: bool = True,
):
    """The jury's resolution at a session of its own (scheduled, agenda, attendance, vote,
    closed): every item granted, none (grant=False), or `only` these."""
    agenda_item = on_agenda(c, application)
    resolution = vote(c, agenda_item, grant=grant, by=by, only=only)
    if close:
        sessions.close_session(user=c.officer, session=agenda_item.session)
    return resolution


def granted(c: Cast) -> Application:
    application = awaiting_decision(c)
    resolve(c, application)
    return application


def certified(c: Cast):
    """Issued, and the worker has run its jobs since: the PDF is attached, the e-mail sent."""
    application = granted(c)
    certificate = services.issue_certificate(
        task_pk=open_task(application, "issue").pk, user=c.officer
    )
    run_jobs()
    certificate.refresh_from_db()
    return certificate


# Added for the flow, permission and concurrency tests.


def tasks_of(application: Application, node_name: str | None = None, *, open_only: bool = False):
    """The application's tasks in creation order, optionally of one node or only open ones."""
    tasks = Task.objects.filter(process__certificationprocess__application=application).order_by(
        "created", "pk"
    )
    if open_only:
        tasks = tasks.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    return [t for t in tasks if node_name is None or t.flow_task.name == node_name]


def open_node_names(application: Application) -> list[str]:
    return sorted(t.flow_task.name for t in tasks_of(application, open_only=True))


def scoring_declared(c: Cast) -> Application:
    """Being scored; the first juror has declared impartiality but not scored yet."""
    application = scoring(c)
    task = open_task(application, "score", owner=c.jurors[0])
    services.declare(task_pk=task.pk, user=c.jurors[0], impartial=True)
    return application


def db_state(application: Application | None = None) -> dict:
    """Row counts and where the application stands: what a refused call must leave as it was."""
    from viewflow.workflow.models import Process

    from certification.models import (
        AuditEvent,
        Certificate,
        Document,
        Membership,
        Organization,
        Resolution,
        Score,
        Scorecard,
    )

    models = (AuditEvent, Organization, Membership, Application, Document, Scorecard, Score)
    models += (Resolution, Certificate, Process, Task)
    state = {model.__name__: model.objects.count() for model in models}
    # The test's own browser logging in is not something the call under test did.
    state["AuditEvent"] = AuditEvent.objects.exclude(action="user.logged_in").count()
    if application is not None:
        application.refresh_from_db()
        state["status"] = application.status
        state["number"] = application.number
        state["open_tasks"] = [
            (t.flow_task.name, t.status, t.owner_id) for t in tasks_of(application, open_only=True)
        ]
        state["declarations"] = list(application.assignments.values_list("declaration", flat=True))
    return state


# Reconsideration: the applicant's one request, and the second decision.


def refused(c: Cast) -> Application:
    """Refused by the jury; the flow waits for a reconsideration request."""
    application = awaiting_decision(c)
    resolve(c, application, grant=False)
    application.refresh_from_db()
    return application


def formally_rejected(c: Cast) -> Application:
    """Rejected in the formal review; the flow waits for a reconsideration request."""
    application = submitted(c)
    services.formal_review(
        task_pk=open_task(application, "formal_review").pk,
        user=c.officer,
        outcome="reject",
        note="Podmiot nie wykazał celów społecznych.",
    )
    application.refresh_from_db()
    return application


def partly_certified(c: Cast):
    """The first item granted, the other refused; the certificate issued with its PDF."""
    application = awaiting_decision(c)
    resolve(c, application, only=list(application.items.order_by("pk")[:1]))
    certificate = services.issue_certificate(
        task_pk=open_task(application, "issue").pk, user=c.officer
    )
    run_jobs()
    certificate.refresh_from_db()
    return certificate


def request_reconsideration(
    c: Cast, application: Application, *, reasons: str = "Kapituła pominęła rekomendacje.", **kw
):
    return services.request_reconsideration(
        application=application, user=c.applicant, reasons=reasons, **kw
    )


def decide_reconsideration(
    c: Cast, application: Application, *, grant: bool = True, only: list | None = None
):
    """The jury's second, final resolution on the request, at the next session."""
    return resolve(c, application, grant=grant, only=only)


def decide_rejection(c: Cast, application: Application, *, uphold: bool, answer: str = "Tak."):
    return services.decide_rejection_reconsideration(
        task_pk=open_task(application, "reconsider_rejection").pk,
        user=c.officer,
        uphold=uphold,
        answer=answer,
    )
