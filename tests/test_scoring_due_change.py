"""The officer changes the day a juror's scorecard is due (issue 11 §2): shown on the file and in
the juror's task list, audited; bad input says what is wrong and saves nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import AuditEvent, JurorAssignment

from . import stages
from .web import login, main_part

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def scoring():
    c = stages.cast()
    application = stages.scoring(c)
    assignment = JurorAssignment.objects.get(application=application, juror=c.jurors[0])
    return c, application, assignment


def url(assignment) -> str:
    return reverse("staff_scoring_due", args=[assignment.application_id, assignment.pk])


def test_officer_changes_the_due_date_and_the_juror_sees_it(client, scoring):
    c, application, assignment = scoring
    new = assignment.due_on + 7 * DAY
    login(client, c.officer)
    file_page = main_part(client.get(reverse("staff_application", args=[application.pk])).text)
    assert f'href="{url(assignment)}"' in file_page
    assert assignment.due_on.strftime("%d.%m.%Y") in file_page

    response = client.post(
        url(assignment), {"due_on": new.strftime("%d.%m.%Y"), "reason": "Urlop jurora."}
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_on == new
    event = AuditEvent.objects.get(action="jury.due_changed")
    assert event.actor == c.officer and event.application == application
    assert event.message == "Urlop jurora."
    assert event.details["due"] == new.isoformat()
    assert event.details["juror"] == c.jurors[0].username
    history = client.get(reverse("staff_application", args=[application.pk])).text
    assert "A juror&#x27;s scorecard due date changed" in history
    login(client, c.jurors[0])
    assert new.strftime("%d.%m.%Y") in main_part(client.get(reverse("staff_inbox")).text)


@pytest.mark.parametrize(
    ("due_on", "reason", "message"),
    [
        ("+7", "", "Give the reason for the change."),
        ("0", "Powód", "The new due date must be after today."),
        ("same", "Powód", "The scorecard is already due on that day."),
        ("", "Powód", "Give the new due date."),
        ("1.13.2027", "Powód", "Enter the new due date as a date, e.g. 31.03.2027."),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client, scoring, due_on, reason, message):
    c, _application, assignment = scoring
    old = assignment.due_on
    value = {"+7": old + 7 * DAY, "0": TODAY, "same": old}.get(due_on, due_on)
    if isinstance(value, datetime.date):
        value = value.strftime("%d.%m.%Y")
    login(client, c.officer)

    response = client.post(url(assignment), {"due_on": value, "reason": reason})

    assert response.status_code == 200
    page = main_part(response.text)
    assert "There is a problem" in page and message in page
    assert JurorAssignment.objects.get(pk=assignment.pk).due_on == old
    assert not AuditEvent.objects.filter(action="jury.due_changed").exists()


def test_not_for_jurors_and_not_once_scored(client, scoring):
    c, application, assignment = scoring
    login(client, c.jurors[0])
    assert client.get(url(assignment)).status_code == 404
    login(client, c.chair)
    assert client.get(url(assignment)).status_code == 404

    stages.score_as(application, c.jurors[0])
    login(client, c.officer)
    response = client.get(url(assignment))
    assert response.status_code == 302
    file_page = client.get(reverse("staff_application", args=[application.pk])).text
    assert f'href="{url(assignment)}"' not in file_page
