"""Drafts are never lost: autosave, “Save and come back later”, two tabs, stale submits.

The autosave requests are what static/js/unsaved.js sends: the changed fields and autosave=1.
"""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.models import AuditEvent
from workflows import services
from workflows.queries import open_tasks_of

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db

ANSWERS = {
    "social_goals": "Zatrudniamy osoby po kryzysie bezdomności.",
    "employees_total": "10",
    "employees_at_risk": "6",
    "own_revenue_percent": "45,5",
}


def autosave(client, application, **fields):
    url = reverse("application_questionnaire", args=[application.pk])
    return client.post(url, {"autosave": "1", **fields})


def saved_events(application) -> int:
    return AuditEvent.objects.filter(
        application=application, action="application.questionnaire_saved"
    ).count()


def test_autosave_stores_the_answers_and_says_when(client, draft):
    response = autosave(client, draft, **ANSWERS)

    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] is True
    assert re.fullmatch(r"Saved at \d{2}:\d{2}", answer["message"])
    draft.refresh_from_db()
    assert draft.social_goals == ANSWERS["social_goals"]
    assert str(draft.own_revenue_percent) == "45.50"
    assert saved_events(draft) == 1


def test_autosave_of_unchanged_answers_adds_no_rows(client, draft):
    autosave(client, draft, **ANSWERS)
    before = stages.db_state(draft)

    for _ in range(3):
        assert autosave(client, draft, **ANSWERS).json()["saved"] is True

    assert stages.db_state(draft) == before
    # The explicit save of the same answers afterwards adds nothing either.
    client.post(reverse("application_questionnaire", args=[draft.pk]), ANSWERS)
    assert stages.db_state(draft) == before


def test_autosave_keeps_an_unfinished_questionnaire(client, draft):
    response = autosave(client, draft, social_goals="Na razie tylko początek odpowiedzi")

    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.social_goals == "Na razie tylko początek odpowiedzi"
    assert draft.own_revenue_percent is None


def test_two_tabs_each_autosaving_their_own_field_both_stay(client, draft):
    # Each tab sends only the fields changed in it: the last write wins per field.
    autosave(client, draft, social_goals="Cele wpisane w pierwszej karcie.")
    autosave(client, draft, employees_total="14", employees_at_risk="9")

    draft.refresh_from_db()
    assert draft.social_goals == "Cele wpisane w pierwszej karcie."
    assert (draft.employees_total, draft.employees_at_risk) == (14, 9)


def test_autosave_with_a_wrong_number_says_why_and_changes_nothing(client, draft):
    before = stages.db_state(draft)
    response = autosave(client, draft, social_goals="Cele.", employees_total="dwanaście")

    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False
    assert answer["message"].startswith("Not saved automatically: People employed in total: ")
    assert stages.db_state(draft) == before


def test_autosave_breaking_a_rule_gives_the_domain_message(client, draft):
    response = autosave(client, draft, employees_total="2", employees_at_risk="5")
    assert response.status_code == 400
    assert (
        "People at risk of exclusion cannot outnumber all employed people."
        in (response.json()["message"])
    )


def test_autosave_after_submission_answers_already_submitted(client):
    c = stages.cast()
    application = stages.submitted(c)
    login(client, c.applicant)
    before = stages.db_state(application)

    response = autosave(client, application, social_goals="Zmiana z zapomnianej karty.")

    assert response.status_code == 409
    assert response.json() == {
        "saved": False,
        "submitted": True,
        "message": "This application has been submitted and can no longer be edited.",
    }
    assert stages.db_state(application) == before
    # No message left waiting to surprise the user on their next page.
    page = client.get(reverse("my_applications")).content.decode()
    assert "can no longer be edited" not in page


def test_autosave_when_logged_out_says_so_instead_of_redirecting(client):
    application = factories.draft_application(complete=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the session is gone, not the language

    response = autosave(client, application, social_goals="Napisane przed wylogowaniem.")

    assert response.status_code == 401
    assert response.json()["message"].startswith("Not saved automatically: you have been logged")
    application.refresh_from_db()
    assert application.social_goals == ""


def test_save_and_come_back_later_keeps_an_incomplete_questionnaire(client, draft):
    response = client.post(
        reverse("application_questionnaire", args=[draft.pk]),
        {
            "social_goals": "Połowa odpowiedzi",
            "employees_total": "",
            "employees_at_risk": "",
            "own_revenue_percent": "",
            "save_later": "1",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("my_applications")
    page = response.content.decode()
    assert "Your draft is saved. You can come back to it at any time" in page
    draft.refresh_from_db()
    assert draft.social_goals == "Połowa odpowiedzi"
    assert draft.status == ApplicationStatus.DRAFT


def test_save_and_continue_still_asks_for_every_answer(client, draft):
    response = client.post(
        reverse("application_questionnaire", args=[draft.pk]),
        {**ANSWERS, "own_revenue_percent": ""},
    )
    assert response.status_code == 200
    assert 'id="id_own_revenue_percent_error"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.social_goals == ""


def test_questionnaire_page_offers_save_later_warning_and_autosave(client, draft):
    page = client.get(reverse("application_questionnaire", args=[draft.pk])).content.decode()

    assert 'data-unsaved-warning data-autosave="30"' in page
    assert 'name="save_later"' in page and "Save and come back later" in page
    assert 'aria-live="polite" data-autosave-status' in page
    assert "js/unsaved.js" in page
    assert finders.find("js/unsaved.js")


def test_items_save_and_come_back_later_adds_what_was_typed(client, draft):
    url = reverse("application_items", args=[draft.pk])
    response = client.post(
        url,
        {"name": "Torba", "kind": "product", "description": "Szyta z plandek.", "save_later": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("my_applications")
    assert list(draft.items.values_list("name", flat=True)) == ["Torba"]

    response = client.post(url, {"name": "", "description": "", "save_later": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_applications")
    assert draft.items.count() == 1


@pytest.mark.parametrize("name", ["application_edit", "application_documents"])
def test_pages_saved_as_you_go_say_so(client, draft, name):
    page = client.get(reverse(name, args=[draft.pk])).content.decode()
    assert "Everything you have added is saved as you go." in page
    assert f'href="{reverse("my_applications")}">Save and come back later</a>' in page


def test_stale_submit_from_a_second_tab_says_already_submitted(client):
    user = factories.applicant()
    application = factories.draft_application(user=user)
    login(client, user)
    check_page = client.get(reverse("application_check", args=[application.pk]))
    assert check_page.status_code == 200  # the second tab shows "Submit"
    services.submit(application=application, user=user)  # the first tab submits

    response = client.post(reverse("application_submit", args=[application.pk]), follow=True)

    application.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    assert f"This application has already been submitted as {application.number}." in (
        response.content.decode()
    )
    assert [t.flow_task for t in open_tasks_of(application)] == [stages.flow.formal_review]


def test_corrections_answer_saved_for_later_comes_back_then_is_sent(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    login(client, c.applicant)
    url = reverse("corrections", args=[stages.open_task(application, stages.flow.corrections).pk])

    response = client.post(
        url, {"action": "save_answer", "answer-answer": "Odpis z KRS dołączymy jutro."}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("my_applications")
    assert "Your draft is saved." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTIONS
    page = client.get(url).content.decode()
    assert "Odpis z KRS dołączymy jutro.</textarea>" in page
    review = application.reviews.get()
    assert review.answered_at is None

    client.post(url, {"action": "send", "answer-answer": "Odpis z KRS dołączony."})
    review.refresh_from_db()
    assert review.answer == "Odpis z KRS dołączony." and review.answered_at is not None
