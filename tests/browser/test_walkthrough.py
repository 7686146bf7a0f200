"""The README's walk-through in the browser, from a new application to a verified certificate.

The applicant works with the keyboard only (Tab, Space, Enter, typing): every step of their
submission must be reachable and operable without a mouse. Staff then use the mouse. Controls
are found by their role and accessible name, so a control without a proper label fails here.
Users are made by factories; everything else happens through the pages, in Polish.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from certification.choices import CriterionScope
from certification.domain.criteria import criteria_of
from certification.models import Application, Certificate, DocumentType
from tests import factories

from .conftest import verify_email

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = [
    ("Pierogi ręcznie lepione", "Pierogi z farszem z lokalnych warzyw, lepione w pracowni."),
    ("Catering na konferencje", "Obsługa spotkań do stu osób, z dowozem w Katowicach."),
]
# Each item's CPV code (food; catering services), from tests/data/cpv_fixture.csv.
CODES = ["15000000-8", factories.CATERING]


# Keyboard only: focus moves with Tab, controls are operated with Space and Enter.


def tab_to(page, locator, max_steps: int = 300) -> None:
    """Press Tab until the control has focus; fail if the Tab order never reaches it."""
    target = locator.element_handle()
    for _ in range(max_steps):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"not reachable by Tab: {locator}")


def tab_and_type(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def tab_and_follow(page, locator, key: str = "Enter") -> None:
    """Activate a link or button from the keyboard and wait for the page it leads to."""
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press(key)


def tab_and_upload(page, slot: str, name: str) -> None:
    """Open the file chooser with Space, pick a small PDF, send the form with Enter."""
    tab_to(page, page.get_by_label(f"Dodaj pliki: {slot}", exact=True))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        {"name": name, "mimeType": "application/pdf", "buffer": factories.pdf_bytes(name)}
    )
    # The button's name is "Prześlij" plus the slot in visually hidden text.
    upload = page.get_by_role("button", name=re.compile(rf"^Prześlij\W+{re.escape(slot)}$"))
    tab_and_follow(page, upload)
    expect(page.get_by_role("status")).to_contain_text(f"Dołączono „{name}”")


def question(field: str) -> str:
    """A questionnaire field's label as the page shows it (the model's name, in Polish)."""
    with translation.override("pl"):
        return str(capfirst(Application._meta.get_field(field).verbose_name))


def main_menu(page):
    return page.get_by_role("navigation", name="Menu główne")


def log_in_with_keyboard(page, user) -> None:
    verify_email(user.username)
    page.goto(f"{page.base_url}/konto/logowanie/")
    tab_and_type(page, page.get_by_label("Nazwa użytkownika"), user.username)
    tab_and_type(page, page.get_by_label("Hasło"), "haslo-testowe-123")
    with page.expect_navigation():
        page.keyboard.press("Enter")


# The applicant's part, keyboard only.


def applicant_submits(page, applicant) -> str:
    organization = applicant.organizations.get()
    # Keep file chooser interception switched on for the whole page: expect_file_chooser alone
    # switches it on asynchronously, and a key pressed before that opens no chooser to catch.
    page.on("filechooser", lambda chooser: None)
    log_in_with_keyboard(page, applicant)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje wnioski")
    tab_and_follow(
        page,
        page.get_by_role(
            "button", name=f"Rozpocznij nowy wniosek dla organizacji {organization.name}"
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zakup Prospołeczny")

    tab_and_follow(page, page.get_by_role("link", name="Ankieta", exact=True))
    for field, text in (
        ("social_goals", "Zatrudniamy osoby wychodzące z bezdomności i uczymy je zawodu."),
        ("employees_total", "12"),
        ("employees_at_risk", "8"),
        ("own_revenue_percent", "55,5"),
    ):
        tab_and_type(page, page.get_by_label(question(field)), text)
    tab_and_follow(page, page.get_by_role("button", name="Zapisz i przejdź dalej"))
    expect(page.get_by_role("status")).to_contain_text("Ankieta została zapisana")

    tab_and_follow(page, page.get_by_role("link", name="Produkty i usługi", exact=True))
    for (name, description), kind_key, code in zip(
        ITEMS, ("Space", "ArrowDown"), CODES, strict=True
    ):
        tab_and_type(page, page.get_by_label("Nazwa"), name)
        # Tab enters the radio group on its first option; Space ticks it, an arrow the next one.
        tab_to(page, page.get_by_role("radio", name="Produkt", exact=True))
        page.keyboard.press(kind_key)
        tab_and_type(page, page.get_by_label("Opis"), description)
        tab_and_type(page, page.get_by_role("combobox", name="Kody CPV"), code)
        tab_and_follow(page, page.get_by_role("button", name="Dodaj", exact=True))
        expect(page.get_by_role("row", name=name)).to_be_visible()
    expect(page.get_by_role("row", name=ITEMS[0][0])).to_contain_text("Produkt")
    expect(page.get_by_role("row", name=ITEMS[1][0])).to_contain_text("Usługa")
    tab_and_follow(page, page.get_by_role("link", name="Dalej", exact=True))

    tab_and_follow(page, page.get_by_role("link", name="Dokumenty", exact=True))
    n = 0
    for doc_type in DocumentType.objects.filter(required=True).order_by("position"):
        slots = [f"{doc_type.name_pl} dla „{name}”" for name, _ in ITEMS]
        for slot in slots if doc_type.per_item else [doc_type.name_pl]:
            for _ in range(max(doc_type.min_count, 1)):
                n += 1
                tab_and_upload(page, slot, f"dokument-{n}.pdf")
    expect(page.get_by_text("Wszystkie wymagane dokumenty są dołączone.")).to_be_visible()
    tab_and_follow(page, page.get_by_role("link", name="Dalej", exact=True))

    expect(page.get_by_text("Gotowe do złożenia")).to_be_visible()
    tab_and_follow(page, page.get_by_role("link", name="Sprawdź odpowiedzi i złóż wniosek"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sprawdź odpowiedzi przed złożeniem wniosku"
    )
    expect(page.get_by_role("main")).to_contain_text(ITEMS[1][0])
    tab_and_follow(page, page.get_by_role("button", name="Złóż wniosek", exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text("Wniosek złożony")
    number = re.search(r"W/\d{4}/\d+", page.get_by_role("main").inner_text()).group()
    assert Application.objects.get(number=number).status == "submitted"
    return number


# Staff and the public use the mouse; controls are still found by role and label.


def log_in(page, user) -> None:
    verify_email(user.username)
    page.goto(f"{page.base_url}/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(user.username)
    page.get_by_label("Hasło").fill("haslo-testowe-123")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Wyloguj się").click()
    expect(page.get_by_role("link", name="Zaloguj się").first).to_be_visible()


def open_task(page, user, number: str, task_title: str) -> None:
    log_in(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje zadania")
    row = page.get_by_role("row").filter(has_text=number)
    row.get_by_role("link", name=task_title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def officer_accepts_and_assigns(page, officer, jurors, number: str) -> None:
    open_task(page, officer, number, "Ocena formalna")
    page.get_by_label("Przyjmij: wniosek jest kompletny").check()
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_role("status")).to_contain_text(f"ocenę formalną wniosku {number}")

    page.get_by_role("row").filter(has_text=number).get_by_role(
        "link", name="Przydział członków Kapituły"
    ).click()
    for juror in jurors:
        # The label goes on with the juror's load (open assignments, nearest due date).
        name = re.escape(juror.get_full_name())
        page.get_by_label(re.compile(rf"^{name}\b")).check()
    page.get_by_role("button", name="Przydziel członków Kapituły").click()
    expect(page.get_by_role("status")).to_contain_text(jurors[-1].get_full_name())
    log_out(page)


def juror_scores(page, juror, number: str) -> None:
    open_task(page, juror, number, "Ocena Kapituły")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deklaracja bezstronności")
    page.get_by_label("Nie mam konfliktu interesów z tym wnioskodawcą").check()
    page.get_by_role("button", name="Potwierdź deklarację").click()
    expect(page.get_by_role("heading", name="Twoja karta oceny")).to_be_visible()
    # The organisation's criteria once, then each item's criteria in that item's group.
    application = Application.objects.get(number=number)
    for criterion in criteria_of(application.criteria_version):
        if criterion.scope == CriterionScope.ITEM:
            groups = [
                page.get_by_role("group", name=f"Produkt lub usługa: {name}", exact=True)
                for name, _ in ITEMS
            ]
        else:
            groups = [page]
        for outer in groups:
            group = outer.get_by_role("group", name=criterion.name_pl, exact=True)
            group.get_by_label("Punkty").fill(str(round(criterion.max_points * 0.8)))
            group.get_by_label("Uzasadnienie").fill("Dobrze udokumentowane, rekomendacje rzetelne.")
    # A draft first (nothing submitted), then every answer on one page before the final button.
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano wersję roboczą")
    page.get_by_role("button", name="Sprawdź odpowiedzi").click()
    expect(page.get_by_role("heading", name="Sprawdź odpowiedzi")).to_be_visible()
    expect(page.get_by_text("Dobrze udokumentowane, rekomendacje rzetelne.").first).to_be_visible()
    page.get_by_role("button", name="Prześlij kartę oceny").click()
    expect(page.get_by_role("status")).to_contain_text(number)
    log_out(page)


def officer_prepares_a_session(page, officer, number: str) -> None:
    log_in(page, officer)
    main_menu(page).get_by_role("link", name="Posiedzenia Kapituły").click()
    starts = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Data i godzina").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Miejsce").fill("ROPS Katowice, sala 105")
    page.get_by_role("button", name="Zaplanuj posiedzenie").click()
    expect(page.get_by_role("status")).to_contain_text("Zaplanowano posiedzenie")
    application = page.get_by_label("Wniosek do wpisania do porządku obrad")
    application.select_option(label=application.locator("option", has_text=number).inner_text())
    page.get_by_role("button", name="Wpisz do porządku obrad").click()
    expect(page.get_by_role("status")).to_contain_text(f"Wniosek {number} jest w porządku obrad")
    page.get_by_role("button", name="Wyślij porządek obrad").click()
    expect(page.get_by_role("status")).to_contain_text("Porządek obrad jest wysyłany")
    log_out(page)


def chair_grants_both_items(page, chair, jurors, number: str) -> None:
    """At the session: attendance, the resolution per item, then closing it."""
    log_in(page, chair)
    row = page.get_by_role("row").filter(has_text=number)
    row.get_by_role("link", name="Uchwała Kapituły").click()  # to the session's page
    for member in [*jurors, chair]:
        page.get_by_label(member.get_full_name()).check()
    page.get_by_role("button", name="Zapisz listę obecności").click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano listę obecności")
    page.get_by_role("link", name=f"Zapisz uchwałę w sprawie {number}").click()
    for name, _ in ITEMS:
        page.get_by_role("group", name=name, exact=True).get_by_label("Przyznano").check()
    page.get_by_label("Głosy za").fill("3")
    page.get_by_label("Uzasadnienie").fill("Oba produkty spełniają kryteria znaku.")
    page.get_by_role("button", name="Zapisz uchwałę").click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano uchwałę nr")
    page.get_by_role("button", name="Zamknij posiedzenie").click()
    expect(page.get_by_role("status")).to_contain_text("jest zamknięte")
    log_out(page)


def officer_issues(page, officer, number: str) -> str:
    open_task(page, officer, number, "Wydanie certyfikatu")
    page.get_by_role("button", name="Wydaj certyfikat").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text("Wydano certyfikat")
    certificate_number = re.search(r"ZP/\d{4}/\d+", message.inner_text()).group()
    log_out(page)
    return certificate_number


def test_walkthrough_from_application_to_verified_certificate(page):
    factories.cpv_vocabulary()
    applicant = factories.applicant()
    organization = applicant.organizations.get()
    officer = factories.officer(first_name="Urszula", last_name="Urzędnik")
    jurors = [
        factories.juror(first_name=first, last_name=last)
        for first, last in (("Anna", "Kowalska"), ("Bartosz", "Nowak"), ("Celina", "Wiśniewska"))
    ]
    chair = factories.juror(chair=True, first_name="Dorota", last_name="Zielińska")

    number = applicant_submits(page, applicant)
    log_out(page)
    officer_accepts_and_assigns(page, officer, jurors, number)
    for juror in jurors:
        juror_scores(page, juror, number)
    officer_prepares_a_session(page, officer, number)
    chair_grants_both_items(page, chair, jurors, number)
    certificate_number = officer_issues(page, officer, number)

    # An anonymous visitor (a public buyer) checks the number printed on the certificate.
    main_menu(page).get_by_role("link", name="Sprawdź certyfikat").click()
    page.get_by_label("Numer certyfikatu lub NIP").fill(certificate_number)
    page.get_by_role("button", name="Sprawdź certyfikat").click()
    result = page.get_by_role("region", name=f"Certyfikat {certificate_number}")
    expect(result).to_contain_text("Ważny do")
    expect(result).to_contain_text(organization.name)
    expect(page).to_have_title(re.compile(f"{certificate_number}: Ważny"))

    main_menu(page).get_by_role("link", name="Rejestr").click()
    row = page.get_by_role("row").filter(has_text=certificate_number)
    expect(row).to_contain_text(organization.name)
    expect(row).to_contain_text(ITEMS[0][0])
    expect(row).to_contain_text("Ważny")
    certificate = Certificate.objects.get(number=certificate_number)
    assert sorted(certificate.items.values_list("name", flat=True)) == sorted(n for n, _ in ITEMS)
