"""Documents that go stale: the issue date asked at upload, the age checked when the application
is sent (and sent again after corrections), stale documents shown to the applicant and officer."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from certification.domain import document_age, documents
from certification.domain.errors import DomainError
from certification.models import DocumentType
from workflows import services

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def krs_three_months():
    return dated_krs()


def dated_krs():
    """From now on the KRS extract asks for its date and may be at most 3 months old."""
    krs = DocumentType.objects.get(code="krs_extract")
    krs.issue_date_required = True
    krs.max_age_months = 3
    krs.save()
    return krs


def today():
    return timezone.localdate()


def upload_krs(client, application, issue_date: str):
    krs = DocumentType.objects.get(code="krs_extract")
    slot = f"t{krs.pk}"
    return slot, client.post(
        reverse("application_documents", args=[application.pk]),
        {
            "slot": slot,
            f"{slot}-file": factories.pdf_upload("odpis.pdf"),
            f"{slot}-issue_date": issue_date,
        },
        follow=True,
    )


def test_the_upload_asks_the_date_and_keeps_it(client, draft, krs_three_months):
    page = client.get(reverse("application_documents", args=[draft.pk])).content.decode()
    slot = f"t{krs_three_months.pk}"
    assert f'<label for="id_{slot}-issue_date">Issue date of the document</label>' in page
    assert "It may be at most 3 months old on the day you send the application." in page
    # One file per upload for a dated type: each file has its own date.
    assert "multiple" not in page.split(f'name="{slot}-file"')[1].split(">")[0]

    issued = today() - datetime.timedelta(days=10)
    _slot, response = upload_krs(client, draft, issued.strftime("%d.%m.%Y"))

    document = draft.documents.get()
    assert document.issue_date == issued
    assert f"issued {issued.strftime('%d.%m.%Y')}" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Give the date “{krs}” was issued."),
        ("31.02.2026", "Give the issue date as day, month and year, e.g. 15.03.2026."),
        ("future", "is in the future; give the date printed on the document."),
        ("stale", "may be at most 3 months old when the application is sent; this one was issued"),
    ],
)
def test_a_missing_future_or_stale_date_is_refused_and_nothing_saved(
    client, draft, krs_three_months, media_files, typed, message
):
    if typed == "future":
        typed = (today() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    elif typed == "stale":
        typed = (today() - datetime.timedelta(days=120)).strftime("%d.%m.%Y")
    before = stages.db_state(draft)
    with translation.override("en"):  # the type's name as the English page shows it
        message = message.format(krs=krs_three_months.name)

    slot, response = upload_krs(client, draft, typed)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f'<a href="#id_{slot}-issue_date">' in page
    assert message in page
    assert stages.db_state(draft) == before
    assert not media_files()


def test_a_type_without_a_date_does_not_ask_for_it(client, draft):
    statute = DocumentType.objects.get(code="statute")
    page = client.get(reverse("application_documents", args=[draft.pk])).content.decode()
    assert f"t{statute.pk}-issue_date" not in page


def test_a_maximum_age_needs_the_issue_date():
    krs = DocumentType.objects.get(code="krs_extract")
    krs.max_age_months = 3
    with pytest.raises(ValidationError, match="only when the issue date is asked for"):
        krs.full_clean()


@pytest.mark.parametrize(
    ("months", "days", "on", "oldest"),
    [
        (3, None, datetime.date(2026, 5, 31), datetime.date(2026, 2, 28)),
        (3, None, datetime.date(2026, 3, 15), datetime.date(2025, 12, 15)),
        (None, 30, datetime.date(2026, 3, 15), datetime.date(2026, 2, 13)),
        (1, 10, datetime.date(2026, 3, 15), datetime.date(2026, 2, 5)),
    ],
)
def test_oldest_allowed_counts_calendar_months_then_days(months, days, on, oldest):
    doc_type = DocumentType(issue_date_required=True, max_age_months=months, max_age_days=days)
    assert document_age.oldest_allowed(doc_type, on) == oldest


def test_a_document_gone_stale_in_the_draft_blocks_submission(client):
    user = factories.applicant()
    application = factories.draft_application(user=user)
    krs_three_months = dated_krs()
    krs = application.documents.get(document_type=krs_three_months)
    krs.issue_date = today() - datetime.timedelta(days=100)
    krs.save()
    login(client, user)
    with translation.override("en"):  # the type's name as the English page shows it
        krs_name = krs_three_months.name

    page = html.unescape(
        client.get(reverse("application_check", args=[application.pk])).content.decode()
    )
    assert (
        f"“krs_extract.pdf” ({krs_name}) was issued on "
        f"{krs.issue_date.strftime('%d.%m.%Y')}, 100 days before {today().strftime('%d.%m.%Y')}; "
        "it may be at most 3 months old. Attach a recent one." in page
    )

    response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.status == "draft"
    assert "krs_extract.pdf" in html.unescape(main_part(response.content.decode()))


def test_an_undated_document_of_a_dated_type_blocks_submission():
    user = factories.applicant()
    application = factories.draft_application(user=user)  # attached before the type asked
    dated_krs()
    with pytest.raises(DomainError, match="has no issue date; attach it again"):
        services.submit(application=application, user=user)


def test_the_age_counts_again_when_corrections_are_sent(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    krs_three_months = dated_krs()
    krs = application.documents.get(document_type=krs_three_months)
    krs.issue_date = today() - datetime.timedelta(days=200)
    krs.save()
    task = stages.open_task(application, stages.flow.corrections)
    login(client, c.applicant)

    response = client.post(
        reverse("corrections", args=[task.pk]),
        {"action": "send", "answer-answer": "Poprawione."},
    )

    page = html.unescape(response.content.decode())
    assert "Some documents are too old or undated" in page
    application.refresh_from_db()
    assert application.status == "corrections"

    # A recent extract, with its date, as a new version: then the corrections go.
    new = documents.add_document(
        application=application,
        user=c.applicant,
        document_type=krs_three_months,
        uploaded=factories.pdf_upload("odpis-nowy.pdf"),
        replaces=krs,
        issue_date=today() - datetime.timedelta(days=5),
    )
    assert new.issue_date == today() - datetime.timedelta(days=5)
    services.answer_corrections(task_pk=task.pk, user=c.applicant, answer="Nowy odpis.")
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_officer_sees_the_stale_document_flagged(client):
    c = stages.cast()
    application = stages.submitted(c)
    krs_three_months = dated_krs()
    krs = application.documents.get(document_type=krs_three_months)
    # Issued four months before the application was sent.
    krs.issue_date = timezone.localdate(application.submitted_at) - datetime.timedelta(days=125)
    krs.save()
    task = stages.open_task(application, stages.flow.formal_review)
    login(client, c.officer)

    page = html.unescape(
        client.get(reverse("staff_task", args=[task.pk]), follow=True).content.decode()
    )

    assert "Too old or undated: “krs_extract.pdf”" in page
    assert f"issued {krs.issue_date.strftime('%d.%m.%Y')}" in page
