"""The staff task lists show due dates, overdue first and said so in words (issue 11 §2): a
juror's scorecard due date, the decision target, a corrections deadline, and the end of a
suspension's correction period, after which the officer has a task: reinstate or revoke."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import CertificateTransition
from certification.domain import lifecycle
from certification.domain.certificates import number_to_slug
from certification.models import JurorAssignment, Membership, SchemeRules
from workflows.task_list import task_rows

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db

INBOX = reverse("staff_inbox")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def rows(client) -> list[tuple[bool, str]]:
    """(marked overdue, the row's text) for each row of the task list, in order."""
    html = main_part(client.get(INBOX).text)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        (bool(cls), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells)).strip())
        for cls, cells in re.findall(r"<tr( class=\"overdue\")?>(.*?)</tr>", body, re.S)
    ]


def ended_suspension(officer, *, ended: datetime.date, organization=None):
    """A certificate suspended a month ago whose correction period ended on `ended`."""
    certificate = factories.certificate(
        organization=organization, issued_on=TODAY - 60 * DAY, status="suspended"
    )
    lifecycle.record_change(
        certificate=certificate,
        transition=CertificateTransition.SUSPEND,
        actor=officer,
        effective=timezone.now() - 30 * DAY,
        reason="Brak sprawozdania.",
        correction_until=ended,
    )
    return certificate


def certificate_url(certificate) -> str:
    return reverse("staff_certificate", args=[number_to_slug(certificate.number)])


def test_the_assignment_keeps_its_due_date_when_the_rules_change():
    c = stages.cast()
    application = stages.scoring(c)
    days = SchemeRules.current().scoring_days
    assignments = JurorAssignment.objects.filter(application=application)
    assert {a.due_on for a in assignments} == {TODAY + datetime.timedelta(days=days)}

    SchemeRules.objects.filter(pk=1).update(scoring_days=days + 10)

    (row,) = [r for r in task_rows(c.jurors[0]) if r.number == application.number]
    assert row.due == TODAY + datetime.timedelta(days=days)


def test_juror_sees_scorecard_due_dates_overdue_first(client):
    c = stages.cast()
    later = stages.scoring(c)
    c.applicant = factories.applicant()
    late = stages.scoring(c)
    JurorAssignment.objects.filter(application=late).update(due_on=TODAY - 2 * DAY)
    login(client, c.jurors[0])

    (first, second) = rows(client)

    assert first[0] and late.number in first[1]
    assert first[1].startswith("Scoring Overdue " + (TODAY - 2 * DAY).strftime("%d.%m.%Y"))
    assert "scorecard due" in first[1]
    due = JurorAssignment.objects.get(application=later, juror=c.jurors[0]).due_on
    assert not second[0] and later.number in second[1] and "Overdue" not in second[1]
    assert due.strftime("%d.%m.%Y") in second[1]


def test_officer_list_orders_overdue_then_due_date_then_undated(client):
    c = stages.cast()
    review = stages.submitted(c)  # formal review: no due date
    c.applicant = factories.applicant()
    jury = stages.awaiting_jury(c)  # the decision target, weeks ahead
    suspended = ended_suspension(c.officer, ended=TODAY - DAY)
    today = ended_suspension(c.officer, ended=TODAY)
    login(client, c.officer)

    listed = rows(client)

    assert [r[0] for r in listed] == [True, False, False, False]
    assert suspended.number in listed[0][1] and "Overdue" in listed[0][1]
    assert today.number in listed[1][1] and "Due today" in listed[1][1]
    target = TODAY + datetime.timedelta(days=SchemeRules.current().decision_target_days)
    assert jury.number in listed[2][1] and target.strftime("%d.%m.%Y") in listed[2][1]
    assert "decision target" in listed[2][1]
    assert review.number in listed[3][1] and "Formal review —" in listed[3][1]


def test_officer_sees_corrections_awaited_with_the_deadline_and_the_extension(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    application.refresh_from_db()
    login(client, c.officer)

    (row,) = rows(client)
    page = client.get(INBOX).text

    assert "Corrections awaited from the applicant" in row[1]
    assert application.corrections_deadline.strftime("%d.%m.%Y") in row[1]
    assert reverse("staff_extend_deadline", args=[application.pk]) in page
    login(client, c.jurors[0])
    assert application.number not in client.get(INBOX).text


def test_suspension_task_appears_when_the_correction_period_ends():
    c = stages.cast()
    certificate = factories.certificate(issued_on=TODAY - 60 * DAY)
    until = TODAY + 3 * DAY
    lifecycle.suspend_certificate(
        certificate=certificate, user=c.officer, reason="Brak sprawozdania.", correction_until=until
    )

    assert task_rows(c.officer, today=until - DAY) == []
    (row,) = task_rows(c.officer, today=until)
    assert row.number == certificate.number and row.due == until and not row.overdue
    (row,) = task_rows(c.officer, today=until + DAY)
    assert row.overdue
    assert task_rows(c.jurors[0], today=until + DAY) == []


@pytest.mark.parametrize("action", ["reinstate", "revoke"])
def test_suspension_task_links_to_both_actions_and_goes_when_one_is_done(client, action):
    c = stages.cast()
    certificate = ended_suspension(c.officer, ended=TODAY - DAY)
    login(client, c.officer)
    page = client.get(INBOX).text
    url = certificate_url(certificate)
    assert "Suspension: reinstate or revoke" in page
    assert f'href="{url}#reinstate-title"' in page and f'href="{url}#revoke-title"' in page

    fields = {"reinstate-note": ""} if action == "reinstate" else {"revoke-reason": "Bez zmian."}
    response = client.post(url, {"action": action, **fields})

    assert response.status_code == 302
    page = main_part(client.get(INBOX).text)
    assert "Suspension: reinstate or revoke" not in page
    assert "You have no open tasks." in page


def test_a_member_of_the_organisation_does_not_get_its_suspension_task():
    c = stages.cast()
    organization = factories.OrganizationFactory()
    officer = factories.officer()
    factories.applicant(organization=organization)
    Membership.objects.create(user=officer, organization=organization)
    ended_suspension(c.officer, ended=TODAY - DAY, organization=organization)

    assert task_rows(officer) == []
    assert len(task_rows(c.officer)) == 1


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INBOX).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(client):
    c = stages.cast()
    stages.scoring(c)
    stages.in_corrections(c)
    ended_suspension(c.officer, ended=TODAY)
    login(client, c.officer)
    officer_one = _queries(client)
    login(client, c.jurors[0])
    juror_one = _queries(client)
    for _ in range(3):
        c.applicant = factories.applicant()
        stages.scoring(c)
        c.applicant = factories.applicant()
        stages.in_corrections(c)
        stages.awaiting_jury(c)
        ended_suspension(c.officer, ended=TODAY - DAY)

    login(client, c.officer)
    assert len(rows(client)) == 2 + 3 * 3
    assert _queries(client) == officer_one
    login(client, c.jurors[0])
    assert len(rows(client)) == 4
    assert _queries(client) == juror_one


def test_the_migration_gives_earlier_assignments_their_due_date():
    migration = importlib.import_module("certification.migrations.0027_deadlines_assignment_due")
    c = stages.cast()
    application = stages.scoring(c)
    assignments = JurorAssignment.objects.filter(application=application)
    assignments.update(due_on=None)  # as they stood before the migration
    days = SchemeRules.current().scoring_days

    migration.fill_due_dates(apps, None)

    expected = {
        timezone.localdate(a.assigned_at) + datetime.timedelta(days=days) for a in assignments
    }
    assert {a.due_on for a in JurorAssignment.objects.filter(application=application)} == expected
