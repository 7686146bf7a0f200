"""static/js/cpv-autocomplete.js in Chromium: the CPV codes field as an ARIA combobox whose
suggestions come from /api/v1/cpv-codes, used with the keyboard, and accessible while open."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .a11y import check_page
from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


def open_codes_page(page):
    user = factories.applicant()
    draft = factories.draft_application(user=user, items=1)
    item = draft.items.get()
    open_as(page, user, f"/wnioskodawca/wnioski/{draft.pk}/produkty/{item.pk}/kody-cpv/")
    return item


def test_typing_words_offers_codes_and_enter_takes_the_highlighted_one(page):
    item = open_codes_page(page)
    field = page.get_by_role("combobox", name="Kody CPV")
    expect(field).to_have_value("55520000-1")

    field.press("End")
    field.type(", 9091")  # digits: the code and those below it, in code order
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option").first).to_contain_text("90910000-9")

    field.press("ArrowDown")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    field.press("Enter")  # takes the suggestion; the form is not sent

    expect(field).to_have_value("55520000-1, 90910000-9, ")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("status").filter(has_text="Dodano 90910000-9")).to_have_count(1)
    page.get_by_role("button", name="Zapisz kody").click()
    page.wait_for_load_state()
    assert sorted(item.cpv_links.values_list("cpv_id", flat=True)) == ["55520000", "90910000"]


def test_the_page_with_the_suggestions_open_is_accessible(page):
    open_codes_page(page)
    field = page.get_by_role("combobox", name="Kody CPV")

    field.fill("")
    field.type("catering")
    expect(page.get_by_role("listbox")).to_be_visible()

    assert check_page(page) == []


def test_escape_closes_the_suggestions(page):
    open_codes_page(page)
    field = page.get_by_role("combobox", name="Kody CPV")

    field.fill("")
    field.type("catering")
    expect(page.get_by_role("listbox")).to_be_visible()
    field.press("Escape")

    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
