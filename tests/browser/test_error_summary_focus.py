"""After a sending with mistakes the error summary has the keyboard focus (a screen reader
reads it first; Tab leads to its links), by the site's script under the page's CSP."""

import pytest
from playwright.sync_api import expect

from tests import stages

from .conftest import go, open_as

pytestmark = pytest.mark.django_db(transaction=True)


def test_error_summary_takes_focus_after_a_bad_submit(page):
    c = stages.cast()
    application = stages.submitted(c)
    task = stages.open_task(application, stages.flow.formal_review)
    open_as(page, c.officer, f"/obsluga/zadania/{task.pk}/")
    page.locator('input[name="outcome"][value="reject"]').check()
    page.get_by_role("button", name="Zapisz ocenę").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    # The rule between answers is told on this first sending, beside its field.
    expect(summary).to_contain_text("Podaj powód odrzucenia formalnego")


def test_error_summary_wins_over_the_login_fields_autofocus(page):
    go(page, "/konto/logowanie/")
    page.fill("#id_login", "nikt")
    page.fill("#id_password", "zle-haslo-123")
    page.press("#id_password", "Enter")
    expect(page.locator(".error-summary")).to_be_focused()


def test_page_without_errors_keeps_focus_where_it_was(page):
    go(page, "/konto/logowanie/")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')") is False
