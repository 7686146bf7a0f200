"""The table of stages (certification/stages.py) against what the flow really does."""

import datetime

import pytest
from django.utils import translation

from certification import stages as table
from certification.choices import ApplicationStatus, Declaration
from certification.domain import audit
from certification.domain.errors import DomainError
from certification.models import AuditEvent
from workflows import services

from . import stages

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def status_changes() -> set[tuple[str, str]]:
    events = AuditEvent.objects.filter(certificate__isnull=True, application__isnull=False)
    # A draft's creation has no status before it: not a change of stage.
    changes = events.exclude(to_state="").exclude(from_state="")
    return set(changes.values_list("from_state", "to_state"))


def test_every_path_of_the_flow_makes_exactly_the_transitions_the_table_allows():
    c = stages.cast()
    # Corrections sent back; corrections missing their deadline.
    corrected = stages.in_corrections(c)
    services.answer_corrections(
        task_pk=stages.open_task(corrected, stages.flow.corrections).pk,
        user=c.applicant,
        answer="Poprawione.",
    )
    late = stages.in_corrections(c)
    late.refresh_from_db()
    assert services.reject_missed_deadlines(today=late.corrections_deadline + DAY) == [late]
    # A formal rejection contested: upheld, and overturned.
    for uphold in (True, False):
        rejected = stages.formally_rejected(c)
        stages.request_reconsideration(c, rejected)
        stages.decide_rejection(c, rejected, uphold=uphold)
    # A juror recuses: too few scorecards, back to assignment.
    short = stages.scoring(c)
    services.declare(
        task_pk=stages.open_task(short, stages.flow.score, owner=c.jurors[0]).pk,
        user=c.jurors[0],
        impartial=False,
        reason="Konflikt interesów.",
    )
    for juror in c.jurors[1:]:
        stages.score_as(short, juror)
    short.refresh_from_db()
    assert short.status == ApplicationStatus.JURY_ASSIGNMENT
    assert short.assignments.filter(declaration=Declaration.RECUSED).count() == 1
    # Refusals contested and decided again both ways; a partial grant contested.
    stages.certified(c)
    for grant in (True, False):
        refused = stages.refused(c)
        stages.request_reconsideration(c, refused)
        stages.decide_reconsideration(c, refused, grant=grant)
    partly = stages.partly_certified(c).application
    stages.request_reconsideration(c, partly)
    stages.decide_reconsideration(c, partly)

    assert status_changes() == set(table.transitions())


def test_a_change_the_table_does_not_allow_is_refused_and_nothing_is_written():
    c = stages.cast()
    application = stages.submitted(c)
    events = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(DomainError, match="cannot go from"):
        audit.change_status(
            application=application,
            actor=c.officer,
            action="application.certified",
            to_state=ApplicationStatus.CERTIFIED,
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert AuditEvent.objects.count() == events


def test_every_status_has_its_stage_and_closed_ones_lead_only_to_reconsideration():
    assert set(table.STAGES) == set(ApplicationStatus)
    for status in (ApplicationStatus.REFUSED, ApplicationStatus.REJECTED):
        assert table.stage(status).to == {ApplicationStatus.RECONSIDERATION}
    assert not any(ApplicationStatus.DRAFT in s.to for s in table.STAGES.values())
