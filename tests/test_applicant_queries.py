"""The "my applications" list costs the same number of queries however many applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.domain import applications
from workflows import services

from . import factories
from .web import login

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def queries_for_list(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("my_applications"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_my_applications_query_count_constant_from_1_to_5(client, django_assert_max_num_queries):
    user = factories.applicant()
    organization = user.organizations.get()
    login(client, user)
    applications.create_application(organization=organization, user=user)

    with django_assert_max_num_queries(MAX_QUERIES):
        one, page = queries_for_list(client)
    assert page.count("Application draft #") == 1

    submitted = factories.draft_application(user=user, items=1)
    services.submit(application=submitted, user=user)
    certificate = factories.certificate(organization=organization)
    applications.create_application(organization=organization, user=user)
    applications.create_application(organization=organization, user=user)

    with django_assert_max_num_queries(MAX_QUERIES):
        five, page = queries_for_list(client)
    assert page.count('<th scope="row">') == 5
    assert f"Certificate {certificate.number} has been issued." in page
    assert "ROPS is checking that the application is complete and eligible." in page
    assert five == one


def corrections_page_queries(client, defects: int) -> tuple[int, str]:
    from . import stages

    c = stages.cast()
    application = stages.submitted(c)
    documents = list(application.documents.order_by("pk")[:defects])
    services.formal_review(
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="corrections",
        defects=[
            (document, f"Brak podpisu na dokumencie {n}.") for n, document in enumerate(documents)
        ],
    )
    login(client, c.applicant)
    client.get(reverse("corrections_start", args=[application.pk]))  # takes the task
    url = reverse("corrections", args=[stages.open_task(application, stages.flow.corrections).pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_corrections_page_query_count_constant_from_1_to_3_defects(client):
    one, _ = corrections_page_queries(client, 1)
    three, page = corrections_page_queries(client, 3)

    assert page.count("Brak podpisu na dokumencie") == 3
    assert three == one
