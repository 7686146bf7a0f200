"""Helpers for the decision-letter tests: decisions reached through the real flow, and a
letter's text as pdftotext reads it."""

import shutil
import subprocess

import pytest
from django.db import transaction
from django.utils import timezone

from certification import events
from certification.choices import ReconsiderationStatus, ResolutionOutcome
from certification.models import (
    Application,
    DecisionLetter,
    ItemDecision,
    ReconsiderationRequest,
    Resolution,
)
from workflows import services

from . import factories, stages

NOTE = "Organizacja działa krócej niż 6 miesięcy; odpis z KRS z 2026 r."
JUSTIFICATION = "Kapituła oceniła wniosek."  # stages.vote's justification
REFUSED_REASON = "Nie spełnia kryteriów."  # stages.decisions' reason for a refused item

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="`pdftotext` is not installed (Debian package poppler-utils)",
)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # In reading order (a table row's cells one after another); lines wrap anywhere: compare
    # words, not layout.
    return " ".join(text.split())


def letter_text(letter: DecisionLetter, tmp_path) -> str:
    with letter.pdf.open("rb") as stored:
        return pdf_text(stored.read(), tmp_path)


# Decisions, each through the flow as tests/stages.py drives it.


def refused(c: stages.Cast) -> Application:
    application = stages.awaiting_decision(c)
    stages.resolve(c, application, grant=False)
    return application


def partially_granted(c: stages.Cast) -> Application:
    application = stages.awaiting_decision(c)
    first, _second = factories.items_of(application)
    stages.resolve(c, application, only=[first])
    return application


def formally_rejected(c: stages.Cast, note: str = NOTE) -> Application:
    application = stages.submitted(c)
    services.formal_review(
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="reject",
        note=note,
    )
    return application


# What h/recon's reconsideration does at its end, as the records and the event it announces.


def upheld_formal_rejection(c: stages.Cast, application: Application, answer: str):
    """An officer upholds the formal rejection on reconsideration: RECONSIDERATION_DECIDED."""
    review = application.reviews.get(outcome="reject")
    with transaction.atomic():
        request = ReconsiderationRequest.objects.create(
            application=application,
            contested_review=review,
            reasons="Działamy od ponad roku.",
            filed_by=c.applicant,
            deadline=timezone.localdate(),
            status=ReconsiderationStatus.DECIDED,
            decided_at=timezone.now(),
            officer_answer=answer,
            upheld=True,
        )
        events.announce(events.RECONSIDERATION_DECIDED, request_id=request.pk)
    return request


def final_refusal(c: stages.Cast, application: Application, reason: str) -> Resolution:
    """The jury decides a reconsideration: the JURY_DECISION of a final resolution."""
    first = application.resolutions.get()
    with transaction.atomic():
        resolution = Resolution.objects.create(
            application=application,
            number=f"U/{application.pk}/2026/P",
            date=timezone.localdate(),
            votes_for=0,
            votes_against=3,
            votes_abstaining=0,
            outcome=ResolutionOutcome.REFUSED,
            justification=reason,
            is_final=True,
            recorded_by=c.chair,
        )
        ItemDecision.objects.bulk_create(
            ItemDecision(resolution=resolution, item=d.item, granted=False, reason=reason)
            for d in first.item_decisions.all()
        )
        events.announce(events.JURY_DECISION, resolution_id=resolution.pk)
    return resolution
