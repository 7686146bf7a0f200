"""The officer extends a corrections deadline with a reason (issue 11 §2): audited, the
applicant e-mailed the new date, the warning before the deadline follows it; bad input saves
nothing and says what is wrong."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.domain import users
from certification.models import Application, AuditEvent

from . import stages
from .mail import day_in, in_language, run_jobs, sent_mail
from .web import login, main_part

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MSGID = "Application %(number)s: more time for the corrections, until %(date)s"


@pytest.fixture
def in_corrections(django_capture_on_commit_callbacks):
    c = stages.cast()
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.in_corrections(c)
    run_jobs()
    sent_mail().clear()
    application.refresh_from_db()
    return c, application


def url(application) -> str:
    return reverse("staff_extend_deadline", args=[application.pk])


def extend(client, application, deadline, reason="Wnioskodawca czeka na zaświadczenie."):
    value = deadline.strftime("%d.%m.%Y") if isinstance(deadline, datetime.date) else deadline
    return client.post(url(application), {"deadline": value, "reason": reason})


def test_officer_extends_the_deadline_audited_and_the_applicant_is_emailed(
    client, in_corrections, django_capture_on_commit_callbacks
):
    c, application = in_corrections
    users.set_language(user=c.applicant, language="en")
    old = application.corrections_deadline
    new = old + 10 * DAY
    login(client, c.officer)

    page = main_part(client.get(reverse("staff_application", args=[application.pk])).text)
    assert "Extend the corrections deadline" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = extend(client, application, new)

    assert response.status_code == 302
    assert response.url == reverse("staff_application", args=[application.pk])
    application.refresh_from_db()
    assert application.corrections_deadline == new
    event = AuditEvent.objects.get(action="review.deadline_extended")
    assert event.application == application and event.actor == c.officer
    assert event.message == "Wnioskodawca czeka na zaświadczenie."
    assert event.details == {"previous_deadline": old.isoformat(), "deadline": new.isoformat()}
    history = client.get(reverse("staff_application", args=[application.pk])).text
    assert "Corrections deadline extended" in history
    assert new.strftime("%d.%m.%Y") in history

    mails = sent_mail()
    assert len(mails) == 2  # the organisation's contact address in Polish, the member in English
    languages = {("en" if m.to == [c.applicant.email] else "pl"): m for m in mails}
    for language, message in languages.items():
        assert message.subject == in_language(
            language, MSGID, number=application.number, date=day_in(language, new)
        )
        assert "Wnioskodawca czeka na zaświadczenie." in message.body
        assert reverse("corrections_start", args=[application.pk]) in message.body
    assert "The new deadline is" in languages["en"].body
    assert "Nowy termin to" in languages["pl"].body


@pytest.mark.parametrize(
    ("deadline", "reason", "field", "message"),
    [
        ("+10", "", "reason", "Give the reason for the extension. The applicant is told it."),
        ("+10", "   ", "reason", "Give the reason for the extension. The applicant is told it."),
        ("-1", "Powód", "deadline", "The new deadline must be after today."),
        ("0", "Powód", "deadline", "The new deadline must be after today."),
        ("same", "Powód", "deadline", "The new deadline must be later than the current one"),
        ("earlier", "Powód", "deadline", "The new deadline must be later than the current one"),
        ("", "Powód", "deadline", "Give the new deadline."),
        ("31.02.2027", "Powód", "deadline", "Enter the new deadline as a date, e.g. 31.03.2027."),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    client, in_corrections, django_capture_on_commit_callbacks, deadline, reason, field, message
):
    c, application = in_corrections
    old = application.corrections_deadline
    today = timezone.localdate()
    value = {
        "+10": old + 10 * DAY,
        "-1": today - DAY,
        "0": today,
        "same": old,
        "earlier": old - DAY,
    }.get(deadline, deadline)
    login(client, c.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = extend(client, application, value, reason)

    assert response.status_code == 200
    page = main_part(response.text)
    assert "There is a problem" in page and message in page
    assert f'href="#id_{field}"' in page
    assert Application.objects.get(pk=application.pk).corrections_deadline == old
    assert not AuditEvent.objects.filter(action="review.deadline_extended").exists()
    assert sent_mail() == []


def test_polish_message_for_a_deadline_not_later_than_the_current(client, in_corrections):
    c, application = in_corrections
    login(client, c.officer)
    client.cookies["django_language"] = "pl"
    old = application.corrections_deadline

    page = main_part(extend(client, application, old).text)

    assert "Nowy termin musi być późniejszy niż obecny, " + old.strftime("%d.%m.%Y") in page


def test_only_officers_and_only_while_waiting_for_corrections(client, in_corrections):
    c, application = in_corrections
    new = application.corrections_deadline + 5 * DAY
    login(client, c.jurors[0])
    assert extend(client, application, new).status_code == 404
    login(client, c.applicant)
    assert extend(client, application, new).status_code == 404

    awaiting = stages.awaiting_jury(c)
    login(client, c.officer)
    response = client.get(url(awaiting))
    assert response.status_code == 302
    assert response.url == reverse("staff_application", args=[awaiting.pk])
    file_page = client.get(reverse("staff_application", args=[awaiting.pk])).text
    assert "Extend the corrections deadline" not in file_page


def daily(today: datetime.date) -> str:
    out = io.StringIO()
    call_command("applications_daily", today=today, stdout=out)
    return out.getvalue()


def test_the_warning_follows_the_extended_deadline(
    client, in_corrections, django_capture_on_commit_callbacks
):
    c, application = in_corrections
    old = application.corrections_deadline
    new = old + 14 * DAY
    login(client, c.officer)
    with django_capture_on_commit_callbacks(execute=True):
        extend(client, application, new)
    sent_mail().clear()

    # Three days before the old deadline: nothing, the deadline is no longer then.
    with django_capture_on_commit_callbacks(execute=True):
        output = daily(old - 3 * DAY)
    assert f"warned {application.number}" not in output
    assert sent_mail() == []
    # The old deadline passes: the application is not rejected.
    assert "0 rejected" in daily(old + DAY)
    # Three days before the new one: warned, of the new date.
    with django_capture_on_commit_callbacks(execute=True):
        output = daily(new - 3 * DAY)
    assert f"warned {application.number}" in output
    (message,) = sent_mail()
    assert message.subject == in_language(
        "pl",
        "Application %(number)s: the corrections are due by %(date)s",
        number=application.number,
        date=day_in("pl", new),
    )
