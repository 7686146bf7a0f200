"""Issue 12's buyer on the map of offers, in Chromium: pastes three CPV codes from a tender on
/rejestr/mapa/, sees the valid suppliers of them as markers on the map and in the list beside
it, opens one from its marker with the keyboard, subscribes by e-mail to it, confirms from the
e-mail's link, and is told when the officer suspends it. No tile server: the map draws its
shipped layer (voivodeship outlines, powiat points), as on a machine without internet."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.domain import lifecycle
from tests import factories
from tests.mail import sent_mail

from .a11y import check_page
from .conftest import go
from .test_content_security_policy import Watched

pytestmark = pytest.mark.django_db(transaction=True)

TENDER_CODES = "55520000-1; 90910000-9\n79952000-2"  # as copied from a tender notice
KATOWICE = (Decimal("19.02391"), Decimal("50.26489"))
GLIWICE = (Decimal("18.67658"), Decimal("50.29761"))


def supplier(name: str, code: str, at=KATOWICE):
    organization = factories.OrganizationFactory(name=name)
    if at is not None:
        organization.longitude, organization.latitude = at
        organization.save(update_fields=["longitude", "latitude"])
    return factories.certificate(organization=organization, cpv_codes=(code,), items=(name,))


def test_a_buyer_finds_suppliers_on_the_map_watches_one_and_hears_of_its_suspension(page):
    caterer = supplier("Spółdzielnia Socjalna Smaczna Kuchnia", "55521200-0")  # below 55520000
    cleaner = supplier("Fundacja Czysty Dom", "90910000-9", at=GLIWICE)
    events = supplier("Stowarzyszenie Wesele", "79952000-2", at=None)  # not located yet
    supplier("Warsztat Stolarski Dąb", "45453100-8")  # none of the tender's codes
    expired = supplier("Catering Dawny", "55520000-1")
    expired.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    expired.status = "expired"
    expired.save(update_fields=["valid_until", "status"])
    watched = Watched(page)

    go(page, "/rejestr/")
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Mapa ofert"
    ).click()
    page.fill("#id_cpv", TENDER_CODES)
    page.get_by_role("button", name="Pokaż").click()
    page.wait_for_load_state()

    # On the map: a marker per located supplier, over the shipped layer.
    markers = page.locator("#offers-map .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    assert sorted(m.get_attribute("alt") for m in markers.all()) == sorted(
        [caterer.holder_name, cleaner.holder_name]
    )
    expect(page.locator("#offers-map-status")).to_have_text("Organizacje na mapie: 2.")
    assert page.locator("#offers-map svg path").count() >= 16  # the voivodeships at least
    expect(page.locator("#offers-map .leaflet-control-attribution")).to_contain_text("GeoNames")
    # In the list: the same, and the one not on the map, said so.
    listed = page.locator(".offers-list").inner_text()
    for name in (caterer.holder_name, cleaner.holder_name, events.holder_name):
        assert name in listed
    assert "Dąb" not in listed and "Catering Dawny" not in listed
    assert listed.count("nie ma jej na mapie") == 1
    assert check_page(page) == []
    assert watched.problems() == []

    # A keyboard user opens the caterer's marker; its popup leads to the certificate.
    page.locator(f'#offers-map .leaflet-marker-icon[alt="{caterer.holder_name}"]').focus()
    page.keyboard.press("Enter")
    popup = page.locator("#offers-map .leaflet-popup-content")
    expect(popup).to_contain_text(caterer.holder_name)
    link = popup.get_by_role("link", name=caterer.number)
    expect(link).to_be_focused()  # the popup took the focus: Escape gives it back
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(page.locator(f'.leaflet-marker-icon[alt="{caterer.holder_name}"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(caterer.number)

    page.get_by_role("link", name=re.compile("Powiadom mnie e-mailem")).click()
    page.get_by_label("Jeden certyfikat (i jego odnowienia)").check()
    page.get_by_label("Twój adres e-mail").fill("zamowienia@gmina.example.pl")
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
    # The map no longer shows it.
    go(page, "/rejestr/mapa/?cpv=55520000-1")
    expect(page.locator("#offers-map-status")).to_have_text("Organizacje na mapie: 0.")
    assert caterer.holder_name not in page.locator("main").inner_text()


def test_the_map_works_without_javascript_as_a_list(browser, live_server):
    context = browser.new_context(locale="pl-PL", java_script_enabled=False)
    page = context.new_page()
    caterer = supplier("Spółdzielnia Socjalna Smaczna Kuchnia", "55521200-0")

    page.goto(f"{live_server.url}/rejestr/mapa/")
    page.fill("#id_cpv", "55520000-1")
    page.get_by_role("button", name="Pokaż").click()

    expect(page.locator(".offers-list")).to_contain_text(caterer.holder_name)
    page.get_by_role("link", name=caterer.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(caterer.number)
    context.close()
