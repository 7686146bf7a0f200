"""Every path through the certification flow, driven from code as views would drive it."""

import datetime
import re

import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from certification.choices import ApplicationStatus, Declaration, ResolutionOutcome
from certification.domain import documents, reconsideration
from certification.models import AuditEvent, Certificate, DocumentType
from workflows import services

from . import factories, stages

pytestmark = pytest.mark.django_db


def status_changes(application) -> list[tuple[str, str]]:
    """The application's own status changes recorded in the audit log, in order."""
    events = AuditEvent.objects.filter(application=application, certificate__isnull=True).exclude(
        to_state=""
    )
    return [(e.from_state, e.to_state) for e in events]


def assert_finished_at(application, end_node) -> None:
    process = application.process
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.finished is not None
    assert stages.open_nodes(application) == []
    ends = stages.tasks_of(application, end_node)
    assert [t.status for t in ends] == [STATUS.DONE]


def close_window(application) -> None:
    """The daily job, the day after the time to request reconsideration ended."""
    deadline = reconsideration.contestable_decision(application).deadline
    assert services.close_reconsideration_windows(today=deadline + datetime.timedelta(days=1)) == [
        application
    ]


def test_flow_granted_path_issues_a_numbered_certificate_and_finishes():
    c = stages.cast()
    certificate = stages.certified(c)
    application = certificate.application
    application.refresh_from_db()

    year = timezone.localdate().year
    assert re.fullmatch(rf"ZP/{year}/\d{{4}}", certificate.number)
    assert application.status == ApplicationStatus.CERTIFIED
    assert certificate.pdf and certificate.pdf_sha256
    assert set(certificate.items.all()) == set(application.items.all())
    assert_finished_at(application, stages.flow.certified)

    # One audit event per state change, each with where it came from and where it went.
    assert status_changes(application) == [
        ("", ApplicationStatus.DRAFT),
        (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.JURY_ASSIGNMENT),
        (ApplicationStatus.JURY_ASSIGNMENT, ApplicationStatus.SCORING),
        (ApplicationStatus.SCORING, ApplicationStatus.DECISION),
        (ApplicationStatus.DECISION, ApplicationStatus.GRANTED),
        (ApplicationStatus.GRANTED, ApplicationStatus.CERTIFIED),
    ]
    issued = AuditEvent.objects.get(certificate=certificate)
    assert (issued.action, issued.to_state, issued.actor) == (
        "certificate.issued",
        "valid",
        c.officer,
    )


def test_flow_corrections_loop_returns_to_formal_review_then_accepts():
    c = stages.cast()
    application = stages.in_corrections(c)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTIONS
    assert application.corrections_deadline > timezone.localdate()
    assert stages.open_nodes(application) == [stages.flow.corrections]

    # During corrections the applicant replaces the faulty document with a new version.
    old = application.documents.get(document_type__code="krs_extract")
    documents.add_document(
        application=application,
        user=c.applicant,
        document_type=DocumentType.objects.get(code="krs_extract"),
        uploaded=factories.pdf_upload("odpis-aktualny.pdf"),
        replaces=old,
    )
    services.answer_corrections(
        task_pk=stages.open_task(application, stages.flow.corrections).pk,
        user=c.applicant,
        answer="Dołączyliśmy aktualny odpis.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.corrections_deadline is None
    assert stages.open_nodes(application) == [stages.flow.formal_review]
    assert len(stages.tasks_of(application, stages.flow.formal_review)) == 2

    services.formal_review(
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="accept",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.JURY_ASSIGNMENT
    assert stages.open_nodes(application) == [stages.flow.assign_jury]
    first_review = application.reviews.first()
    assert first_review.answer == "Dołączyliśmy aktualny odpis."
    assert [r.outcome for r in application.reviews.all()] == ["corrections", "accept"]
    assert status_changes(application)[1:] == [
        (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTIONS),
        (ApplicationStatus.CORRECTIONS, ApplicationStatus.SUBMITTED),
        (ApplicationStatus.SUBMITTED, ApplicationStatus.JURY_ASSIGNMENT),
    ]


def test_flow_formal_rejection_ends_the_process_at_rejected():
    c = stages.cast()
    application = stages.submitted(c)
    services.formal_review(
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="reject",
        note="Podmiot nie jest podmiotem ekonomii społecznej.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    # The applicant may contest the rejection; when the time for it passes, it ends there.
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]
    close_window(application)
    assert_finished_at(application, stages.flow.rejected)
    assert not application.assignments.exists()


def test_flow_refusal_by_the_jury_ends_without_certificate():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    resolution = stages.resolve(c, application, grant=False)
    application.refresh_from_db()

    assert resolution.outcome == ResolutionOutcome.REFUSED
    assert application.status == ApplicationStatus.REFUSED
    assert application.decided_at is not None
    assert stages.tasks_of(application, stages.flow.issue) == []
    assert not Certificate.objects.filter(application=application).exists()
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]
    close_window(application)
    assert_finished_at(application, stages.flow.refused)


def test_flow_partial_grant_certifies_only_granted_items():
    c = stages.cast()
    application = stages.awaiting_decision(c)
    granted_item, refused_item = factories.items_of(application)
    resolution = stages.resolve(c, application, only=[granted_item])
    assert resolution.outcome == ResolutionOutcome.PARTIALLY_GRANTED

    certificate = services.issue_certificate(
        task_pk=stages.open_task(application, stages.flow.issue).pk, user=c.officer
    )
    assert list(certificate.items.all()) == [granted_item]
    assert refused_item not in certificate.items.all()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CERTIFIED
    # The refused item may be contested; the certificate is valid meanwhile.
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]
    close_window(application)
    assert_finished_at(application, stages.flow.certified)


def test_flow_recusal_sends_the_application_back_for_one_more_juror():
    c = stages.cast()
    application = stages.scoring(c)
    recusing, *others = c.jurors
    services.declare(
        task_pk=stages.open_task(application, stages.flow.score, owner=recusing).pk,
        user=recusing,
        impartial=False,
        reason="Jestem członkiem zarządu tej spółdzielni.",
    )
    assert application.assignments.get(juror=recusing).declaration == Declaration.RECUSED
    assert len(stages.tasks_of(application, stages.flow.score, open_only=True)) == 2

    for juror in others:
        stages.score_as(application, juror)
    application.refresh_from_db()
    # Two scorecards do not make the quorum of three: back to assignment, not to decision.
    assert application.status == ApplicationStatus.JURY_ASSIGNMENT
    assert stages.open_nodes(application) == [stages.flow.assign_jury]
    assert stages.tasks_of(application, stages.flow.resolution) == []

    newcomer = factories.juror()
    services.assign_jury(
        task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=[newcomer],
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORING
    # Only the new juror gets a task; those who scored or recused are not asked again.
    assert [t.owner for t in stages.tasks_of(application, stages.flow.score, open_only=True)] == [
        newcomer
    ]

    stages.score_as(application, newcomer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECISION
    assert stages.open_nodes(application) == [stages.flow.resolution]
    assert application.assignments.filter(scorecard__isnull=False).count() == 3
    assert [to for _f, to in status_changes(application)][-4:] == [
        ApplicationStatus.SCORING,
        ApplicationStatus.JURY_ASSIGNMENT,
        ApplicationStatus.SCORING,
        ApplicationStatus.DECISION,
    ]


def test_flow_join_leaves_exactly_one_resolution_task():
    c = stages.cast()
    application = stages.scoring(c)
    for n, juror in enumerate(c.jurors):
        stages.score_as(application, juror)
        if n < len(c.jurors) - 1:
            assert stages.tasks_of(application, stages.flow.resolution) == []
    application.refresh_from_db()

    assert application.status == ApplicationStatus.DECISION
    assert len(stages.tasks_of(application, stages.flow.resolution, open_only=True)) == 1
    assert stages.open_nodes(application) == [stages.flow.resolution]
    joins = stages.tasks_of(application, stages.flow.scoring_join)
    assert [t.status for t in joins] == [STATUS.DONE]
    assert len(stages.tasks_of(application, stages.flow.close_round)) == 1
