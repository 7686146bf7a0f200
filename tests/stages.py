"""Put applications in each workflow stage by driving the real flow (no shortcuts)."""

import datetime

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from certification.domain import jury, sessions
from certification.models import (
    AgendaItem,
    Application,
    JurySession,
    User,
)
from workflows import driver, services
from workflows.driver import Cast, flow

from . import factories
from .mail import run_jobs


def cast() -> Cast:
    jurors = [factories.juror() for _ in range(3)]
    return Cast(
        applicant=factories.applicant(),
        officer=factories.officer(),
        jurors=jurors,
        chair=factories.juror(chair=True),
    )


def open_task(application: Application, node, owner: User | None = None) -> Task:
    """The one open task of `node` (a node of CertificationFlow, e.g. `flow.score`)."""
    return driver.open_task(application, node, owner)


def submitted(c: Cast) -> Application:
    return driver.submit(c, factories.draft_application(user=c.applicant))


def in_corrections(c: Cast) -> Application:
    application = submitted(c)
    driver.return_for_corrections(
        c, application, [(application.documents.first(), "Odpis z KRS jest nieaktualny.")]
    )
    return application


def awaiting_jury(c: Cast) -> Application:
    application = submitted(c)
    driver.accept(c, application)
    return application


def scoring(c: Cast) -> Application:
    application = awaiting_jury(c)
    driver.assign_jury(c, application)
    return application


score_keys = driver.score_keys


def full_scores(
    application: Application, points_share: float = 0.8
) -> dict[tuple[int, int | None], tuple[int, str]]:
    return driver.scores(
        application, lambda c: round(c.max_points * points_share), "Uzasadnienie oceny."
    )


def score_as(application: Application, juror: User, points_share: float = 0.8) -> None:
    driver.score_as(application, juror, full_scores(application, points_share))


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


decisions = driver.decisions


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
    return driver.vote(
        agenda_item,
        chair=by or c.chair,
        granted_items=items,
        votes=3,
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
    certificate = driver.issue(c, application)
    run_jobs()
    certificate.refresh_from_db()
    return certificate


# Added for the flow, permission and concurrency tests.


def tasks_of(application: Application, node=None, *, open_only: bool = False):
    """The application's tasks in creation order, optionally of one node (e.g. `flow.issue`)
    or only open ones."""
    tasks = Task.objects.filter(process__certificationprocess__application=application).order_by(
        "created", "pk"
    )
    if open_only:
        tasks = tasks.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    return [t for t in tasks if node is None or t.flow_task == node]


def open_nodes(application: Application) -> list:
    """The flow nodes with an open task on the application, by name."""
    return sorted(
        (t.flow_task for t in tasks_of(application, open_only=True)), key=lambda n: n.name
    )


def scoring_declared(c: Cast) -> Application:
    """Being scored; the first juror has declared impartiality but not scored yet."""
    application = scoring(c)
    task = open_task(application, flow.score, owner=c.jurors[0])
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
            (t.flow_task, t.status, t.owner_id) for t in tasks_of(application, open_only=True)
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
    driver.reject(c, application, "Podmiot nie wykazał celów społecznych.")
    application.refresh_from_db()
    return application


def partly_certified(c: Cast):
    """The first item granted, the other refused; the certificate issued with its PDF."""
    application = awaiting_decision(c)
    resolve(c, application, only=list(application.items.order_by("pk")[:1]))
    certificate = driver.issue(c, application)
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
        task_pk=open_task(application, flow.reconsider_rejection).pk,
        user=c.officer,
        uphold=uphold,
        answer=answer,
    )


# Applications received on paper (certification.domain.paper).


def paper_registration(*, nip: str, items: int = 1, received_on=None, **organization) -> dict:
    """Everything an officer copies from a complete paper application, for a new organisation
    (its `organization` details overridable), ready for services_paper.register_paper."""
    from certification.domain.paper import PaperFile, PaperItem
    from certification.models import DocumentType

    types = {t.code: t for t in DocumentType.objects.all()}
    details = {
        "name": "Fundacja „Papierowa”",
        "legal_form": "foundation",
        "regon": factories.VALID_REGON,
        "krs": "0000123456",
        "street": "ul. Papierowa 1",
        "postal_code": "40-001",
        "town": "Katowice",
        "registration_date": timezone.localdate() - datetime.timedelta(days=800),
        "email": "fundacja@example.pl",
        **organization,
    }
    files = [
        PaperFile(document_type=types[code], uploaded=factories.pdf_upload(f"skan-{code}.pdf"))
        for code in ("krs_extract", "statute", "financial_statement")
    ]
    files += [
        PaperFile(
            document_type=types["recommendation"],
            uploaded=factories.pdf_upload(f"skan-rekomendacja-{n}-{k}.pdf"),
            item=n,
        )
        for n in range(items)
        for k in range(2)
    ]
    return {
        "nip": nip,
        "organization_fields": details,
        "received_on": received_on or timezone.localdate() - datetime.timedelta(days=3),
        "answers": {
            "social_goals": "Zatrudniamy osoby z niepełnosprawnościami.",
            "employees_total": 10,
            "employees_at_risk": 6,
            "own_revenue_percent": 40,
        },
        "items": [
            PaperItem(
                name=f"Szycie toreb {n}",
                kind="product",
                description="Torby szyte w warsztacie.",
                codes=factories.cpv(factories.CATERING),
            )
            for n in range(items)
        ],
        "files": files,
    }


def paper_submitted(c: Cast, *, nip: str | None = None, **kw) -> Application:
    """Registered by the officer from paper, for a new organisation without an account."""
    from workflows import services_paper

    return services_paper.register_paper(
        officer=c.officer,
        **paper_registration(
            nip=nip or factories.nip_for(90000 + Application.objects.count()), **kw
        ),
    )
