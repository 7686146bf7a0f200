"""Issue 12's buyer, in Chromium: pastes three CPV codes from a tender into the registry, sees the
valid suppliers of them, subscribes by e-mail to one, confirms from the e-mail's link, and is told
when the officer suspends it. The same walk on the map of offers: test_buyer_map.py."""

import datetime
import re

import pytest
from django.utils import timezone

from certification.domain import lifecycle
from tests import factories
from tests.mail import sent_mail

from .a11y import check_page
from .conftest import go

pytestmark = pytest.mark.django_db(transaction=True)

TENDER_CODES = "55520000-1; 90910000-9\n79952000-2"  # as copied from a tender notice


def supplier(name: str, code: str):
    organization = factories.OrganizationFactory(name=name)
    return factories.certificate(organization=organization, cpv_codes=(code,), items=(name,))


def test_a_buyer_finds_suppliers_by_codes_watches_one_and_hears_of_its_suspension(page):
    caterer = supplier("Spółdzielnia Socjalna Smaczna Kuchnia", "55521200-0")  # below 55520000
    cleaner = supplier("Fundacja Czysty Dom", "90910000-9")
    supplier("Warsztat Stolarski Dąb", "45453100-8")  # none of the tender's codes
    expired = supplier("Catering Dawny", "55520000-1")
    expired.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    expired.status = "expired"
    expired.save(update_fields=["valid_until", "status"])

    go(page, "/rejestr/")
    page.fill("#id_cpv", TENDER_CODES)
    page.select_option("#id_status", "valid")
    page.get_by_role("button", name=re.compile("Szukaj|Pokaż", re.I)).first.click()
    page.wait_for_load_state()

    results = page.locator("table").first.inner_text()
    assert caterer.holder_name in results and cleaner.holder_name in results
    assert "Dąb" not in results and "Catering Dawny" not in results

    page.get_by_role("link", name=caterer.number).first.click()
    page.get_by_role("link", name=re.compile("Powiadom mnie e-mailem")).click()
    page.get_by_label("Jeden certyfikat (i jego odnowienia)").check()
    page.get_by_label("Twój adres e-mail").fill("zamowienia@gmina.example.pl")
    assert check_page(page) == []
    page.get_by_role("button", name="Wyślij mi link potwierdzający").click()
    assert page.get_by_role("heading", name="Sprawdź pocztę").is_visible()

    [confirmation] = [m for m in sent_mail() if "zamowienia@gmina.example.pl" in m.to]
    link = re.search(r"http://\S+/obserwuj/potwierdz/\S+/", confirmation.body)[0]
    page.goto(link)
    page.get_by_role("button", name="Potwierdź").click()
    assert page.get_by_role("heading", name="Subskrypcja potwierdzona").is_visible()

    lifecycle.suspend_certificate(
        certificate=caterer,
        user=factories.officer(),
        reason="Brak aktualnych rekomendacji.",
        correction_until=timezone.localdate() + datetime.timedelta(days=14),
    )

    told = [m for m in sent_mail() if "zamowienia@gmina.example.pl" in m.to][-1]
    assert caterer.number in told.subject and "zawieszony" in told.subject
    assert "Brak aktualnych rekomendacji." in told.body
