"""Reconsideration through the flow: the applicant's one request after a refusal, a partial
grant or a formal rejection, the second decision (final), and the window that closes unused."""

import datetime
import hashlib
import io

import pytest
from django.utils import translation
from pypdf import PdfReader
from viewflow.workflow.status import PROCESS, STATUS

from certification.choices import ApplicationStatus, ReconsiderationStatus, ResolutionOutcome
from certification.domain import decision, reconsideration, search
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Certificate, ReconsiderationRequest
from certification.storage import stored_objects
from workflows import services

from . import stages
from .mail import run_jobs, sent_mail

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Messages as the msgids give them (the domain speaks the caller's language)."""
    with translation.override("en"):
        yield


def finished_at(application, end_node) -> bool:
    process = application.process
    process.refresh_from_db()
    ends = stages.tasks_of(application, end_node)
    return (
        process.status == PROCESS.DONE
        and stages.open_nodes(application) == []
        and [t.status for t in ends] == [STATUS.DONE]
    )


def test_refusal_reconsidered_by_the_jury_grants_and_is_final():
    c = stages.cast()
    application = stages.refused(c)
    first = decision.in_force(application)
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]

    request = stages.request_reconsideration(c, application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECONSIDERATION
    assert stages.open_nodes(application) == [stages.flow.resolution]
    assert request.contested_resolution == first and request.contested_review is None
    assert request.deadline == first.date + datetime.timedelta(days=14)
    assert request.status == ReconsiderationStatus.PENDING

    final = stages.decide_reconsideration(c, application)

    application.refresh_from_db()
    request.refresh_from_db()
    assert final.is_final and final.outcome == ResolutionOutcome.GRANTED
    assert decision.in_force(application) == final
    assert request.status == ReconsiderationStatus.DECIDED and request.decided_at
    assert application.status == ApplicationStatus.GRANTED
    # A grant is certified, with no new window: the second decision is final.
    assert stages.open_nodes(application) == [stages.flow.issue]
    services.issue_certificate(
        task_pk=stages.open_task(application, stages.flow.issue).pk, user=c.officer
    )
    assert finished_at(application, stages.flow.certified)
    assert reconsideration.may_request(application)[0] is None


def test_final_refusal_ends_the_flow_and_cannot_be_contested_again():
    c = stages.cast()
    application = stages.refused(c)
    stages.request_reconsideration(c, application)

    stages.decide_reconsideration(c, application, grant=False)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert finished_at(application, stages.flow.refused)
    contestable, why = reconsideration.may_request(application)
    assert contestable is None
    assert why == "This decision was taken on reconsideration: it is final."
    with pytest.raises(DomainError, match="it is final"):
        stages.request_reconsideration(c, application)


def test_formal_rejection_upheld_on_reconsideration_is_final(django_capture_on_commit_callbacks):
    c = stages.cast()
    application = stages.formally_rejected(c)
    rejection = application.reviews.get()
    request = stages.request_reconsideration(c, application)
    application.refresh_from_db()
    assert request.contested_review == rejection and request.contested_resolution is None
    assert application.status == ApplicationStatus.RECONSIDERATION
    assert stages.open_nodes(application) == [stages.flow.reconsider_rejection]
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        stages.decide_rejection(c, application, uphold=True, answer="Brak celów społecznych.")
    run_jobs()

    application.refresh_from_db()
    request.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert (request.status, request.upheld, request.officer_answer) == (
        ReconsiderationStatus.DECIDED,
        True,
        "Brak celów społecznych.",
    )
    assert finished_at(application, stages.flow.rejected)
    assert reconsideration.may_request(application)[0] is None
    event = AuditEvent.objects.get(action="reconsideration.upheld")
    assert (event.actor, event.from_state, event.to_state) == (
        c.officer,
        ApplicationStatus.RECONSIDERATION,
        ApplicationStatus.REJECTED,
    )
    [message] = sent_mail()
    assert c.applicant.email in message.recipients()
    assert "Brak celów społecznych." in message.body


def test_formal_rejection_overturned_goes_to_jury_assignment():
    c = stages.cast()
    application = stages.formally_rejected(c)
    stages.request_reconsideration(c, application)

    stages.decide_rejection(c, application, uphold=False, answer="Cele społeczne wykazano.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.JURY_ASSIGNMENT
    assert application.complete_at is not None  # the decision clock starts now
    assert stages.open_nodes(application) == [stages.flow.assign_jury]
    assert application.reconsiderations.get().upheld is False

    # The jury's decision is a first decision of its own: a refusal may be contested again.
    services.assign_jury(
        task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=c.jurors,
    )
    for juror in c.jurors:
        stages.score_as(application, juror)
    stages.resolve(c, application, grant=False)
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]


def test_window_closes_the_day_after_its_deadline_and_the_flow_ends():
    c = stages.cast()
    application = stages.refused(c)
    deadline = reconsideration.contestable_decision(application).deadline

    assert services.close_reconsideration_windows(today=deadline) == []
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]

    assert services.close_reconsideration_windows(today=deadline + DAY) == [application]
    assert services.close_reconsideration_windows(today=deadline + DAY) == []  # once

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert finished_at(application, stages.flow.refused)
    closed = AuditEvent.objects.get(action="reconsideration.window_closed")
    assert closed.actor is None and closed.message == deadline.isoformat()
    with pytest.raises(DomainError):
        stages.request_reconsideration(c, application, today=deadline + DAY)
    assert not ReconsiderationRequest.objects.exists()


def test_partial_grant_reconsidered_adds_the_items_to_the_certificate(
    django_capture_on_commit_callbacks,
):
    c = stages.cast()
    certificate = stages.partly_certified(c)
    application = certificate.application
    first_item, second_item = application.items.order_by("pk")
    old_pdf, old_sha = certificate.pdf.name, certificate.pdf_sha256
    assert list(certificate.items.all()) == [first_item]
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]

    stages.request_reconsideration(c, application)
    application.refresh_from_db()
    certificate.refresh_from_db()
    assert application.status == ApplicationStatus.RECONSIDERATION
    assert certificate.status == "valid"  # the granted item is certified meanwhile
    assert stages.open_nodes(application) == [stages.flow.resolution]
    sent_mail().clear()
    stored_before = {
        o.name for o in stored_objects(certificate.pdf.storage) if "certificates/" in o.name
    }

    with django_capture_on_commit_callbacks(execute=True):
        final = stages.decide_reconsideration(c, application)
    run_jobs()

    application.refresh_from_db()
    certificate.refresh_from_db()
    assert final.is_final and final.outcome == ResolutionOutcome.GRANTED
    assert application.status == ApplicationStatus.CERTIFIED
    assert finished_at(application, stages.flow.certified)
    assert Certificate.objects.filter(application=application).count() == 1
    assert set(certificate.items.all()) == {first_item, second_item}
    assert search.fold(second_item.name) in certificate.search_text  # the registry finds it
    # Printed again, with both items, in place of the old PDF (one file in the store).
    assert certificate.pdf and certificate.pdf_sha256 != old_sha
    with certificate.pdf.open("rb") as pdf:
        content = pdf.read()
    assert hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert second_item.name.split()[-1] in text and first_item.name.split()[-1] in text
    # A new version, 2, with its own PDF; version 1 keeps the old one (a shared bucket holds
    # other tests' files, so compare with what was there before).
    after = {o.name for o in stored_objects(certificate.pdf.storage) if "certificates/" in o.name}
    assert after - stored_before <= {certificate.pdf.name} and certificate.pdf.name in after
    assert old_pdf and old_pdf != certificate.pdf.name and old_pdf in after
    first, second = certificate.versions.order_by("number")
    assert (first.pdf.name, second.pdf.name) == (old_pdf, certificate.pdf.name)
    assert list(first.items.all()) == [first_item]
    assert set(second.items.all()) == {first_item, second_item}
    added = AuditEvent.objects.get(action="certificate.items_added")
    assert added.certificate == certificate and added.message == second_item.name
    subjects = [m.subject for m in sent_mail()]
    assert any(certificate.number in s for s in subjects)
