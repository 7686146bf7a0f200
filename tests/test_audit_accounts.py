"""Sign-in and account events are in the audit log, through allauth's real pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from certification.models import AuditEvent, User

from .factories import UserFactory
from .mail import sent_mail

pytestmark = pytest.mark.django_db

PASSWORD = "Zielona-Łąka-2024"
NEW_PASSWORD = "Nowe-Haslo-2025!"
LINK = re.compile(r"https?://\S+")


def verified_user(**kwargs):
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def events(*actions) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action__in=actions)
        .order_by("pk")
        .values_list("action", "actor_id", "message")
    )


def link_in(message) -> str:
    return LINK.findall(message.body)[0]


def test_login_and_logout_are_recorded_with_the_address(client):
    user = verified_user(email="kasia@example.pl")

    client.post(reverse("login"), {"login": "kasia@example.pl", "password": PASSWORD})
    client.post(reverse("logout"))

    assert events("user.logged_in", "user.logged_out") == [
        ("user.logged_in", user.pk, ""),
        ("user.logged_out", user.pk, ""),
    ]
    assert AuditEvent.objects.get(action="user.logged_in").details == {"address": "127.0.0.1"}


def test_failed_login_is_recorded_with_the_name_typed_and_never_the_password(client):
    verified_user(email="kasia@example.pl")

    response = client.post(reverse("login"), {"login": "kasia@example.pl", "password": "zgadnij"})

    assert response.status_code == 200  # the form again, with its message
    assert events("user.login_failed") == [("user.login_failed", None, "kasia@example.pl")]
    event = AuditEvent.objects.get(action="user.login_failed")
    assert "zgadnij" not in str(event.details) and "zgadnij" not in event.message
    assert not AuditEvent.objects.filter(action="user.logged_in").exists()


def test_sign_up_and_confirming_the_address_are_recorded(client):
    client.post(
        reverse("account_signup"),
        {"email": "anna@example.pl", "password1": PASSWORD, "password2": PASSWORD},
    )
    user = User.objects.get(email="anna@example.pl")
    [message] = sent_mail()
    client.post(link_in(message))

    assert events("user.signed_up", "user.email_confirmed") == [
        ("user.signed_up", user.pk, "anna@example.pl"),
        ("user.email_confirmed", user.pk, "anna@example.pl"),
    ]


def test_password_change_is_recorded(client):
    user = verified_user()
    client.force_login(user)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert events("user.password_changed") == [("user.password_changed", user.pk, "")]


def test_password_reset_is_recorded():
    browser = Client()
    user = verified_user(email="kasia@example.pl")
    browser.post(reverse("account_reset_password"), {"email": "kasia@example.pl"})
    [message] = sent_mail()
    form_page = browser.get(link_in(message), follow=True)

    browser.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert events("user.password_reset") == [("user.password_reset", user.pk, "")]


def test_change_of_email_address_is_recorded_from_request_to_change(client):
    user = verified_user(email="ola@example.pl")
    client.force_login(user)

    client.post(reverse("account_email"), {"action_add": "", "email": "ola@nowa.pl"})
    [message] = sent_mail()
    client.post(link_in(message))

    assert events("user.email_added", "user.email_confirmed", "user.email_changed") == [
        ("user.email_added", user.pk, "ola@nowa.pl"),
        ("user.email_confirmed", user.pk, "ola@nowa.pl"),
        ("user.email_changed", user.pk, "ola@nowa.pl"),
    ]
    changed = AuditEvent.objects.get(action="user.email_changed")
    assert changed.details["previous"] == "ola@example.pl"
