"""Staff reading an application file and exporting the reports leave a trace in the audit log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import AuditEvent

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


def viewed(app) -> list[int]:
    return list(
        AuditEvent.objects.filter(action="application.file_viewed", application=app).values_list(
            "actor_id", flat=True
        )
    )


def test_opening_the_file_is_recorded_once_per_opening_not_per_document(client):
    c = stages.cast()
    app = stages.submitted(c)
    login(client, c.officer)

    assert client.get(reverse("staff_application", args=[app.pk])).status_code == 200
    document = app.documents.get(original_name="statute.pdf")
    client.get(reverse("document_download", args=[document.pk]))

    assert viewed(app) == [c.officer.pk]


def test_the_applicant_does_not_see_staff_reading_the_file_but_staff_do(client):
    c = stages.cast()
    app = stages.submitted(c)
    login(client, c.officer).get(reverse("staff_application", args=[app.pk]))
    staff_page = client.get(reverse("staff_application", args=[app.pk])).content.decode()

    applicant_page = (
        login(client, c.applicant).get(reverse("application_detail", args=[app.pk])).content
    ).decode()

    assert "Application file opened" in staff_page
    assert "Application submitted" in applicant_page
    assert "file_viewed" not in applicant_page and "file opened" not in applicant_page


def test_a_file_refused_to_a_stranger_records_no_viewing(client):
    c = stages.cast()
    app = stages.submitted(c)
    login(client, factories.juror())

    assert client.get(reverse("staff_application", args=[app.pk])).status_code == 404
    assert viewed(app) == []


def test_reports_export_is_recorded_with_its_year(client):
    officer = factories.officer()
    login(client, officer)
    year = timezone.localdate().year

    assert client.get(reverse("staff_reports_csv")).status_code == 200
    assert client.get(reverse("staff_reports_csv"), {"rok": "abc"}).status_code == 400

    [event] = AuditEvent.objects.filter(action="reports.exported")
    assert event.actor == officer
    assert event.details == {"year": year}
    assert event.message == f"raport-zakup-prospoleczny-{year}.csv"
