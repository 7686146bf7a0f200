"""One's notifications: the header's count, the /powiadomienia/ page (newest first, paginated,
unread marked, opening one or all marks them read, another's answers 404), the choice between
e-mails at once and a daily digest, and the digest itself (sent once)."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.domain import inbox, users
from certification.models import AuditEvent, Notification

from . import factories, stages
from .mail import in_language, run_jobs, sent_mail
from .web import main_part

pytestmark = pytest.mark.django_db

HEADER = 'class="notifications-link"'


def client_of(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def notify(user, n: int = 1, kind: str = "certificate_issued") -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user,
            kind=kind,
            params={"certificate": f"ZP/2026/{i:04d}", "date": ""},
            link=reverse("registry"),
        )
        for i in range(n)
    ]


def header_link(html: str) -> str:
    return html.split(HEADER, 1)[1].split("</a>", 1)[0]


def test_header_shows_the_unread_count_in_each_language():
    user = factories.applicant()
    notify(user, 3)
    Notification.objects.filter(pk=notify(user)[0].pk).update(read_at="2026-01-01T00:00Z")
    with CaptureQueriesContext(connection) as queries:
        response = client_of(user, "en").get(reverse("registry"))
    asked = [q["sql"] for q in queries.captured_queries if "certification_notification" in q["sql"]]
    assert len(asked) == 1 and "COUNT" in asked[0].upper()  # one query for the count
    english = header_link(response.content.decode())
    assert "Notifications (3)" in english and "unread" in english
    polish = header_link(client_of(user, "pl").get(reverse("registry")).content.decode())
    assert "Powiadomienia (3)" in polish and "nieprzeczytane" in polish


def test_anonymous_pages_show_no_count_ask_nothing_and_stay_cacheable():
    notify(factories.applicant(), 2)
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry"))
    assert HEADER not in response.content.decode()
    assert not any("certification_notification" in q["sql"] for q in queries.captured_queries)
    assert "private" not in response.get("Cache-Control", "")


def test_list_newest_first_unread_marked_and_paginated():
    user = factories.applicant()
    made = notify(user, 27)
    inbox.mark_read(user=user, notification_id=made[-1].pk)
    html = main_part(client_of(user).get(reverse("notifications")).content.decode())
    # Newest first: the last made leads the page (read, so not marked); 25 to a page.
    assert html.index("ZP/2026/0026") < html.index("ZP/2026/0025")
    assert "ZP/2026/0001" not in html and "ZP/2026/0000" not in html
    assert html.count("notification-unread") == 24
    assert html.count(">Unread<") == 24
    second = main_part(client_of(user).get(reverse("notifications") + "?page=2").content.decode())
    assert "ZP/2026/0001" in second and "ZP/2026/0000" in second


def test_opening_marks_read_and_another_persons_answers_404():
    owner, other = factories.applicant(), factories.applicant()
    [notification] = notify(owner)
    url = reverse("notification_open", args=[notification.pk])
    assert client_of(other).get(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    response = client_of(owner).get(url)
    assert response.status_code == 302 and response["Location"] == reverse("registry")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_is_a_post_and_touches_only_ones_own():
    owner, other = factories.applicant(), factories.applicant()
    notify(owner, 3)
    notify(other, 2)
    client = client_of(owner)
    assert client.get(reverse("notifications_mark_all_read")).status_code == 405
    response = client.post(reverse("notifications_mark_all_read"), follow=True)
    assert "All notifications are marked as read." in response.content.decode()
    assert "Notifications (0)" in header_link(response.content.decode())
    assert inbox.unread_count(owner) == 0
    assert inbox.unread_count(other) == 2


def test_mark_all_read_needs_the_csrf_token():
    user = factories.applicant()
    notify(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("notifications_mark_all_read")).status_code == 403
    assert inbox.unread_count(user) == 1


def test_page_queries_do_not_grow_with_the_notifications():
    user = factories.applicant()
    notify(user, 2)
    client = client_of(user)
    client.get(reverse("notifications"))  # warm: session, site caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications"))
    notify(user, 40, kind="certificate_revoked")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications"))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_choosing_the_daily_digest_is_saved_and_audited():
    user = factories.applicant()
    client = client_of(user)
    response = client.post(reverse("notification_mode"), {"mode": "digest"}, follow=True)
    assert "Your choice of e-mails is saved." in response.content.decode()
    user.refresh_from_db()
    assert user.notification_mode == "digest"
    event = AuditEvent.objects.get(action="account.notification_mode")
    assert (event.from_state, event.to_state, event.actor) == ("immediate", "digest", user)


@pytest.mark.parametrize("posted", [{}, {"mode": "weekly"}])
def test_a_bad_choice_is_named_and_nothing_saved(posted):
    user = factories.applicant()
    response = client_of(user, "pl").post(reverse("notification_mode"), posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert in_language("pl", "Choose how you want to be e-mailed.") in html
    user.refresh_from_db()
    assert user.notification_mode == "immediate"


def digest_of(user) -> list:
    return [m for m in sent_mail() if m.to == [user.email] and "Zakup Prospołeczny:" in m.subject]


def test_digest_instead_of_immediate_mail_for_what_is_not_urgent(
    django_capture_on_commit_callbacks,
):
    c = stages.cast()
    digest_member = factories.applicant(organization=c.applicant.organizations.get())
    users.set_language(user=digest_member, language="en")
    inbox.set_mode(user=digest_member, mode="digest")
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.submitted(c)  # not urgent
    run_jobs()
    to_everyone = [a for m in sent_mail() for a in m.to + m.bcc]
    assert c.applicant.email in to_everyone  # immediate, as chosen by default
    assert "biuro@example.pl" in to_everyone  # the contact address (no account): at once
    assert digest_member.email not in to_everyone
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        stages.driver.return_for_corrections(
            c, application, [(application.documents.first(), "Brak podpisu.")]
        )  # urgent: at once, whatever was chosen
    run_jobs()
    assert digest_member.email in [a for m in sent_mail() for a in m.to + m.bcc]
    sent_mail().clear()

    out = io.StringIO()
    call_command("reminders_daily", stdout=out)
    assert "1 digest(s)" in out.getvalue()
    [digest] = digest_of(digest_member)
    assert digest.subject == "Zakup Prospołeczny: 1 new notification"  # in English, as chosen
    assert f"Application {application.number} was submitted." in digest.body
    assert "returned for corrections" not in digest.body  # e-mailed at once already
    assert settings.SITE_URL + reverse("application_detail", args=[application.pk]) in digest.body
    assert digest_of(c.applicant) == []  # immediate: no digest

    sent_mail().clear()
    call_command("reminders_daily", stdout=io.StringIO())
    assert digest_of(digest_member) == []  # never twice


def test_digest_in_polish():
    user = factories.applicant()
    inbox.set_mode(user=user, mode="digest")
    Notification.objects.create(
        recipient=user,
        kind="certificate_issued",
        params={"certificate": "ZP/2026/0007"},
        in_digest=True,
    )
    call_command("reminders_daily", stdout=io.StringIO())
    [digest] = digest_of(user)
    assert digest.subject == "Zakup Prospołeczny: 1 nowe powiadomienie"
    assert (
        in_language("pl", "Certificate %(certificate)s was issued.", certificate="ZP/2026/0007")
        in digest.body
    )
