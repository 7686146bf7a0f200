"""What the walk of issue 11 §7 tripped over, tried again in Chromium: the formal review
shows the defects only when returning (without JavaScript), the certificate issue shows its
dates first and a confirmation after, the scorecard's errors name their criterion."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from certification.domain.certificates import validity_if_issued
from tests import stages

from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page_without_js(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(locale="pl-PL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def task_path(application, node, owner=None) -> str:
    return f"/obsluga/zadania/{stages.open_task(application, node, owner=owner).pk}/"


def test_formal_review_shows_defects_only_when_returning_without_javascript(page_without_js):
    page = page_without_js
    c = stages.cast()
    application = stages.submitted(c)
    open_as(page, c.officer, task_path(application, stages.flow.formal_review))
    checklist = page.get_by_role("region", name="Kryteria formalne do sprawdzenia")
    expect(checklist).to_contain_text("Podpisany przez osobę uprawnioną")
    defect = page.get_by_label("Brak 1: na czym polega")
    deadline = page.get_by_label("Termin uzupełnienia braków")
    expect(defect).to_be_hidden()
    expect(deadline).to_be_hidden()
    page.get_by_label("Przyjmij: wniosek jest kompletny").check()
    expect(defect).to_be_hidden()
    page.get_by_label("Zwróć wnioskodawcy do uzupełnienia braków").check()
    expect(defect).to_be_visible()
    expect(deadline).to_be_visible()
    # Returned without a defect: the page comes back with the part still open and its error.
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Brak 1: na czym polega")).to_be_visible()
    page.get_by_label("Brak 1: na czym polega").fill("Odpis z KRS jest nieaktualny.")
    page.get_by_role("button", name="Zapisz ocenę").click()
    expect(page.get_by_role("status")).to_contain_text("Wynik: zwrócony do poprawy")


def test_issue_previews_the_dates_then_confirms_with_suspension_folded_away(page):
    c = stages.cast()
    application = stages.granted(c)
    open_as(page, c.officer, task_path(application, stages.flow.issue))
    start, end = validity_if_issued(timezone.localdate())
    with override("pl"):
        dates = f"od {date_format(start, 'j E Y')} do {date_format(end, 'j E Y')}"
    expect(page.locator("#validity-preview")).to_contain_text(dates)
    page.get_by_role("button", name="Wydaj certyfikat").click()
    panel = page.get_by_role("region", name=re.compile(r"Certyfikat ZP.\d{4}.\d+ został wydany"))
    expect(panel).to_contain_text(dates)
    expect(panel.locator("#pdf-status")).to_contain_text("generowany")
    expect(
        panel.get_by_role("link", name=re.compile("Publiczna strona certyfikatu"))
    ).to_be_visible()
    expect(panel.get_by_role("link", name="Wróć do moich zadań")).to_be_visible()
    suspend = page.get_by_role("button", name="Zawieś certyfikat")
    expect(suspend).to_be_hidden()
    page.get_by_text("Zmień status certyfikatu: zawieś, przywróć lub cofnij").click()
    expect(suspend).to_be_visible()


def test_scorecard_errors_name_each_criterion_and_a_draft_comes_back(page):
    c = stages.cast()
    application = stages.scoring_declared(c)
    juror = c.jurors[0]
    path = task_path(application, stages.flow.score, owner=juror)
    open_as(page, juror, path)
    page.get_by_role("button", name="Sprawdź odpowiedzi").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Punkty za „")
    links = summary.get_by_role("link").all_inner_texts()
    assert len(links) == len(set(links)) > 2
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Punkty").first).to_be_focused()
    page.get_by_label("Uzasadnienie").first.fill("Wersja robocza uzasadnienia.")
    page.get_by_role("button", name="Zapisz wersję roboczą").click()
    expect(page.get_by_role("status")).to_contain_text("Zapisano wersję roboczą")
    # Later, from the task list: the draft is filled in again.
    page.goto(f"{page.base_url}/obsluga/")
    page.goto(f"{page.base_url}{path}")
    expect(page.get_by_label("Uzasadnienie").first).to_have_value("Wersja robocza uzasadnienia.")
