"""Helpers for page tests with Django's test client."""

from django.conf import settings


def login(client, user):
    """Log the user in; pages answer in English so assertions can read the msgids."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
