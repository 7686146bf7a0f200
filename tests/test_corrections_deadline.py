"""A corrections deadline missed without corrections leads to formal rejection (DESIGN §3),
done by `manage.py applications_daily`."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from certification.models import Application, AuditEvent, FormalReview

from . import stages
from .mail import sent_mail
from .web import login

pytestmark = pytest.mark.django_db


def daily(today: datetime.date) -> str:
    out = io.StringIO()
    call_command("applications_daily", today=today, stdout=out)
    return out.getvalue()


@pytest.fixture
def in_corrections(django_capture_on_commit_callbacks):
    c = stages.cast()
    application = stages.in_corrections(c)
    application.refresh_from_db()
    return c, application


def test_deadline_day_itself_is_still_the_applicants(in_corrections):
    _, application = in_corrections

    assert "0 rejected" in daily(application.corrections_deadline)

    application.refresh_from_db()
    assert application.status == "corrections"
    assert stages.open_nodes(application) == [stages.flow.corrections]


def test_day_after_the_deadline_the_application_is_formally_rejected(
    in_corrections, django_capture_on_commit_callbacks
):
    c, application = in_corrections
    deadline = application.corrections_deadline
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = daily(deadline + datetime.timedelta(days=1))

    application.refresh_from_db()
    assert application.status == "rejected"
    assert f"rejected {application.number}" in output
    # The rejection may be contested like an officer's: the flow waits for that.
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]
    review = application.reviews.last()
    assert review.outcome == "reject" and review.officer is None and review.deadline == deadline
    event = AuditEvent.objects.filter(action="review.deadline_missed").get()
    assert event.actor is None and event.to_state == "rejected"
    [message] = sent_mail()
    assert c.applicant.email in message.recipients()
    assert "nie zostały przesłane w terminie" in message.body


def test_running_twice_rejects_once(in_corrections):
    _, application = in_corrections
    after = application.corrections_deadline + datetime.timedelta(days=1)

    daily(after)
    assert "0 rejected" in daily(after)

    assert FormalReview.objects.filter(application=application, outcome="reject").count() == 1
    assert AuditEvent.objects.filter(action="review.deadline_missed").count() == 1


def test_corrections_sent_in_time_are_not_rejected_later(in_corrections):
    c, application = in_corrections
    stages.services.answer_corrections(
        task_pk=stages.open_task(application, stages.flow.corrections).pk,
        user=c.applicant,
        answer="OK",
    )

    daily(timezone.localdate() + datetime.timedelta(days=60))

    application.refresh_from_db()
    assert application.status == "submitted"
    assert stages.open_nodes(application) == [stages.flow.formal_review]


def test_applicant_sees_the_rejection_and_why_on_the_application_page(client, in_corrections):
    c, application = in_corrections
    daily(application.corrections_deadline + datetime.timedelta(days=1))
    login(client, c.applicant)

    page = client.get(f"/wnioskodawca/wnioski/{application.pk}/").content.decode()

    assert "the corrections were not sent by the deadline" in page


def test_other_applications_are_untouched(in_corrections):
    c, application = in_corrections
    other = stages.submitted(c)

    daily(application.corrections_deadline + datetime.timedelta(days=1))

    assert Application.objects.get(pk=other.pk).status == "submitted"


def test_officer_sees_the_automatic_rejection_in_the_file(client, in_corrections):
    c, application = in_corrections
    daily(application.corrections_deadline + datetime.timedelta(days=1))
    login(client, c.officer)

    page = client.get(f"/obsluga/wnioski/{application.pk}/").content.decode()

    assert "none: rejected automatically" in page
    assert "The corrections were not sent by the deadline of" in page
