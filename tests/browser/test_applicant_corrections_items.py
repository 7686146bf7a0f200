"""Walk findings, tried again in Chromium: an unchanged corrections send asks first (without
JavaScript), a product is changed during corrections, a dated document asks its issue date, one
letter counts for two products, and the new pages pass the axe scan."""

import re

import pytest
from playwright.sync_api import expect

from certification.models import DocumentType
from tests import factories, stages

from .a11y import check_page
from .conftest import go, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page_without_js(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(locale="pl-PL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def test_unchanged_corrections_ask_first_without_javascript(page_without_js):
    """(The axe scan needs JavaScript: the page is scanned in test_pages_a11y.py.)"""
    page = page_without_js
    c = stages.cast()
    application = stages.in_corrections(c)
    login(page, c.applicant.username)
    go(page, f"/wnioskodawca/wnioski/{application.pk}/poprawki/")

    page.get_by_role("button", name="Wyślij poprawiony wniosek").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wysłać bez żadnej zmiany?")
    main = page.get_by_role("main")
    expect(main).to_contain_text("O co prosił pracownik ROPS")
    expect(main).to_contain_text("Odpis z KRS jest nieaktualny.")
    expect(main).to_contain_text("Poprawki możesz wysłać do")

    page.get_by_role("link", name="Wróć i popraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Popraw wniosek")
    application.refresh_from_db()
    assert application.status == "corrections"

    page.get_by_role("button", name="Wyślij poprawiony wniosek").click()
    page.get_by_role("button", name="Wyślij bez zmian").click()
    expect(page.locator(".messages")).to_contain_text("Poprawiony wniosek został wysłany.")
    application.refresh_from_db()
    assert application.status == "submitted"


def test_product_is_changed_during_corrections(page):
    c = stages.cast()
    application = stages.in_corrections(c)
    item = application.items.first()
    login(page, c.applicant.username)
    go(page, f"/wnioskodawca/wnioski/{application.pk}/poprawki/")

    page.get_by_role("link", name=f"Zmień {item.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Zmień „{item.name}”")
    assert check_page(page) == []
    page.get_by_label("Opis").fill("Catering z dowozem, przygotowywany przez naszych pracowników.")
    page.get_by_role("button", name="Zapisz zmiany").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Popraw wniosek")
    expect(page.locator(".messages")).to_contain_text(f"Zapisano „{item.name}”")
    item.refresh_from_db()
    assert item.description.startswith("Catering z dowozem")


def test_dated_document_and_one_letter_for_two_products(page):
    user = factories.applicant()
    application = factories.draft_application(user=user, complete=False)
    for name in ("Pierogi", "Kompot"):
        application.items.create(name=name, kind="product", description="Domowe.")
    krs = DocumentType.objects.get(code="krs_extract")
    krs.issue_date_required, krs.max_age_months = True, 3
    krs.save()
    login(page, user.username)
    go(page, f"/wnioskodawca/wnioski/{application.pk}/dokumenty/")
    assert check_page(page) == []

    # A future date is refused beside the field; nothing is attached.
    page.get_by_label(f"Dodaj plik: {krs.name_pl}").set_input_files(
        {"name": "odpis.pdf", "mimeType": "application/pdf", "buffer": factories.pdf_bytes("k")}
    )
    page.get_by_label("Data wydania dokumentu").fill("01.01.2999")
    page.get_by_role("button", name=re.compile(rf"^Prześlij\W+{re.escape(krs.name_pl)}$")).click()
    expect(page.locator(".error-summary")).to_contain_text("jest w przyszłości")
    assert not application.documents.exists()

    letter = DocumentType.objects.get(code="recommendation")
    same = factories.pdf_bytes("jeden list dla obu")
    for product in ("Pierogi", "Kompot"):
        slot = f"{letter.name_pl} dla „{product}”"
        page.get_by_label(f"Dodaj pliki: {slot}").set_input_files(
            {"name": "list.pdf", "mimeType": "application/pdf", "buffer": same}
        )
        page.get_by_role("button", name=re.compile(rf"^Prześlij\W+{re.escape(slot)}$")).click()
        expect(page.locator(".messages")).to_contain_text("Dołączono „list.pdf”")
    assert application.documents.filter(document_type=letter).count() == 2
