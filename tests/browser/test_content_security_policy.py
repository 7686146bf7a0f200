"""Every kind of page works in Chromium under its Content-Security-Policy: the browser reports
no violation, and the scripts that must run (the questionnaire's autosave, the admin's widgets,
the API docs) do run.

Violations are collected two ways: the page's `securitypolicyviolation` events (recorded by a
script Playwright adds before the page's own, which no policy governs) and Chromium's console
messages about the policy and the Permissions-Policy header."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certification.domain.certificates import number_to_slug
from certification.models import User
from tests import factories, stages

from .conftest import go, login

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


class Watched:
    """A page whose policy violations and policy console errors are kept per address."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(text)

    def visit(self, path: str) -> list[str]:
        go(self.page, path)
        self.page.wait_for_load_state("load")
        return self.problems()

    def problems(self) -> list[str]:
        found = self.page.evaluate("window.__violations || []") + self.console
        self.console = []
        return found


def test_public_and_account_pages_run_under_the_policy(page, settings):
    certificate = factories.certificate()
    slug = number_to_slug(certificate.number)
    watched = Watched(page)
    for path in [
        "/",
        "/rejestr/",
        "/rejestr/?q=smaczne",
        f"/rejestr/{slug}/",
        f"/rejestr/{slug}/odznaka/",
        f"/weryfikacja/?number={certificate.number}",
        "/konto/logowanie/",
        "/konto/rejestracja/",
        "/konto/haslo/reset/",
        "/nie-ma-takiej-strony/",
    ]:
        assert watched.visit(path) == [], path


def test_badge_preview_image_loads_under_the_policy(page):
    certificate = factories.certificate()
    watched = Watched(page)
    assert watched.visit(f"/rejestr/{number_to_slug(certificate.number)}/odznaka/") == []
    width = page.evaluate("document.querySelector('.badge-preview img').naturalWidth")
    assert width == 340


def test_questionnaire_scripts_run_under_the_policy(page):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    watched = Watched(page)
    login(page, user.username)
    assert watched.visit(f"/wnioskodawca/wnioski/{draft.pk}/ankieta/") == []
    # static/js/unsaved.js shows this note only once it has started the autosave.
    expect(page.locator("[data-autosave-note]")).to_be_visible()
    assert watched.problems() == []
    for path in [
        "/wnioskodawca/",
        f"/wnioskodawca/wnioski/{draft.pk}/dokumenty/",
        f"/wnioskodawca/wnioski/{draft.pk}/",
        reverse("account_change_password"),
        reverse("account_email"),
    ]:
        assert watched.visit(path) == [], path


def test_staff_pages_run_under_the_policy(page):
    c = stages.cast()
    application = stages.submitted(c)
    watched = Watched(page)
    login(page, c.officer.username)
    review = stages.open_task(application, stages.flow.formal_review)
    for path in [
        "/obsluga/",
        "/obsluga/wnioski/",
        f"/obsluga/wnioski/{application.pk}/",
        f"/obsluga/zadania/{review.pk}/",
        "/obsluga/certyfikaty/",
        "/obsluga/raporty/",
    ]:
        assert watched.visit(path) == [], path


def test_admin_pages_and_their_widgets_run_under_the_policy(page):
    User.objects.create_superuser("admin", "admin@example.pl", "haslo-testowe-123")
    watched = Watched(page)
    login(page, "admin")
    for path in [
        "/admin/",
        "/admin/certification/organization/",
        "/admin/certification/user/add/",
    ]:
        assert watched.visit(path) == [], path
    # The admin's own scripts ran: the change list's "select all" box works.
    assert watched.visit("/admin/certification/user/") == []
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    assert watched.problems() == []


def test_api_docs_render_under_the_policy(page):
    watched = Watched(page)
    assert watched.visit("/api/v1/docs") == []
    # Swagger UI built the page from the schema: the operations are listed.
    expect(page.locator(".opblock").first).to_be_visible()
    # Opening an operation and trying it out draws its form (selects, icons) and calls the API.
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.locator(".opblock-body input[type=text]").first.fill("ZP/2026/0001")
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".responses-table .response-col_status").first).to_be_visible()
    assert watched.problems() == []


def test_server_error_page_is_styled_under_the_policy(page, settings):
    settings.ROOT_URLCONF = "tests.urls_server_error"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    watched = Watched(page)
    assert watched.visit("/awaria/") == []
    # Its style (with the nonce) applied: the header's green band.
    colour = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert colour == "rgb(11, 93, 59)"
