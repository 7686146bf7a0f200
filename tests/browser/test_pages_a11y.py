"""Every public and applicant page, in Polish, passes the axe scan and the keyboard pass.

Each case builds its data through the real flow (tests.stages), logs in as the user who sees
the page, opens it and returns a part of the title it expects; the case's id names the page
when it fails. Staff pages are in test_pages_a11y_staff.py.
"""

import datetime

import pytest

from certification.domain.certificates import number_to_slug
from tests import factories, stages

from .a11y import check_page
from .conftest import go, open_as

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _certificate():
    return stages.certified(stages.cast())


# Public pages: each builder opens its page as an anonymous visitor.


def home(page):
    go(page, "/")
    return "Certyfikaty znaku"


def registry_with_results(page):
    _certificate()
    _certificate()
    go(page, "/rejestr/")
    return "Rejestr certyfikatów"


def registry_second_page(page):
    # Enough entries for the pagination links; made directly, the flow adds nothing here.
    for _ in range(21):
        factories.certificate()
    go(page, "/rejestr/?page=2")
    return "strona 2"


def registry_no_results(page):
    _certificate()
    go(page, "/rejestr/?q=nie+ma+takiego+podmiotu")
    return "Rejestr certyfikatów"


def certificate_page(page):
    go(page, f"/rejestr/{number_to_slug(_certificate().number)}/")
    return "Certyfikat ZP/"


def verify_empty(page):
    go(page, "/weryfikacja/")
    return "Sprawdź certyfikat"


def verify_valid(page):
    go(page, f"/weryfikacja/?number={_certificate().number}")
    return "Ważny"


def verify_unknown(page):
    go(page, "/weryfikacja/?number=ZP/2020/9999")
    return "Nie znaleziono certyfikatu"


def verify_malformed(page):
    go(page, "/weryfikacja/?number=to+nie+numer")
    return "Błąd"


def verify_number(page):
    go(page, f"/weryfikacja/{number_to_slug(_certificate().number)}/")
    return "Ważny"


def verify_number_unknown(page):
    go(page, "/weryfikacja/ZP-2020-9999/")
    return "Nie znaleziono certyfikatu"


def verify_nip(page):
    # Two certificates of one organisation, one of them expired: the table of a NIP's answer.
    certificate = _certificate()
    factories.certificate(
        organization=certificate.organization,
        issued_on=datetime.date(2020, 1, 2),
        valid_until=datetime.date(2021, 1, 1),
    )
    go(page, f"/weryfikacja/?number={certificate.organization.nip}&date=2020-06-01")
    return "NIP"


def verify_nip_unknown(page):
    go(page, f"/weryfikacja/?number={factories.VALID_NIPS[1]}")
    return "NIP"


def login_with_error(page):
    factories.UserFactory(username="ktos")
    go(page, "/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill("ktos")
    page.get_by_label("Hasło").fill("zle-haslo")
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def page_not_found(page):
    go(page, "/rejestr/nie-ma-takiego/")
    return "Nie znaleziono strony"


PUBLIC = [
    home,
    page_not_found,
    registry_with_results,
    registry_second_page,
    registry_no_results,
    certificate_page,
    verify_empty,
    verify_valid,
    verify_unknown,
    verify_malformed,
    verify_number,
    verify_number_unknown,
    verify_nip,
    verify_nip_unknown,
    login_with_error,
]


# Applicant pages: each builder logs in as the applicant and opens the page.


def my_applications(page):
    c = stages.cast()
    stages.submitted(c)
    factories.draft_application(user=c.applicant, complete=False)
    open_as(page, c.applicant, "/wnioskodawca/")
    return "Moje wnioski"


def organization_new(page):
    open_as(page, factories.UserFactory(), "/wnioskodawca/organizacje/nowa/")
    return "Zarejestruj organizację"


def organization_bad_nip(page):
    user = factories.applicant()
    open_as(page, user, f"/wnioskodawca/organizacje/{user.organizations.get().pk}/")
    page.get_by_label("NIP").fill("1234567890")
    page.get_by_role("button", name="Zapisz zmiany").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def _draft(*, complete: bool):
    user = factories.applicant()
    return user, factories.draft_application(user=user, complete=complete)


def editor_task_list(page):
    user, draft = _draft(complete=False)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/edycja/")
    return "Wersja robocza wniosku"


def editor_questionnaire(page):
    user, draft = _draft(complete=False)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/ankieta/")
    return "Ankieta"


def editor_questionnaire_errors(page):
    user, draft = _draft(complete=False)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/ankieta/")
    page.get_by_role("button", name="Zapisz i przejdź dalej").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def editor_items(page):
    user, draft = _draft(complete=True)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/produkty/")
    return "Produkty i usługi"


def editor_item_remove(page):
    user, draft = _draft(complete=True)
    item = draft.items.first()
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/produkty/{item.pk}/usun/")
    return "Usuń"


def editor_item_codes(page):
    user, draft = _draft(complete=True)
    item = draft.items.first()
    open_as(
        page, user, f"/wnioskodawca/wnioski/{draft.pk}/produkty/{item.pk}/kody-cpv/?szukaj=posiłki"
    )
    return "Kody CPV"


def editor_documents(page):
    user, draft = _draft(complete=False)
    draft.items.create(name="Pierogi „Babci”", kind="product", description="Ręcznie lepione.")
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/dokumenty/")
    return "Dokumenty"


def editor_documents_complete(page):
    user, draft = _draft(complete=True)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/dokumenty/")
    return "Dokumenty"


def check_answers(page):
    user, draft = _draft(complete=True)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/sprawdz/")
    return "Sprawdź odpowiedzi"


def check_answers_incomplete(page):
    user, draft = _draft(complete=False)
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/sprawdz/")
    return "Sprawdź odpowiedzi"


def confirmation(page):
    c = stages.cast()
    application = stages.submitted(c)
    open_as(page, c.applicant, f"/wnioskodawca/wnioski/{application.pk}/wyslany/")
    return "Wniosek złożony"


def application_detail(page):
    c = stages.cast()
    certificate = stages.certified(c)
    open_as(page, c.applicant, f"/wnioskodawca/wnioski/{certificate.application_id}/")
    return "Wniosek W/"


def _near_expiry():
    """A certificate a month from its end, and a member who may renew it."""
    today = datetime.date.today()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=334),
        valid_until=today + datetime.timedelta(days=30),
    )
    return certificate, factories.applicant(certificate.organization)


def my_applications_renewal(page):
    _, member = _near_expiry()
    open_as(page, member, "/wnioskodawca/")
    return "Moje wnioski"


def application_detail_renewal(page):
    certificate, member = _near_expiry()
    open_as(page, member, f"/wnioskodawca/wnioski/{certificate.application_id}/")
    return "wniosku nr"  # the factory's application has no number of its own


def corrections(page):
    c = stages.cast()
    application = stages.in_corrections(c)
    open_as(page, c.applicant, f"/wnioskodawca/wnioski/{application.pk}/poprawki/")
    return "Popraw wniosek"


def corrections_confirm_unchanged(page):
    corrections(page)
    page.get_by_role("button", name="Wyślij poprawiony wniosek").click()
    return "Wysłać bez żadnej zmiany?"


APPLICANT = [
    my_applications,
    organization_new,
    organization_bad_nip,
    editor_task_list,
    editor_questionnaire,
    editor_questionnaire_errors,
    editor_items,
    editor_item_remove,
    editor_documents,
    editor_documents_complete,
    check_answers,
    check_answers_incomplete,
    confirmation,
    application_detail,
    application_detail_renewal,
    my_applications_renewal,
    corrections,
    corrections_confirm_unchanged,
    editor_item_codes,
]


@pytest.mark.parametrize("open_page", PUBLIC + APPLICANT, ids=lambda f: f.__name__)
def test_page_is_accessible(page, open_page):
    assert open_page(page) in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []


@pytest.mark.parametrize("open_page", PUBLIC, ids=lambda f: f.__name__)
def test_public_page_is_accessible_on_a_phone(page, open_page):
    page.set_viewport_size(PHONE)
    assert open_page(page) in page.title()
    assert check_page(page) == []
