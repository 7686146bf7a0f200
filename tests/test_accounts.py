"""Accounts: sign-up with a confirmed e-mail address, login, logout, password reset and change."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from certification.models import User

from .factories import UserFactory
from .mail import sent_mail
from .web import login

pytestmark = pytest.mark.django_db

PASSWORD = "Zielona-Łąka-2024"
LINK = re.compile(r"https?://\S+")


def sign_up(client, email="anna.nowak@example.pl", password=PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password},
    )


def log_in(client, login, password=PASSWORD):
    return client.post(reverse("login"), {"login": login, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def link_in(message) -> str:
    return LINK.findall(message.body)[0]


def verified_user(**kwargs):
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# --- sign-up and the confirmation e-mail --------------------------------------------------


def test_signup_sends_confirmation_email_in_polish_by_default(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    [message] = sent_mail()
    assert message.to == ["anna.nowak@example.pl"]
    assert message.subject == "Zakup Prospołeczny: Potwierdź adres e-mail"
    assert "/konto/potwierdzenie-adresu/" in link_in(message)
    user = User.objects.get(email="anna.nowak@example.pl")
    assert user.language == "pl"


def test_signup_in_english_sends_english_email_and_remembers_the_language(english):
    sign_up(english, email="john@example.org")

    [message] = sent_mail()
    assert message.subject == "Zakup Prospołeczny: Confirm Email Address"
    assert "Someone, probably you, gave this e-mail address" in message.body
    assert User.objects.get(email="john@example.org").language == "en"


def test_signup_page_is_polish_by_default(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert '<html lang="pl">' in html
    assert "Hasło (ponownie)" in html


def test_login_before_confirming_is_refused(client):
    sign_up(client)

    other_browser = Client()
    response = log_in(other_browser, "anna.nowak@example.pl")

    assert logged_in_user_id(other_browser) is None
    assert response["Location"] == reverse("account_email_verification_sent")


def test_confirmation_link_activates_and_leads_new_user_to_register_organisation(client, english):
    sign_up(english)
    link = link_in(sent_mail()[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm that <strong>anna.nowak@example.pl</strong> is your e-mail address" in (
        page.content.decode()
    )
    response = client.post(link, follow=True)

    assert EmailAddress.objects.get(email="anna.nowak@example.pl").verified
    assert response.redirect_chain[-1][0] == reverse("organization_create")
    html = response.content.decode()
    assert "Register your organisation" in html
    assert "Start by registering the organisation you act for" in html


def test_confirmation_link_opened_in_another_browser_then_login_by_email_works(english):
    sign_up(Client())
    link = link_in(sent_mail()[0])

    other_browser = english  # this test's own client, in English
    other_browser.post(link)
    response = log_in(other_browser, "anna.nowak@example.pl")

    assert logged_in_user_id(other_browser) is not None
    assert response["Location"] == reverse("dashboard")
    assert other_browser.get(reverse("dashboard"))["Location"] == reverse("organization_create")


def test_confirmation_link_altered_gives_clear_message(client, english):
    sign_up(english)
    link = link_in(sent_mail()[0])
    altered = link.replace(link.rstrip("/")[-4:], "abcd")

    page = client.get(altered)
    assert "This link does not work" in page.content.decode()
    assert not EmailAddress.objects.get(email="anna.nowak@example.pl").verified


def link_issued_days_ago(address: EmailAddress, days: int) -> str:
    class IssuedEarlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    # The key allauth puts in the link (signing.dumps of the address's pk), dated back.
    key = IssuedEarlier(salt="account").sign_object(address.pk)
    return reverse("account_confirm_email", args=[key])


def test_confirmation_link_just_within_its_validity_still_works(client, english):
    sign_up(english)
    address = EmailAddress.objects.get(email="anna.nowak@example.pl")
    link = link_issued_days_ago(address, settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS - 1)

    client.post(link)

    assert EmailAddress.objects.get(pk=address.pk).verified


def test_confirmation_link_expired_gives_clear_message(client, english):
    sign_up(english)
    address = EmailAddress.objects.get(email="anna.nowak@example.pl")
    link = link_issued_days_ago(address, settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS + 1)

    page = client.get(link)

    assert "This link does not work" in page.content.decode()
    client.post(link)
    assert not EmailAddress.objects.get(pk=address.pk).verified


def test_signup_with_taken_email_creates_nothing_and_writes_to_the_owner(english):
    owner = verified_user(email="anna.nowak@example.pl")
    users_before = User.objects.count()

    response = sign_up(english, email="Anna.Nowak@example.pl")

    # The screen says what it says for a new address; the owner learns the rest by e-mail.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == users_before
    [message] = sent_mail()
    assert message.to == ["anna.nowak@example.pl"]
    # In the owner's language (Polish), not in the stranger's (English).
    assert message.subject == "Zakup Prospołeczny: Konto już istnieje"
    assert "Konto z tym adresem już istnieje" in message.body
    assert "/konto/haslo/reset/" in message.body
    assert owner.check_password(PASSWORD)


def test_signup_with_weak_password_shows_message_beside_field(english):
    response = sign_up(english, password="12345678")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_password1"' in html
    assert "This password is entirely numeric." in html
    assert not User.objects.filter(email="anna.nowak@example.pl").exists()
    assert sent_mail() == []


def test_signup_with_mismatched_passwords_shows_message(english):
    response = sign_up(english, password2="Inne-Haslo-2024")

    html = response.content.decode()
    assert 'href="#id_password2"' in html
    assert "You must type the same password each time." in html
    assert not User.objects.filter(email="anna.nowak@example.pl").exists()


def test_signup_with_invalid_email_shows_message(english):
    response = sign_up(english, email="anna.nowak")

    assert response.status_code == 200
    assert 'href="#id_email"' in response.content.decode()
    assert sent_mail() == []


# --- login and logout ---------------------------------------------------------------------


def test_login_by_email_and_by_username(client):
    user = verified_user(username="kasia", email="kasia@example.pl")

    assert log_in(client, "KASIA@example.pl")["Location"] == reverse("dashboard")
    assert logged_in_user_id(client) == str(user.pk)
    client.post(reverse("logout"))
    assert logged_in_user_id(client) is None
    assert log_in(client, "kasia")["Location"] == reverse("dashboard")
    assert logged_in_user_id(client) == str(user.pk)


def test_login_in_a_new_browser_brings_back_the_language_the_person_chose(client):
    verified_user(username="john", email="john@example.pl", language="en")

    log_in(client, "john")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("dashboard"), follow=True).content.decode()


def test_login_keeps_the_language_this_browser_chose(client):
    verified_user(username="john", email="john@example.pl", language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    log_in(client, "john")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"


def test_login_with_wrong_password_shows_clear_message(client, english):
    verified_user(username="kasia")

    response = log_in(english, "kasia", password="nie-to-haslo")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The username and/or password you specified are not correct." in html
    assert logged_in_user_id(client) is None


def test_login_page_links_to_signup_and_password_reset(client):
    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("account_signup")}"' in html
    assert f'href="{reverse("account_reset_password")}"' in html


def test_home_page_offers_account_creation_to_visitors(client):
    assert f'href="{reverse("account_signup")}"' in client.get(reverse("home")).content.decode()


def test_account_urls_keep_the_polish_prefix():
    assert reverse("login") == "/konto/logowanie/"
    assert reverse("logout") == "/konto/wylogowanie/"
    assert reverse("account_signup") == "/konto/rejestracja/"
    assert reverse("account_reset_password") == "/konto/haslo/reset/"


# --- password reset and change ------------------------------------------------------------


def test_password_reset_end_to_end(english):
    browser = Client()
    user = verified_user(email="kasia@example.pl")

    response = browser.post(reverse("account_reset_password"), {"email": "kasia@example.pl"})
    assert response["Location"] == reverse("account_reset_password_done")
    [message] = sent_mail()
    assert message.to == ["kasia@example.pl"]
    link = link_in(message)

    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = browser.post(
        set_password_url, {"password1": "Nowe-Haslo-2025!", "password2": "Nowe-Haslo-2025!"}
    )
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    fresh = Client()
    assert log_in(fresh, user.username, password=PASSWORD).status_code == 200
    assert logged_in_user_id(fresh) is None
    log_in(fresh, user.username, password="Nowe-Haslo-2025!")
    assert logged_in_user_id(fresh) == str(user.pk)
    # The link works once.
    again = english.get(link, follow=True)  # in yet another browser
    assert "This link does not work" in again.content.decode()


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    verified_user(email="kasia@example.pl")

    known = client.post(reverse("account_reset_password"), {"email": "kasia@example.pl"})
    sent_mail().clear()
    unknown = client.post(reverse("account_reset_password"), {"email": "nikt@example.pl"})

    assert sent_mail() == []
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]


def test_password_change_for_logged_in_user(client):
    user = verified_user()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Nowe-Haslo-2025!", "password2": "Nowe-Haslo-2025!"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nowe-Haslo-2025!")


def test_password_change_with_wrong_current_password_changes_nothing(client):
    user = verified_user()
    login(client, user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "zle", "password1": "Nowe-Haslo-2025!", "password2": "Nowe-Haslo-2025!"},
    )

    assert response.status_code == 200
    assert 'href="#id_oldpassword"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_user_made_by_the_administrator_confirms_address_at_first_login(client):
    user = UserFactory(password=PASSWORD, username="urzednik2", email="urzednik2@example.pl")

    response = log_in(client, "urzednik2")

    assert logged_in_user_id(client) is None
    assert response["Location"] == reverse("account_email_verification_sent")
    [message] = sent_mail()
    assert message.to == ["urzednik2@example.pl"]
    client.post(link_in(message))
    assert log_in(Client(), "urzednik2")["Location"] == reverse("dashboard")
    assert EmailAddress.objects.get(user=user).verified


def test_accounts_older_than_confirmation_keep_logging_in_after_the_migration(client):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "certification.migrations.0007_existing_users_email_confirmed"
    )
    juror = UserFactory(password=PASSWORD, username="juror9", email="Juror9@example.pl")
    twin = UserFactory(password=PASSWORD, username="twin", email="juror9@example.pl")
    assert log_in(client, "juror9")["Location"] != reverse("dashboard")  # before: locked out

    migration.confirm_existing_addresses(apps, None)

    assert log_in(client, "juror9")["Location"] == reverse("dashboard")
    assert EmailAddress.objects.get(email="juror9@example.pl").user == juror
    assert not EmailAddress.objects.filter(user=twin).exists()


def test_administrator_cannot_create_a_user_without_an_email_address(admin_client):
    response = admin_client.post(
        "/admin/certification/user/add/",
        {
            "username": "nowy",
            "email": "",
            "usable_password": "true",
            "password1": "Trudne-haslo-2026",
            "password2": "Trudne-haslo-2026",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(username="nowy").exists()


def test_password_reset_email_is_in_the_owners_language_and_links_to_the_public_site(
    client, settings
):
    settings.SITE_URL = "https://zakup.example.pl"
    verified_user(email="john@example.pl", language="en")

    client.post(reverse("account_reset_password"), {"email": "john@example.pl"})

    [message] = sent_mail()
    assert "password" in message.body.lower() and "hasło" not in message.body.lower()
    assert link_in(message).startswith("https://zakup.example.pl/konto/haslo/reset/klucz/")


def test_change_of_email_address_takes_effect_once_the_new_one_is_confirmed(client):
    user = verified_user(username="ola", email="ola@example.pl")
    client.force_login(user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "ola@nowa.pl"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ola@example.pl"  # not yet: the new address is unconfirmed
    [message] = sent_mail()
    assert message.to == ["ola@nowa.pl"]
    client.post(link_in(message))
    user.refresh_from_db()
    assert user.email == "ola@nowa.pl"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "ola@nowa.pl"
    ]
