"""static/js/unsaved.js in Chromium: the warning before leaving, and the questionnaire's autosave.

Time is moved on with Playwright's clock, not waited for.
"""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def open_questionnaire(page):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    page.clock.install()
    login(page, user.username)
    page.goto(f"{page.base_url}/wnioskodawca/wnioski/{draft.pk}/ankieta/")
    return draft


def social_goals(page):
    return page.locator("#id_social_goals")


def test_leaving_with_a_changed_field_asks_first_and_staying_keeps_the_text(page):
    open_questionnaire(page)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    social_goals(page).fill("Zatrudniamy osoby z niepełnosprawnościami.")
    page.get_by_role("link", name="Wróć do wniosku").click()

    expect(social_goals(page)).to_have_value("Zatrudniamy osoby z niepełnosprawnościami.")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/ankieta/")


def test_leaving_without_changes_or_by_saving_asks_nothing(page):
    draft = open_questionnaire(page)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))

    social_goals(page).fill("Cele społeczne.")
    with page.expect_navigation():
        page.get_by_role(
            "button", name=re.compile("Zapisz i wróć później|Save and come back")
        ).click()

    assert dialogs == []
    draft.refresh_from_db()
    assert draft.social_goals == "Cele społeczne."


def test_autosave_saves_changed_answers_and_says_when(page):
    draft = open_questionnaire(page)
    status = page.locator("[data-autosave-status]")
    expect(page.locator("[data-autosave-note]")).to_be_visible()

    social_goals(page).fill("Wpisane i zapisane samo.")
    page.clock.run_for(31_000)

    expect(status).to_have_text(re.compile(r"\d{1,2}:\d{2}"))
    draft.refresh_from_db()
    assert draft.social_goals == "Wpisane i zapisane samo."
    # Saved: leaving now asks nothing.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    with page.expect_navigation():
        page.get_by_role("link", name="Wróć do wniosku").click()
    assert dialogs == []
