"""The README's paper path in Chromium: an officer registers an application received on paper
with its scans, sees it marked on paper, and invites the PES to take it over. Controls are found
by their label, so a field without one fails here."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.models import Application, DocumentType
from tests import factories, stages

from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": factories.pdf_bytes(name)}


def test_officer_registers_a_paper_application_and_invites_the_pes(page):
    c = stages.cast()
    factories.cpv_vocabulary()
    open_as(page, c.officer, "/obsluga/wnioski/")
    page.get_by_role("link", name="Zarejestruj wniosek złożony na papierze").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zarejestruj wniosek złożony na papierze"
    )
    received = timezone.localdate() - datetime.timedelta(days=4)
    page.get_by_label("Data wpływu wniosku papierowego").fill(received.strftime("%d.%m.%Y"))
    organisation = page.get_by_role("group", name="Organizacja")
    organisation.get_by_label("NIP").fill(factories.nip_for(5150))
    organisation.get_by_label("Pełna nazwa").fill("Spółdzielnia Socjalna „Papier”")
    organisation.get_by_label("Forma prawna").select_option("social_cooperative")
    organisation.get_by_label("REGON").fill(factories.VALID_REGON)
    organisation.get_by_label("Ulica i numer").fill("ul. Pocztowa 3")
    organisation.get_by_label("Kod pocztowy").fill("40-003")
    organisation.get_by_label("Miejscowość").fill("Bytom")
    organisation.get_by_label("Data rejestracji").fill("01.02.2019")
    organisation.get_by_label("Adres e-mail do kontaktu").fill("papier@example.pl")
    questionnaire = page.get_by_role("group", name="Ankieta")
    questionnaire.locator("textarea").fill("Zatrudniamy osoby po kryzysie bezdomności.")
    questionnaire.locator("input").nth(0).fill("8")
    questionnaire.locator("input").nth(1).fill("5")
    questionnaire.locator("input").nth(2).fill("45")
    item = page.get_by_role("group", name="Produkt lub usługa 1", exact=True)
    item.get_by_label(re.compile(r"^Nazwa")).fill("Koperty ekologiczne")
    item.get_by_label("Produkt", exact=True).check()
    item.get_by_label(re.compile(r"^Opis")).fill("Koperty z papieru z odzysku.")
    item.get_by_role("combobox", name="Kody CPV").fill(factories.CATERING)
    recommendation = DocumentType.objects.get(code="recommendation")
    page.locator(f"#id_item1_doc_{recommendation.pk}").set_input_files(
        [_pdf("rekomendacja-1.pdf"), _pdf("rekomendacja-2.pdf")]
    )
    for code in ("krs_extract", "statute", "financial_statement"):
        doc_type = DocumentType.objects.get(code=code)
        page.locator(f"#id_doc_{doc_type.pk}").set_input_files([_pdf(f"{code}.pdf")])
    page.get_by_role("button", name="Zarejestruj", exact=True).click()

    application = Application.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wniosek {application.number}")
    expect(page.get_by_text("papierowy", exact=True)).to_be_visible()
    assert application.received_on_paper == received
    assert application.status == "submitted"

    page.get_by_role("link", name="Zaproś organizację do przejęcia wniosku online").click()
    page.get_by_label("E-mail osoby z organizacji").fill("prezes@papier.pl")
    page.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wniosek {application.number}")
    assert application.organization.invitations.get().email == "prezes@papier.pl"
