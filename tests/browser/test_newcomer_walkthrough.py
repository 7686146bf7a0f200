"""Issue 4's "Done when", end to end through the pages, in Polish.

A person who never saw the system registers a cooperative, is told precisely what is wrong with
a mistyped NIP, fills an application for two products with all documents, closes the browser
halfway and finds everything saved, submits, answers a corrections request, and follows the
timeline. Only the officer is made by a factory; the applicant's account, organisation and
application are all made through the pages.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from certification.models import DocumentType
from tests import factories
from tests.mail import sent_mail

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "ewa.nowicka@example.pl"
PASSWORD = "Zielona-Łąka-2024"
ORGANISATION = "Spółdzielnia Socjalna „Pod Lipami”"
GOALS = "Zatrudniamy osoby wychodzące z bezdomności i uczymy je zawodu kucharza."
PRODUCTS = [
    ("Pierogi ręcznie lepione", "Pierogi z farszem z lokalnych warzyw, lepione w pracowni."),
    ("Konfitury z Beskidów", "Konfitury z owoców od okolicznych sadowników."),
]
PRODUCT_CODES = {"Pierogi ręcznie lepione": "15800000-6", "Konfitury z Beskidów": "15000000-8"}
# The file each required document slot gets; the KRS extract is the one the officer finds stale.
KRS_TYPE = "Odpis z KRS lub dokument założycielski"
KRS_FILE = "odpis-krs.pdf"
KRS_NEW_FILE = "odpis-krs-aktualny.pdf"
DEFECT = "Odpis z KRS jest starszy niż trzy miesiące: prosimy o aktualny."


def polish_date(day: datetime.date) -> str:
    """A date as the pages print it ("j E Y": 5 marca 2026)."""
    with translation.override("pl"):
        return date_format(day, "j E Y")


def new_page(browser, base_url: str):
    """A fresh browser: no cookies, no session, as after closing and reopening it."""
    context = browser.new_context(locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = base_url
    return page


def field(scope, label: str):
    """A form field by its whole label; a required field's label ends in "*" (hidden from AT)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}\W*$"))


def status(page):
    """The page's messages (the CPV field's live region is a status too)."""
    return page.locator(".messages")


def log_in_by_email(page) -> None:
    page.goto(f"{page.base_url}/konto/logowanie/")
    field(page, "Nazwa użytkownika lub adres e-mail").fill(EMAIL)
    field(page, "Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje wnioski")


def open_draft(page) -> None:
    """From "Moje wnioski" to the draft's task list."""
    page.get_by_role("link", name=re.compile(r"^Wersja robocza wniosku nr \d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Złóż wniosek o znak „Zakup Prospołeczny”"
    )


def upload(page, slot: str, *names: str) -> None:
    """One upload of one or more files (the field takes several at once)."""
    field(page, f"Dodaj pliki: {slot}").set_input_files(
        [
            {"name": name, "mimeType": "application/pdf", "buffer": factories.pdf_bytes(name)}
            for name in names
        ]
    )
    page.get_by_role("button", name=re.compile(rf"^Prześlij\W+{re.escape(slot)}$")).click()
    for name in names:
        expect(status(page)).to_contain_text(f"Dołączono „{name}”")


# 1. Sign-up, with the link from the confirmation e-mail.


def signs_up(page) -> None:
    page.goto(f"{page.base_url}/")
    page.get_by_role("main").get_by_role("link", name="Załóż konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Załóż konto")
    field(page, "Adres e-mail").fill(EMAIL)
    field(page, "Hasło").fill(PASSWORD)
    field(page, "Hasło (ponownie)").fill(PASSWORD)
    page.get_by_role("button", name="Załóż konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sprawdź pocztę e-mail")

    [message] = sent_mail()
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/konto/potwierdzenie-adresu/\S+/", message.body).group()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Potwierdź swój adres e-mail")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name="Potwierdź").click()

    # Logged in, and led to the only possible first step.
    expect(page.get_by_role("heading", level=1)).to_have_text("Zarejestruj organizację")
    expect(status(page)).to_contain_text("Witamy! Zacznij od zarejestrowania organizacji")


# 2. The organisation, with a mistyped NIP first.


def registers_cooperative(page) -> None:
    nip = factories.nip_for(7)
    mistyped = nip[:4] + str((int(nip[4]) + 1) % 10) + nip[5:]  # one digit wrong
    registered = timezone.localdate() - datetime.timedelta(days=800)
    typed = {
        "Pełna nazwa": ORGANISATION,
        "REGON": factories.VALID_REGON,
        "Numer KRS": "0000123456",
        "Data rejestracji": registered.strftime("%d.%m.%Y"),
        "Ulica i numer": "ul. Lipowa 3",
        "Kod pocztowy": "40-001",
        "Miejscowość": "Katowice",
        "Adres e-mail do kontaktu": EMAIL,
    }
    for label, value in typed.items():
        field(page, label).fill(value)
    field(page, "Forma prawna").select_option(label="Spółdzielnia socjalna")
    field(page, "NIP").fill(mistyped)
    page.get_by_role("button", name="Zarejestruj organizację").click()

    message = "Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma w nim literówki."
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Wystąpił problem")
    expect(summary.get_by_role("listitem")).to_have_text([f"NIP: {message}"])
    expect(page.locator(".field", has=field(page, "NIP"))).to_contain_text(message)
    # Nothing else is lost: every other field keeps what was typed.
    for label, value in typed.items():
        expect(field(page, label)).to_have_value(value)
    expect(field(page, "Forma prawna")).to_have_value("social_cooperative")
    expect(field(page, "NIP")).to_have_value(mistyped)

    # The link in the summary leads to the field; the person corrects the digit.
    summary.get_by_role("link").click()
    expect(field(page, "NIP")).to_be_focused()
    field(page, "NIP").fill(nip)
    page.get_by_role("button", name="Zarejestruj organizację").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje wnioski")
    expect(status(page)).to_contain_text(f"Organizacja {ORGANISATION} została zarejestrowana.")


# 3. Half an application, then the browser is closed.


def starts_application(page) -> None:
    page.get_by_role("button", name=re.compile(r"^Rozpocznij nowy wniosek")).click()
    expect(status(page)).to_contain_text("Utworzono nowy wniosek w wersji roboczej.")

    page.get_by_role("link", name="Ankieta", exact=True).click()
    field(page, "Cele społeczne i sposób ich realizacji w działalności").fill(GOALS)
    field(page, "Osoby zatrudnione ogółem").fill("12")
    page.get_by_role("button", name="Zapisz i wróć później").click()
    expect(status(page)).to_contain_text("Wersja robocza wniosku została zapisana.")

    open_draft(page)
    page.get_by_role("link", name="Produkty i usługi", exact=True).click()
    add_product(page, *PRODUCTS[0])


def add_product(page, name: str, description: str) -> None:
    field(page, "Nazwa").fill(name)
    page.get_by_role("radio", name="Produkt", exact=True).check()
    field(page, "Opis").fill(description)
    field(page, "Kody CPV").fill(PRODUCT_CODES[name])
    page.get_by_role("button", name="Dodaj", exact=True).click()
    expect(status(page)).to_contain_text(f"Dodano „{name}”.")
    expect(page.get_by_role("row", name=name)).to_contain_text("Produkt")


def finds_everything_saved(page) -> None:
    log_in_by_email(page)
    open_draft(page)
    page.get_by_role("link", name="Ankieta", exact=True).click()
    expect(field(page, "Cele społeczne i sposób ich realizacji w działalności")).to_have_value(
        GOALS
    )
    expect(field(page, "Osoby zatrudnione ogółem")).to_have_value("12")
    field(page, "W tym osoby zagrożone wykluczeniem społecznym").fill("8")
    page.get_by_label(re.compile(r"^Udział przychodów własnych")).fill("55,5")
    page.get_by_role("button", name="Zapisz i przejdź dalej").click()
    expect(status(page)).to_contain_text("Ankieta została zapisana.")

    page.get_by_role("link", name="Produkty i usługi", exact=True).click()
    expect(page.get_by_role("row", name=PRODUCTS[0][0])).to_contain_text(PRODUCTS[0][1])


# 4. The rest of the application, and submission.


def completes_and_submits(page) -> str:
    add_product(page, *PRODUCTS[1])
    page.get_by_role("link", name="Dalej", exact=True).click()

    page.get_by_role("link", name="Dokumenty", exact=True).click()
    files = {
        KRS_TYPE: KRS_FILE,
        "Statut": "statut.pdf",
        "Sprawozdanie finansowe za ostatni okres obrachunkowy": "sprawozdanie-2025.pdf",
    }
    for doc_type in DocumentType.objects.filter(required=True).order_by("position"):
        if not doc_type.per_item:
            upload(page, doc_type.name_pl, files[doc_type.name_pl])
            continue
        for n, (product, _) in enumerate(PRODUCTS, start=1):
            # All letters of a product in one upload.
            letters = [f"list-{n}-{k}.pdf" for k in range(1, doc_type.min_count + 1)]
            upload(page, f"{doc_type.name_pl} dla „{product}”", *letters)
    expect(page.get_by_text("Wszystkie wymagane dokumenty są dołączone.")).to_be_visible()
    page.get_by_role("link", name="Dalej", exact=True).click()

    expect(page.get_by_text("Gotowe do złożenia")).to_be_visible()
    page.get_by_role("link", name="Sprawdź odpowiedzi i złóż wniosek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sprawdź odpowiedzi przed złożeniem wniosku"
    )
    main = page.get_by_role("main")
    for text in (ORGANISATION, GOALS, PRODUCTS[0][0], PRODUCTS[1][0], KRS_FILE):
        expect(main).to_contain_text(text)
    page.get_by_role("button", name="Złóż wniosek", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wniosek złożony")
    number = re.search(r"W/\d{4}/\d+", main.inner_text()).group()
    expect(main).to_contain_text("Staramy się podjąć decyzję w ciągu 90 dni (ok. 3 mies.)")

    confirmations = [m for m in sent_mail() if m.subject == f"Wniosek {number} został złożony"]
    assert confirmations and EMAIL in confirmations[0].to
    return number


# 5. The officer returns it: a defect on the KRS extract, and a deadline.


def officer_returns(page, number: str, deadline: datetime.date) -> None:
    officer = factories.officer(first_name="Urszula", last_name="Urzędnik")
    login(page, officer.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje zadania")
    page.get_by_role("row").filter(has_text=number).get_by_role(
        "link", name="Ocena formalna"
    ).click()
    field(page, "Zwróć wnioskodawcy do uzupełnienia braków").check()
    field(page, "Brak 1: na czym polega").fill(DEFECT)
    field(page, "Brak 1: dokument, którego dotyczy").select_option(label=f"{KRS_TYPE}: {KRS_FILE}")
    field(page, "Termin uzupełnienia braków").fill(deadline.isoformat())
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(status(page)).to_contain_text(f"Zapisano ocenę formalną wniosku {number}")
    page.context.close()


# 6. The applicant answers the corrections request.


def answers_corrections(page, number: str, deadline: datetime.date) -> None:
    subject = f"Wniosek {number}: prosimy o poprawki do {polish_date(deadline)}"
    [request] = [m for m in sent_mail() if m.subject == subject]
    assert EMAIL in request.to and DEFECT in request.body

    log_in_by_email(page)
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Zwrócony do uzupełnienia braków")
    expect(row).to_contain_text(f"Popraw wniosek do {polish_date(deadline)}.")
    row.get_by_role("link", name=re.compile(r"^Popraw wniosek")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Popraw wniosek")
    expect(page.get_by_role("main")).to_contain_text(f"Wyślij poprawki do {polish_date(deadline)}.")
    # The defect stands next to the document it concerns.
    defect = page.locator(".panel", has=page.get_by_role("heading", name=KRS_TYPE, exact=True))
    expect(defect).to_contain_text(DEFECT)
    expect(defect).to_contain_text(f"Dotyczy dokumentu: {KRS_FILE}")

    field(defect, f"Nowa wersja dokumentu „{KRS_FILE}”").set_input_files(
        {
            "name": KRS_NEW_FILE,
            "mimeType": "application/pdf",
            "buffer": factories.pdf_bytes(KRS_NEW_FILE),
        }
    )
    defect.get_by_role("button", name=re.compile(r"^Prześlij nową wersję")).click()
    expect(status(page)).to_contain_text(
        f"Plik „{KRS_FILE}” zastąpiono plikiem „{KRS_NEW_FILE}”; "
        "poprzednia wersja została zachowana."
    )
    defect = page.locator(".panel", has=page.get_by_role("heading", name=KRS_TYPE, exact=True))
    expect(defect).to_contain_text(f"Przesłano nową wersję: {KRS_NEW_FILE}")
    expect(defect).to_contain_text("Wcześniejsze wersje (zachowane):")
    earlier = defect.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=KRS_FILE, exact=True)
    )
    expect(earlier).to_have_count(1)

    field(page, "Odpowiedź dla pracownika ROPS (opcjonalnie)").fill(
        "Załączyliśmy odpis z KRS z tego miesiąca."
    )
    page.get_by_role("button", name="Wyślij poprawiony wniosek").click()
    expect(status(page)).to_contain_text(
        "Poprawiony wniosek został wysłany. ROPS ponownie go sprawdzi."
    )


# 7. The timeline on the application's page.


def follows_timeline(page, number: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Wniosek {number}")
    today = polish_date(timezone.localdate())
    history = page.locator("ol.timeline > li")
    steps = [
        "Wniosek złożony",
        "Po ocenie formalnej zwrócono wniosek do uzupełnienia braków",
        "Zastąpiono dokument nową wersją",
        "Wysłano poprawiony wniosek",
    ]
    for step in steps:
        expect(history.filter(has_text=step)).to_contain_text(today)
    texts = history.all_inner_texts()
    order = [next(i for i, t in enumerate(texts) if step in t) for step in steps]
    assert order == sorted(order), texts
    # The earlier version of the KRS extract stays listed with the documents.
    documents = page.get_by_role("table", name="Dokumenty wniosku")
    expect(documents.get_by_role("row", name=re.compile(KRS_NEW_FILE))).to_contain_text(
        "Wcześniejsze wersje (zachowane):"
    )
    # What comes next.
    main = page.get_by_role("main")
    expect(main).to_contain_text("ROPS sprawdza, czy wniosek jest kompletny i czy spełnia warunki.")
    expect(main).to_contain_text("Staramy się podjąć decyzję w ciągu 90 dni (ok. 3 mies.)")


def test_newcomer_registers_applies_corrects_and_follows_timeline(browser, page):
    factories.cpv_vocabulary()
    signs_up(page)
    registers_cooperative(page)
    starts_application(page)

    # The browser is closed halfway; a new one starts with no session.
    page.context.close()
    page = new_page(browser, page.base_url)
    finds_everything_saved(page)
    number = completes_and_submits(page)
    page.get_by_role("button", name="Wyloguj się").click()

    deadline = timezone.localdate() + datetime.timedelta(days=10)
    officer_returns(new_page(browser, page.base_url), number, deadline)

    answers_corrections(page, number, deadline)
    follows_timeline(page, number)
    page.context.close()
