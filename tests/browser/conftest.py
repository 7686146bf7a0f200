"""Browser tests: Playwright driving the system Chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# The live server runs in a thread of this process; Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # Links in e-mails point to the public site: here, the live server.
    settings.SITE_URL = live_server.url
    context = browser.new_context(locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def verify_email(username: str) -> None:
    """Mark the user's e-mail address confirmed, as if they had clicked the link we sent."""
    from allauth.account.models import EmailAddress

    from certification.models import User

    user = User.objects.get(username=username)
    if user.email:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email.lower(), defaults={"verified": True, "primary": True}
        )


def login(page, username: str, password: str = "haslo-testowe-123") -> None:
    verify_email(username)
    go(page, "/konto/logowanie/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def go(page, path: str) -> None:
    """Open a path of the live server."""
    page.goto(f"{page.base_url}{path}")


def open_as(page, user, path: str) -> None:
    """Log in as the user, then open the path."""
    login(page, user.username)
    go(page, path)
