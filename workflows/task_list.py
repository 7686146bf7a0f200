"""The staff task list with due dates (issue 11 §2): the workflow's open tasks a user can act
on (queries.inbox), plus, for officers, the dated things outside the flow: suspensions whose
correction period has ended (reinstate or revoke) and applications awaiting corrections.

Overdue rows first, then by due date (rows without one last), then the oldest first. A fixed
number of queries, however many rows.

Due dates: a juror's scoring task, the assignment's due date; jury assignment and the jury's
resolution, the decision target (the scheme's days from the complete file, as reminders.py
counts them); corrections, their deadline; a suspension, the end of its correction period.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from certification.choices import SessionStatus
from certification.domain import deadlines, paper, reminders
from certification.domain.certificates import number_to_slug
from certification.models import AgendaItem, JurorAssignment, SchemeRules
from certification.permissions import is_chair, is_officer, staff_files_visible_to

from . import queries

flow = queries.flow
DECISION_CLOCK_NODES = (flow.assign_jury, flow.resolution)


@dataclass
class Row:
    title: str
    url: str
    number: str  # the application's or the certificate's
    organization: str
    since: datetime.datetime | datetime.date | None
    status: str
    due: datetime.date | None
    today: datetime.date
    due_label: str = ""
    task: Task | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # further (text, url)
    mine: bool = False
    on_paper: bool = False

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def due_today(self) -> bool:
        return self.due is not None and self.due == self.today

    def sort_key(self):
        since = self.since
        if isinstance(since, datetime.datetime):
            since = timezone.localdate(since)
        return (
            not self.overdue,
            self.due is None,
            self.due or datetime.date.max,
            since or datetime.date.max,
            self.number,
        )


def _workflow_rows(user, today: datetime.date) -> list[Row]:
    # The applicant's tasks (corrections, reconsideration) have their own pages on their side.
    # Except a paper application's corrections, which the officer records for its PES.
    tasks = list(
        queries.inbox(user).exclude(
            Q(flow_task__in=queries.APPLICANT_NODES) & ~queries.PAPER_CORRECTIONS
        )
    )
    applications = {t.pk: t.process.certificationprocess.application for t in tasks}
    # A resolution is recorded at the session whose agenda has the application: link there.
    waiting = [applications[t.pk].pk for t in tasks if t.flow_task == flow.resolution]
    on_agenda = {
        item.application_id: item.session
        for item in AgendaItem.objects.filter(
            application_id__in=waiting,
            session__status=SessionStatus.SCHEDULED,
            resolution__isnull=True,
        ).select_related("session")
    }
    rules = SchemeRules.current()
    scoring = [t.data["assignment"] for t in tasks if t.flow_task == flow.score]
    scoring_due = {
        a.pk: reminders.scoring_due(a, days=rules.scoring_days)
        for a in (JurorAssignment.objects.filter(pk__in=scoring) if scoring else [])
    }
    to_session = is_chair(user)
    rows = []
    for task in tasks:
        application = applications[task.pk]
        session = on_agenda.get(application.pk)
        due, due_label = None, ""
        if task.flow_task == flow.score:
            due, due_label = scoring_due.get(task.data["assignment"]), _("scorecard due")
        elif task.flow_task == flow.corrections:  # a paper application's, recorded by the officer
            due, due_label = application.corrections_deadline, _("corrections deadline")
        elif (
            task.flow_task in DECISION_CLOCK_NODES
            and application.status in reminders.UNDECIDED
            and application.complete_at is not None
        ):
            due = timezone.localdate(application.complete_at) + datetime.timedelta(
                days=rules.decision_target_days
            )
            due_label = _("decision target")
        url = reverse("staff_task", args=[task.pk])
        links = []
        if session is not None:
            session_url = reverse("staff_session", args=[session.pk])
            if to_session:
                url = session_url
            links.append(
                (_("On the agenda of session %(number)s") % {"number": session.number}, session_url)
            )
        rows.append(
            Row(
                title=str(task.flow_task.task_title),
                url=url,
                number=application.number,
                organization=application.organization.name,
                since=task.created,
                status=application.get_status_display(),
                due=due,
                due_label=due_label,
                today=today,
                task=task,
                links=links,
                mine=task.owner_id == user.pk,
                on_paper=application.on_paper,
            )
        )
    return rows


def _officer_rows(user, today: datetime.date) -> list[Row]:
    rows = []
    for certificate in deadlines.suspensions_ended(today=today).exclude(organization__members=user):
        url = reverse("staff_certificate", kwargs={"slug": number_to_slug(certificate.number)})
        rows.append(
            Row(
                title=str(_("Suspension: reinstate or revoke")),
                url=url,
                number=certificate.number,
                organization=certificate.organization.name,
                since=certificate.suspended_at,
                status=certificate.get_status_display(),
                due=certificate.correction_until,
                due_label=_("end of the correction period"),
                today=today,
                links=[
                    (_("Reinstate"), f"{url}#reinstate-title"),
                    (_("Revoke"), f"{url}#revoke-title"),
                ],
            )
        )
    awaited = deadlines.corrections_awaited().filter(
        pk__in=staff_files_visible_to(user).values("pk")
    )
    for application in awaited:
        if paper.unclaimed(application):
            continue  # the officer's own corrections task stands for it (_workflow_rows)
        rows.append(
            Row(
                title=str(_("Corrections awaited from the applicant")),
                url=reverse("staff_application", args=[application.pk]),
                number=application.number,
                organization=application.organization.name,
                since=None,
                status=application.get_status_display(),
                due=application.corrections_deadline,
                due_label=_("corrections deadline"),
                today=today,
                links=[
                    (
                        _("Extend the deadline"),
                        reverse("staff_extend_deadline", args=[application.pk]),
                    )
                ],
            )
        )
    return rows


def task_rows(user, *, today: datetime.date | None = None) -> list[Row]:
    """The user's task list, overdue first, then by due date."""
    today = today or timezone.localdate()
    rows = _workflow_rows(user, today)
    if is_officer(user):
        rows += _officer_rows(user, today)
    return sorted(rows, key=Row.sort_key)
