"""What a decision letter says, read back from its PDF: the decision, its reasons, each refused
item's reason and the deadline for reconsideration; in Polish and in English."""

import datetime

import pytest
from django.utils import timezone

from certification.domain import letter_placeholders, users
from certification.domain.reconsideration import deadline_for
from certification.models import DecisionLetter, LetterTemplate, SchemeRules

from . import factories, stages
from .letters import (
    JUSTIFICATION,
    NOTE,
    REFUSED_REASON,
    final_refusal,
    formally_rejected,
    letter_text,
    needs_pdftotext,
    partially_granted,
    refused,
    upheld_formal_rejection,
)
from .mail import day_in, in_language, run_jobs

pytestmark = [pytest.mark.django_db, needs_pdftotext]


def polish(msgid: str, **values) -> str:
    return " ".join(in_language("pl", msgid, **values).split())


def english(msgid: str, **values) -> str:
    return " ".join(in_language("en", msgid, **values).split())


def test_partial_grant_letter_in_polish_gives_decision_reasons_items_and_deadline(tmp_path):
    c = stages.cast()
    application = partially_granted(c)
    granted, not_granted = factories.items_of(application)
    run_jobs()

    letter = DecisionLetter.objects.get()
    text = letter_text(letter, tmp_path)
    resolution = application.resolutions.get()
    deadline = deadline_for(decided_on=resolution.date)
    assert (letter.kind, letter.final, letter.language) == ("partial_grant", False, "pl")
    assert letter.reconsideration_deadline == deadline
    # Letterhead, date and place, addressee, subject.
    assert "Regionalny Ośrodek Polityki Społecznej w Katowicach" in text
    assert f"Katowice, dnia {day_in('pl', timezone.localdate())} r." in text
    organization = application.organization
    assert organization.name in text and organization.nip in text
    assert f"Dotyczy: Uchwała Kapituły w sprawie wniosku nr {application.number}" in text
    # The decision, with the resolution's number and date.
    assert "przyznała prawo do używania znaku dla części produktów i usług" in text
    assert f"uchwałą nr {resolution.number} z dnia {day_in('pl', resolution.date)} r." in text
    # The reasons, and the table: granted, and not granted with its reason.
    assert f"Uzasadnienie {JUSTIFICATION}" in text
    assert f"{granted.name} (usługa) Przyznano —" in text
    assert f"{not_granted.name} (usługa) Nie przyznano {REFUSED_REASON}" in text
    # The instruction with its deadline.
    assert "Pouczenie" in text
    assert f"najpóźniej do dnia {day_in('pl', deadline)} r." in text
    assert "14 dni" in text
    assert "Z poważaniem Dyrektor ROPS" in text


def test_english_member_gets_the_letter_in_english_and_the_contact_address_in_polish(tmp_path):
    c = stages.cast()
    users.set_language(user=c.applicant, language="en")
    application = refused(c)
    run_jobs()

    english_letter = DecisionLetter.objects.get(language="en")
    polish_letter = DecisionLetter.objects.get(language="pl")
    text = letter_text(english_letter, tmp_path)
    resolution = application.resolutions.get()
    deadline = deadline_for(decided_on=resolution.date)
    assert english_letter.kind == "refusal"
    assert f"Subject: Jury resolution on application {application.number}" in text
    assert (
        english(
            "The jury (Kapituła) of the “Zakup Prospołeczny” mark, by resolution No. %(number)s of "
            "%(date)s, did not grant the right to use the mark for the products and services named "
            "in application %(application)s.",
            number=resolution.number,
            date=day_in("en", resolution.date),
            application=application.number,
        )
        in text
    )
    assert f"Reasons {JUSTIFICATION}" in text
    for item in factories.items_of(application):
        assert f"{item.name} (service) Not granted {REFUSED_REASON}" in text
    assert f"that is by {day_in('en', deadline)} at the latest" in text
    assert "Yours faithfully," in text
    assert "Uzasadnienie" in letter_text(polish_letter, tmp_path)


def test_grant_letter_has_no_reconsideration_instruction(tmp_path):
    c = stages.cast()
    application = stages.granted(c)
    run_jobs()

    letter = DecisionLetter.objects.get()
    text = letter_text(letter, tmp_path)
    assert letter.kind == "grant" and letter.reconsideration_deadline is None
    assert "przyznała prawo do używania znaku dla wszystkich produktów i usług" in text
    for item in factories.items_of(application):
        assert f"{item.name} (usługa) Przyznano" in text
    assert "Pouczenie" not in text


def test_formal_rejection_letter_gives_the_officers_reason_and_deadline(tmp_path):
    c = stages.cast()
    application = formally_rejected(c)
    run_jobs()

    letter = DecisionLetter.objects.get()
    text = letter_text(letter, tmp_path)
    review = application.reviews.get()
    decided_on = timezone.localdate(review.created)
    deadline = deadline_for(decided_on=decided_on)
    assert (letter.kind, letter.review, letter.resolution) == ("formal_rejection", review, None)
    assert f"Odrzucenie wniosku nr {application.number} z przyczyn formalnych" in text
    assert (
        polish(
            "On %(date)s ROPS rejected application %(application)s in the formal review. The "
            "application will not be examined by the jury.",
            date=day_in("pl", decided_on),
            application=application.number,
        )
        in text
    )
    assert f"Uzasadnienie {NOTE}" in text
    assert f"najpóźniej do dnia {day_in('pl', deadline)} r." in text
    assert letter.reconsideration_deadline == deadline


def test_rejection_for_a_missed_deadline_lists_what_was_to_be_corrected(tmp_path):
    from django.core.management import call_command

    c = stages.cast()
    application = stages.in_corrections(c)
    application.refresh_from_db()
    missed = application.corrections_deadline
    call_command("applications_daily", "--today", str(missed + datetime.timedelta(days=1)))
    run_jobs()

    text = letter_text(DecisionLetter.objects.get(), tmp_path)
    assert f"Uzupełnienia nie zostały przesłane w terminie do dnia {day_in('pl', missed)} r." in (
        text
    )
    assert "Braki wskazane do uzupełnienia: • Odpis z KRS jest nieaktualny." in text


def test_rejection_upheld_on_reconsideration_is_a_final_letter_without_deadline(tmp_path):
    c = stages.cast()
    application = formally_rejected(c)
    run_jobs()
    upheld_formal_rejection(c, application, answer="Wniosek nie wnosi nowych okoliczności.")
    run_jobs()

    final = DecisionLetter.objects.get(final=True)
    text = letter_text(final, tmp_path)
    assert (final.kind, final.reconsideration_deadline) == ("formal_rejection", None)
    assert "utrzymał w mocy odrzucenie formalne wniosku" in text
    assert "Wniosek nie wnosi nowych okoliczności." in text
    assert NOTE in text  # the first decision's reasons, quoted
    assert (
        polish(
            "This decision was taken on reconsideration and is final: it cannot be reconsidered "
            "again."
        )
        in text
    )
    assert "najpóźniej do dnia" not in text
    assert DecisionLetter.objects.count() == 2  # the first letter stays as it was


def test_final_resolution_after_reconsideration_says_it_is_final(tmp_path):
    c = stages.cast()
    application = refused(c)
    run_jobs()
    final_refusal(c, application, reason="Po ponownej ocenie listy polecające są niewystarczające.")
    run_jobs()

    final = DecisionLetter.objects.get(final=True)
    text = letter_text(final, tmp_path)
    assert final.kind == "refusal" and final.reconsideration_deadline is None
    assert "po ponownym rozpatrzeniu sprawy" in text
    for item in factories.items_of(application):
        assert (
            f"{item.name} (usługa) Nie przyznano Po ponownej ocenie listy polecające są "
            "niewystarczające."
        ) in text
    assert "jest ostateczne" in text and "najpóźniej do dnia" not in text


def test_administrators_text_is_used_with_its_placeholders_filled(tmp_path):
    SchemeRules.objects.update(reconsideration_days=21)
    LetterTemplate.objects.filter(kind="refusal", final=False, language="pl").update(
        subject="Pismo w sprawie {application_number}",
        body="Dla: {organization}.\n\nTermin: {deadline} ({reconsideration_days} dni).",
    )
    c = stages.cast()
    application = refused(c)
    run_jobs()

    text = letter_text(DecisionLetter.objects.get(), tmp_path)
    deadline = deadline_for(decided_on=application.resolutions.get().date)
    assert f"Dotyczy: Pismo w sprawie {application.number}" in text
    assert f"Dla: {application.organization.name}." in text
    assert f"Termin: {day_in('pl', deadline)} (21 dni)." in text
    assert "{" not in text


def test_every_default_text_exists_and_uses_only_its_placeholders():
    for kind, _label in LetterTemplate._meta.get_field("kind").choices:
        for final in (False, True):
            for language in ("pl", "en"):
                text = LetterTemplate.objects.get(kind=kind, final=final, language=language)
                for part in (text.subject, text.body):
                    assert letter_placeholders.problems(part, kind=kind, final=final) == []
