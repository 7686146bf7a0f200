"""A real double click on "Submit": two requests at the same moment, on PostgreSQL's row locks."""

from django.urls import reverse

from certification.choices import ApplicationStatus
from workflows.models import CertificationProcess

from . import factories, postgres

pytestmark = postgres.MARKS


def test_double_click_submit_at_once_gives_one_submission_and_no_error_page():
    for _round in range(3):
        user = factories.applicant()
        application = factories.draft_application(user=user)
        clients = postgres.logged_in_clients(user)

        responses = postgres.post_together(
            clients, reverse("application_submit", args=[application.pk])
        )

        assert [r.status_code for r in responses] == [302, 302]
        assert sorted(r["Location"] for r in responses) == sorted(
            [
                reverse("application_submitted", args=[application.pk]),
                reverse("application_detail", args=[application.pk]),
            ]
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED
        assert CertificationProcess.objects.filter(application=application).count() == 1
