"""The administrator edits the letters' texts (audited), previews the PDF a text makes without
saving or sending anything, and cannot save a placeholder the letters do not know."""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from certification.admin_audit import snapshot
from certification.models import AuditEvent, DecisionLetter, LetterTemplate

from . import stages
from .admin_forms import form_data
from .letters import needs_pdftotext, pdf_text, refused
from .mail import in_language, run_jobs

pytestmark = pytest.mark.django_db


def text_of(kind="refusal", final=False, language="pl") -> LetterTemplate:
    return LetterTemplate.objects.get(kind=kind, final=final, language=language)


def change_url(text) -> str:
    return reverse("admin:certification_lettertemplate_change", args=[text.pk])


def preview_url(text) -> str:
    return reverse("admin:certification_lettertemplate_preview", args=[text.pk])


def nothing_changed_since(before: dict) -> bool:
    return before == state()


def state() -> dict:
    return {
        "texts": [snapshot(t) for t in LetterTemplate.objects.order_by("pk")],
        "audit": AuditEvent.objects.count(),
        "letters": DecisionLetter.objects.count(),
        "jobs": DBTaskResult.objects.count(),
    }


def errors_in(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for block in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def test_change_form_offers_the_preview_button(admin_client):
    text = text_of()
    page = admin_client.get(change_url(text)).content.decode()

    assert f'formaction="{preview_url(text)}"' in page
    assert in_language("pl", "Preview the letter (PDF)") in page


@needs_pdftotext
def test_preview_of_the_saved_text_renders_an_example_and_saves_nothing(
    admin_client, mailoutbox, tmp_path
):
    text = text_of(kind="partial_grant")
    before = state()

    response = admin_client.get(preview_url(text))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    shown = pdf_text(response.content, tmp_path)
    # No decision of this kind yet: the built-in example, in the text's language.
    assert "Spółdzielnia Socjalna „Przykładowa”" in shown
    assert "Usługi ogrodnicze (usługa) Nie przyznano Listy polecające nie dotyczą tej usługi." in (
        shown
    )
    assert "uprzejmie informujemy, że Kapituła znaku" in shown
    assert "Pouczenie" in shown
    assert nothing_changed_since(before)
    assert mailoutbox == []


@needs_pdftotext
def test_preview_of_an_edited_text_uses_the_form_and_the_newest_decision(
    admin_client, mailoutbox, tmp_path
):
    c = stages.cast()
    application = refused(c)
    run_jobs()
    mailoutbox.clear()
    text = text_of(kind="refusal", language="en")
    page = admin_client.get(change_url(text)).content.decode()
    before = state()

    response = admin_client.post(
        preview_url(text),
        form_data(
            page,
            subject="Decision on {application_number}",
            body="Dear {organization},\n\nsee below.",
            _preview="",
        ),
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    shown = pdf_text(response.content, tmp_path)
    assert f"Subject: Decision on {application.number}" in shown
    assert f"Dear {application.organization.name}, see below." in shown
    assert "Yours faithfully," in shown  # the English layout
    assert nothing_changed_since(before)
    assert text_of(kind="refusal", language="en").body == text.body
    assert mailoutbox == []


def test_preview_of_a_text_with_an_unknown_placeholder_shows_the_form_with_the_error(
    admin_client,
):
    text = text_of()
    page = admin_client.get(change_url(text)).content.decode()
    before = state()

    response = admin_client.post(
        preview_url(text), form_data(page, body="Dla {nazwa_organizacji}.", _preview="")
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert any("{nazwa_organizacji}" in error for error in errors_in(page))
    # Saving from that page goes to the change form, not to the preview again.
    assert f'action="{change_url(text)}"' in page
    assert nothing_changed_since(before)


def test_unknown_placeholder_is_refused_beside_the_field_and_nothing_is_saved(admin_client):
    text = text_of()
    page = admin_client.get(change_url(text)).content.decode()
    before = state()

    response = admin_client.post(
        change_url(text),
        form_data(page, body="Dla {nazwa_organizacji}: {{organization}}.", _save="Save"),
    )

    assert response.status_code == 200
    known = ", ".join(
        f"{{{name}}}"
        for name in [
            "organization",
            "application_number",
            "decision_date",
            "resolution_number",
            "deadline",
            "reconsideration_days",
            "issuer",
        ]
    )
    errors = errors_in(response.content.decode())
    assert (
        in_language(
            "pl",
            "“%(placeholder)s” is not a placeholder the letter knows. You can use: %(known)s.",
            placeholder="{nazwa_organizacji}",
            known=known,
        )
        in errors
    )
    assert (
        in_language(
            "pl",
            "A brace without its pair. Braces mark placeholders only, one on each side: "
            "{organization}.",
        )
        in errors
    )
    assert nothing_changed_since(before)


def test_placeholder_without_a_value_in_this_letter_is_refused(admin_client):
    text = text_of(kind="grant")
    page = admin_client.get(change_url(text)).content.decode()
    before = state()

    response = admin_client.post(
        change_url(text), form_data(page, subject="Termin: {deadline}", _save="Save")
    )

    assert response.status_code == 200
    assert errors_in(response.content.decode()) == [
        in_language(
            "pl",
            "“%(placeholder)s” has no value in this kind of letter. You can use: %(known)s.",
            placeholder="{deadline}",
            known="{organization}, {application_number}, {decision_date}, {resolution_number}, "
            "{issuer}",
        )
    ]
    assert nothing_changed_since(before)


def test_changing_a_text_is_audited_with_before_and_after(admin_client, admin_user):
    text = text_of()
    page = admin_client.get(change_url(text)).content.decode()

    response = admin_client.post(
        change_url(text),
        form_data(page, subject="Rozstrzygnięcie w sprawie wniosku {application_number}"),
    )

    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="admin.changed").latest("pk")
    assert event.actor == admin_user
    assert event.details["model"] == "certification.lettertemplate"
    assert event.details["changes"] == {
        "subject": {
            "before": text.subject,
            "after": "Rozstrzygnięcie w sprawie wniosku {application_number}",
        },
        "updated": event.details["changes"]["updated"],
    }


def test_a_text_cannot_be_deleted(admin_client):
    text = text_of()
    url = reverse("admin:certification_lettertemplate_delete", args=[text.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert LetterTemplate.objects.filter(pk=text.pk).exists()
