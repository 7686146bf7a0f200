"""Helpers for page tests with Django's test client."""

from django.conf import settings

# The public registry page for an anonymous visitor: paginator count, the page of certificates,
# their items, and the filters' towns and years (read once after each new certificate, then
# cached).
REGISTRY_QUERIES = 5


def login(client, user):
    """Log the user in; pages answer in English so assertions can read the msgids."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def main_part(html: str) -> str:
    """The page's <main>: what the page says, without the header and footer of every page."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]
