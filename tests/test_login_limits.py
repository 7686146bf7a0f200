"""Login limits behind the TLS proxy: one client-address rule for allauth and the project, limits
per address and per account that a stranger cannot turn against the owner, and allauth's 429
page in the visitor's language."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from .factories import UserFactory
from .mail import sent_mail

pytestmark = pytest.mark.django_db

PASSWORD = "Zielona-Łąka-2024"
PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from it


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def browser(address: str, language: str = "en") -> Client:
    """A visitor at `address`, as the proxy forwards them."""
    client = Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": address})
    client.cookies["django_language"] = language
    return client


def log_in(client: Client, login: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"login": login, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def officer():
    user = UserFactory(username="urzednik", email="urzednik@rops.example.pl", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_forty_failed_logins_from_forty_clients_do_not_refuse_the_officer():
    user = officer()
    for n in range(40):
        log_in(browser(f"198.51.100.{n}"), f"someone{n}@example.pl", "wrong")

    owner = browser("203.0.113.7")
    log_in(owner, user.username)

    assert logged_in(owner)


def test_one_client_behind_the_proxy_is_still_limited_by_its_own_address():
    officer()
    guesser = browser("198.51.100.1")
    for n in range(10):
        log_in(guesser, f"someone{n}@example.pl", "wrong")

    refused = log_in(guesser, "urzednik")

    assert not logged_in(guesser)
    assert "Too many failed login attempts" in refused.content.decode()


def test_strangers_everywhere_cannot_lock_the_owner_out_of_a_browser_they_used_before():
    user = officer()
    owner = browser("203.0.113.7")
    log_in(owner, user.email)
    owner.post(reverse("logout"))
    assert not logged_in(owner)

    # More than any per-account limit: five guesses from each of 20 addresses.
    for n in range(100):
        log_in(browser(f"198.51.100.{n % 20}"), user.email, f"guess-{n}")
    stranger = browser("198.51.100.99")
    assert "Too many failed logins to this account" in log_in(stranger, user.email).text

    log_in(owner, user.email)
    assert logged_in(owner)


def test_guesses_from_one_address_do_not_stop_the_owner_elsewhere():
    user = officer()
    guesser = browser("198.51.100.1")
    for n in range(5):
        log_in(guesser, user.username, f"guess-{n}")

    right_password_there = log_in(guesser, user.username)
    owner = browser("203.0.113.7")  # never logged in from this browser
    log_in(owner, user.username)

    assert "Too many failed login attempts" in right_password_there.text
    assert not logged_in(guesser)
    assert logged_in(owner)


def test_the_right_password_is_never_counted_as_a_failure():
    user = officer()
    owner = browser("203.0.113.7")
    for _ in range(12):
        log_in(owner, user.username)
        owner.post(reverse("logout"))

    log_in(owner, user.username)
    assert logged_in(owner)


def test_a_reset_link_lets_the_owner_of_a_locked_account_in_from_a_new_browser():
    user = officer()
    for n in range(60):
        log_in(browser(f"198.51.100.{n % 20}"), user.email, f"guess-{n}")
    owner = browser("203.0.113.7")
    refused = log_in(owner, user.email)
    assert "set a new password with the link under the form" in refused.text

    owner.post(reverse("account_reset_password"), {"email": user.email})
    [message] = sent_mail()
    link = re.search(r"https?://\S+", message.body)[0]
    form_page = owner.get(link, follow=True)
    new_password = "Nowe-Haslo-2025!"
    done = owner.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    log_in(owner, user.email, new_password)
    assert logged_in(owner)


def test_past_thirty_login_posts_a_minute_the_429_page_is_in_polish_with_retry_after():
    visitor = browser("198.51.100.1", language="pl")
    answers = [log_in(visitor, f"someone{n}@example.pl", "wrong") for n in range(31)]

    limited = answers[-1]
    assert [a.status_code for a in answers[:30]] == [200] * 30
    assert limited.status_code == 429
    wait = int(limited["Retry-After"])
    assert 1 <= wait <= 60
    page = limited.content.decode()
    assert "<h1>Zbyt wiele zapytań</h1>" in page
    assert f"Poczekaj {wait} sekund" in page
    # Another client behind the same proxy is not affected.
    assert log_in(browser("198.51.100.2"), "someone@example.pl", "wrong").status_code == 200


def test_allauth_429_page_in_english_for_an_english_visitor():
    visitor = browser("198.51.100.1")
    answers = [log_in(visitor, f"someone{n}@example.pl", "wrong") for n in range(31)]

    page = answers[-1].content.decode()
    assert answers[-1].status_code == 429
    assert "<h1>Too many requests</h1>" in page
    assert f"Please wait {answers[-1]['Retry-After']} seconds" in page


def test_sign_up_limit_answers_the_same_page_with_retry_after():
    visitor = browser("198.51.100.1", language="pl")
    answers = [
        visitor.post(
            reverse("account_signup"),
            {"email": f"osoba{n}@example.pl", "password1": PASSWORD, "password2": PASSWORD},
        )
        for n in range(21)
    ]

    assert [a.status_code for a in answers[:20]] == [302] * 20
    limited = answers[-1]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "<h1>Zbyt wiele zapytań</h1>" in limited.text
