"""A real double click on "Submit": two requests at the same moment, on PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from certification.choices import ApplicationStatus
from workflows.models import CertificationProcess

from . import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def post_together(clients: list[Client], url: str) -> list:
    """POST from every client at the same moment (one thread and connection each)."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def click(n: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            responses[n] = clients[n].post(url)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def test_double_click_submit_at_once_gives_one_submission_and_no_error_page():
    for _round in range(3):
        user = factories.applicant()
        application = factories.draft_application(user=user)
        clients = [Client(), Client()]
        for client in clients:
            client.force_login(user)

        responses = post_together(clients, reverse("application_submit", args=[application.pk]))

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
