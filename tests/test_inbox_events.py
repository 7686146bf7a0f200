"""Every event that e-mails a person leaves them a notification in the service: the sentence in
the language they read the page in (Polish and English), and a link to a page they may open.

Each scenario drives the real flow (tests/stages.py) or the daily reminders, then reads the
recipient's /powiadomienia/ page in both languages and follows the notification's link.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.domain import deadlines, lifecycle, organization_changes, reminders, sessions
from certification.domain.certificates import number_to_slug
from certification.models import Notification
from workflows import services

from . import factories, stages
from .mail import day_in, in_language

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page_of(user, language: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    return response.content.decode()


def assert_told(user, kind: str, msgid: str, link: str, **params) -> None:
    """The user's newest notification of `kind` reads `msgid` in each language (a `date`
    param written as the e-mails write days) and its link leads, for them, to `link`."""
    notification = Notification.objects.filter(recipient=user, kind=kind).latest("pk")
    for language in ("pl", "en"):
        values = dict(params)
        if "date" in values:
            values["date"] = day_in(language, values["date"])
        text = in_language(language, msgid, **values)
        assert text in page_of(user, language), (language, text)
    client = Client()
    client.force_login(user)
    opened = client.get(reverse("notification_open", args=[notification.pk]))
    assert opened.status_code == 302 and opened["Location"] == link
    assert client.get(link).status_code == 200  # a page this recipient may open
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.fixture
def c():
    return stages.cast()


def test_submitted(c):
    application = stages.submitted(c)
    assert_told(
        c.applicant,
        "application_submitted",
        "Application %(number)s was submitted.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )


def test_returned_for_corrections_with_deadline(c):
    application = stages.in_corrections(c)
    application.refresh_from_db()
    assert_told(
        c.applicant,
        "returned_for_corrections",
        "Application %(number)s was returned for corrections; the deadline is %(date)s.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
        date=application.corrections_deadline,
    )


def test_corrections_received_tells_applicant_and_officer(c):
    application = stages.in_corrections(c)
    services.answer_corrections(
        task_pk=stages.open_task(application, stages.flow.corrections).pk,
        user=c.applicant,
        answer="OK",
    )
    assert_told(
        c.applicant,
        "corrections_received",
        "The corrections to application %(number)s were received.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )
    assert_told(
        c.officer,
        "corrections_received_staff",
        "Corrections to application %(number)s (%(organization)s) arrived: check them.",
        reverse("staff_application", args=[application.pk]),
        number=application.number,
        organization=application.organization.name,
    )


def test_accepted_and_jurors_assigned(c):
    application = stages.scoring(c)
    assert_told(
        c.applicant,
        "formally_accepted",
        "Application %(number)s passed the formal review and goes to the jury.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )
    assignment = application.assignments.get(juror=c.jurors[0])
    assert_told(
        c.jurors[0],
        "jurors_assigned",
        "You were assigned to score application %(number)s by %(date)s.",
        reverse("staff_inbox"),  # the file opens to a juror once impartial: the task list does
        number=application.number,
        date=reminders.scoring_due(assignment),
    )


def test_scoring_overdue_and_decision_target(c):
    application = stages.scoring(c)
    later = TODAY + datetime.timedelta(days=120)
    reminders.remind_overdue_scoring(today=later)
    reminders.flag_decision_targets(today=later)
    assignment = application.assignments.get(juror=c.jurors[1])
    assert_told(
        c.jurors[1],
        "scoring_overdue",
        "Your scorecard for application %(number)s was due on %(date)s.",
        reverse("staff_inbox"),
        number=application.number,
        date=reminders.scoring_due(assignment),
    )
    assert_told(
        c.officer,
        "decision_target_passed",
        "Application %(number)s (%(organization)s) has passed its decision target.",
        reverse("staff_application", args=[application.pk]),
        number=application.number,
        organization=application.organization.name,
    )


def test_formally_rejected(c):
    application = stages.formally_rejected(c)
    assert_told(
        c.applicant,
        "formally_rejected",
        "Application %(number)s was rejected on formal grounds: read the decision letter.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )


def test_reconsideration_filed_and_decided(c):
    application = stages.formally_rejected(c)
    stages.request_reconsideration(c, application)
    assert_told(
        c.applicant,
        "reconsideration_filed",
        "The request for reconsideration of application %(number)s was filed.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )
    assert_told(
        c.officer,
        "reconsideration_filed_staff",
        "A request for reconsideration of application %(number)s (%(organization)s) was filed.",
        reverse("staff_application", args=[application.pk]),
        number=application.number,
        organization=application.organization.name,
    )
    stages.decide_rejection(c, application, uphold=False)
    assert_told(
        c.applicant,
        "reconsideration_decided",
        "The request for reconsideration of application %(number)s was decided.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )


def test_jury_decision_and_certificate_issued(c):
    certificate = stages.certified(c)
    application = certificate.application
    assert_told(
        c.applicant,
        "jury_decision",
        "The jury decided on application %(number)s: read the decision letter.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
    )
    assert_told(
        c.applicant,
        "certificate_issued",
        "Certificate %(certificate)s was issued.",
        reverse("certificate_detail", args=[number_to_slug(certificate.number)]),
        certificate=certificate.number,
    )


def test_suspended_reinstated_revoked(c):
    certificate = stages.certified(c)
    page = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    until = TODAY + datetime.timedelta(days=30)
    lifecycle.suspend_certificate(
        certificate=certificate, user=c.officer, reason="Brak.", correction_until=until
    )
    assert_told(
        c.applicant,
        "certificate_suspended",
        "Certificate %(certificate)s was suspended; correct the irregularities by %(date)s.",
        page,
        certificate=certificate.number,
        date=until,
    )
    lifecycle.reinstate_certificate(certificate=certificate, user=c.officer)
    assert_told(
        c.applicant,
        "certificate_reinstated",
        "Certificate %(certificate)s is valid again.",
        page,
        certificate=certificate.number,
    )
    lifecycle.revoke_certificate(certificate=certificate, user=c.officer, reason="Nadużycie.")
    assert_told(
        c.applicant,
        "certificate_revoked",
        "Certificate %(certificate)s was revoked.",
        page,
        certificate=certificate.number,
    )


def test_expired_and_renewal_reminder():
    member = factories.applicant()
    certificate = factories.certificate(
        organization=member.organizations.get(), valid_until=TODAY + datetime.timedelta(days=7)
    )
    page = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    call_command("certificates_daily", today=TODAY, stdout=io.StringIO())
    assert_told(
        member,
        "renewal_reminder",
        "Certificate %(certificate)s expires on %(date)s: apply to renew it.",
        page,
        certificate=certificate.number,
        date=certificate.valid_until,
    )
    lifecycle.expire_certificate(
        certificate=certificate, today=certificate.valid_until + datetime.timedelta(days=1)
    )
    assert_told(
        member,
        "certificate_expired",
        "Certificate %(certificate)s expired.",
        page,
        certificate=certificate.number,
    )


def test_corrections_deadline_extended(c):
    application = stages.in_corrections(c)
    application.refresh_from_db()
    later = application.corrections_deadline + datetime.timedelta(days=7)
    deadlines.extend_corrections_deadline(
        application=application, officer=c.officer, new_deadline=later, reason="Urlop."
    )
    assert_told(
        c.applicant,
        "corrections_deadline_extended",
        "ROPS extended the deadline for the corrections to application %(number)s to %(date)s.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
        date=later,
    )


def test_corrections_deadline_near(c):
    application = stages.in_corrections(c)
    application.refresh_from_db()
    reminders.warn_corrections_deadlines(today=application.corrections_deadline)
    assert_told(
        c.applicant,
        "corrections_deadline_near",
        "The deadline for the corrections to application %(number)s is %(date)s.",
        reverse("application_detail", args=[application.pk]),
        number=application.number,
        date=application.corrections_deadline,
    )


def test_session_agenda_and_session_due(c):
    application = stages.awaiting_decision(c)
    session = stages.schedule(c, starts_at=timezone.now() + datetime.timedelta(days=1))
    sessions.add_to_agenda(officer=c.officer, session=session, application=application)
    sessions.send_agenda(officer=c.officer, session=session)
    day = timezone.localdate(session.starts_at)
    assert_told(
        c.jurors[2],
        "session_agenda_sent",
        "The agenda of jury session %(session)s on %(date)s was sent.",
        reverse("my_sessions"),
        session=session.number,
        date=day,
    )
    reminders.remind_chairs_of_sessions(today=TODAY)
    assert_told(
        c.chair,
        "session_due",
        "Jury session %(session)s on %(date)s has applications still to decide.",
        reverse("staff_session", args=[session.pk]),
        session=session.number,
        date=day,
    )


def test_change_of_details_decided():
    member = factories.applicant()
    organization = member.organizations.get()
    factories.certificate(organization=organization)  # certified: its identity is locked
    request = organization_changes.file_request(
        organization=organization, user=member, name=organization.name + " (nowa)"
    )
    organization_changes.refuse_request(
        change_request=request, officer=factories.officer(), reason="Brak odpisu."
    )
    assert_told(
        member,
        "organization_change_decided",
        "Your request to change the details of %(organization)s was decided.",
        reverse("organization_edit", args=[organization.pk]),
        organization=organization.name,
    )


def test_items_added_after_reconsideration(c):
    certificate = stages.partly_certified(c)
    application = certificate.application
    stages.request_reconsideration(c, application)
    stages.decide_reconsideration(c, application)
    assert_told(
        c.applicant,
        "certificate_items_added",
        "Certificate %(certificate)s now covers more products or services.",
        reverse("certificate_detail", args=[number_to_slug(certificate.number)]),
        certificate=certificate.number,
    )


def test_every_e_mailed_event_has_its_sentence():
    """A new e-mailed event must say what its notification reads (or be the invitation, whose
    link holds a secret and whose addressee may have no account, or a buyer's subscription to
    the registry, made with no account)."""
    from certification import dispatch, events
    from certification.domain.inbox_kinds import TEXTS

    no_account = {events.MEMBER_INVITED, events.WATCH_REQUESTED}
    e_mailed = (dispatch.MAIL_EVENTS | dispatch.LETTER_EVENTS) - no_account
    assert sorted(e_mailed - set(TEXTS)) == []
