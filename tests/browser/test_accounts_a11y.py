"""Account pages (sign-up, confirmation, password reset and change, logout) pass the axe scan
and the keyboard pass, in Polish, on a desktop and on a phone.

Each builder opens its page the way a user reaches it and returns the msgid its title holds;
the test expects that msgid's Polish translation in the title.
"""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.utils import translation

from tests import factories
from tests.mail import sent_mail

from .a11y import check_page
from .conftest import go, open_as

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PASSWORD = "Zielona-Łąka-2024"


def _submit(page) -> None:
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()


def _signed_up() -> EmailAddress:
    user = factories.UserFactory(email="anna.nowak@example.pl")
    return EmailAddress.objects.create(user=user, email=user.email, primary=True)


def signup(page):
    go(page, "/konto/rejestracja/")
    return "Create an account"


def signup_with_errors(page):
    go(page, "/konto/rejestracja/")
    page.locator("#id_email").fill("anna.nowak")
    page.locator("#id_password1").fill("12345678")
    page.locator("#id_password2").fill("87654321")
    _submit(page)
    page.get_by_role("alert").wait_for()
    return "Error"


def verification_sent(page):
    go(page, "/konto/rejestracja/")
    page.locator("#id_email").fill("anna.nowak@example.pl")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    _submit(page)
    return "Check your e-mail"


def email_confirm(page):
    key = EmailConfirmationHMAC(_signed_up()).key
    go(page, f"/konto/potwierdzenie-adresu/{key}/")
    return "Confirm your e-mail address"


def email_confirm_bad_link(page):
    go(page, "/konto/potwierdzenie-adresu/MQ:1abc:zmieniony/")
    return "This link does not work"


def password_reset(page):
    go(page, "/konto/haslo/reset/")
    return "Reset your password"


def password_reset_with_errors(page):
    go(page, "/konto/haslo/reset/")
    _submit(page)
    page.get_by_role("alert").wait_for()
    return "Error"


def password_reset_done(page):
    go(page, "/konto/haslo/reset/")
    page.locator("#id_email").fill("nikt@example.pl")
    _submit(page)
    return "Check your e-mail"


def _reset_link(page) -> str:
    user = factories.UserFactory(email="kasia@example.pl")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    go(page, "/konto/haslo/reset/")
    page.locator("#id_email").fill(user.email)
    _submit(page)
    return re.search(r"https?://\S+", sent_mail()[-1].body)[0]


def password_reset_from_key(page):
    page.goto(_reset_link(page))
    return "Set a new password"


def password_reset_from_key_done(page):
    page.goto(_reset_link(page))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    _submit(page)
    return "Your password has been changed"


def password_reset_bad_link(page):
    go(page, "/konto/haslo/reset/klucz/1-zmieniony/")
    return "This link does not work"


def password_change(page):
    open_as(page, factories.UserFactory(), "/konto/haslo/zmiana/")
    return "Change your password"


def password_change_with_errors(page):
    open_as(page, factories.UserFactory(), "/konto/haslo/zmiana/")
    page.locator("#id_oldpassword").fill("zle-haslo")
    _submit(page)
    page.get_by_role("alert").wait_for()
    return "Error"


def email_address(page):
    user = factories.UserFactory()
    open_as(page, user, "/konto/adres-email/")
    return "Your e-mail address"


def logout_confirm(page):
    open_as(page, factories.UserFactory(), "/konto/wylogowanie/")
    return "Log out"


PAGES = [
    signup,
    signup_with_errors,
    verification_sent,
    email_confirm,
    email_confirm_bad_link,
    password_reset,
    password_reset_with_errors,
    password_reset_done,
    password_reset_from_key,
    password_reset_from_key_done,
    password_reset_bad_link,
    password_change,
    password_change_with_errors,
    email_address,
    logout_confirm,
]


def _polish(msgid: str) -> str:
    with translation.override("pl"):
        return translation.gettext(msgid)


@pytest.mark.parametrize("open_page", PAGES, ids=lambda f: f.__name__)
def test_account_page_is_accessible(page, open_page):
    assert _polish(open_page(page)) in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []


@pytest.mark.parametrize(
    "open_page", [signup_with_errors, verification_sent], ids=lambda f: f.__name__
)
def test_account_page_is_accessible_on_a_phone(page, open_page):
    page.set_viewport_size(PHONE)
    assert _polish(open_page(page)) in page.title()
    assert check_page(page) == []


def test_new_user_signs_up_confirms_and_is_led_to_register_organisation(page):
    verification_sent(page)
    link = re.search(r"https?://\S+", sent_mail()[-1].body)[0]
    page.goto(link)
    _submit(page)
    assert page.url.endswith("/wnioskodawca/organizacje/nowa/")
    assert page.get_by_role("heading", level=1).inner_text() == _polish(
        "Register your organisation"
    )
