"""A product or service can be changed (name, kind, description, CPV codes) in a draft or
during corrections; each change is audited; after that it stays as sent."""

import html

import pytest
from django.urls import reverse

from certification.domain import item_changes
from certification.domain.errors import DomainError
from certification.models import AuditEvent

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db

CATERING = "55520000-1"
CLEANING = "39830000-9"


def form_data(item, **changes):
    data = {
        "name": item.name,
        "kind": item.kind,
        "description": item.description,
        "cpv": ", ".join(link.cpv.full_code for link in item.cpv_links.all()),
    }
    return {**data, **changes}


def test_draft_item_is_changed_from_the_products_page(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, items=1)
    item = application.items.get()
    login(client, user)
    url = reverse("application_item_edit", args=[application.pk, item.pk])
    listing = client.get(reverse("application_items", args=[application.pk])).content.decode()
    assert f'href="{url}"' in listing
    page = html.unescape(client.get(url).content.decode())
    assert f'value="{item.name}"' in page
    assert CATERING in page

    response = client.post(
        url,
        form_data(
            item, name="Sprzątanie biur", kind="service", description="Sprzątamy.", cpv=CLEANING
        ),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("application_items", args=[application.pk])
    item.refresh_from_db()
    assert (item.name, item.description) == ("Sprzątanie biur", "Sprzątamy.")
    assert [link.cpv.full_code for link in item.cpv_links.all()] == [CLEANING]
    changed = AuditEvent.objects.get(action="application.item_changed")
    assert changed.details["before"]["name"].startswith("Catering")
    assert changed.details["after"] == {"name": "Sprzątanie biur", "description": "Sprzątamy."}
    codes = AuditEvent.objects.filter(action="application.item_codes_set").last()
    assert codes.details["after"] == [CLEANING]


def test_unchanged_save_records_nothing(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, items=1)
    item = application.items.get()
    login(client, user)
    before = AuditEvent.objects.count()
    client.post(reverse("application_item_edit", args=[application.pk, item.pk]), form_data(item))
    assert AuditEvent.objects.count() == before


def test_blank_name_is_refused_and_nothing_saved(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, items=1)
    item = application.items.get()
    login(client, user)
    state = stages.db_state(application)

    response = client.post(
        reverse("application_item_edit", args=[application.pk, item.pk]), form_data(item, name="")
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert stages.db_state(application) == state
    assert application.items.get().name == item.name


def test_item_is_changed_during_corrections_from_the_corrections_page(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    item = application.items.first()
    task = stages.open_task(application, stages.flow.corrections)
    login(client, c.applicant)
    url = reverse("application_item_edit", args=[application.pk, item.pk])
    page = client.get(reverse("corrections", args=[task.pk])).content.decode()
    assert f'href="{url}"' in page

    response = client.post(url, form_data(item, description="Opis poprawiony."), follow=True)

    assert response.redirect_chain[-1][0] == reverse("corrections", args=[task.pk])
    item.refresh_from_db()
    assert item.description == "Opis poprawiony."
    assert AuditEvent.objects.filter(
        action="application.item_changed", application=application
    ).exists()


def test_submitted_item_cannot_be_changed(client):
    c = stages.cast()
    application = stages.submitted(c)
    item = application.items.first()
    login(client, c.applicant)

    response = client.post(
        reverse("application_item_edit", args=[application.pk, item.pk]),
        form_data(item, name="Inna nazwa"),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    assert "can be changed only in a draft or during corrections" in html.unescape(
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.name != "Inna nazwa"
    with pytest.raises(DomainError):
        item_changes.update_item(
            item=item, user=c.applicant, name="Inna", kind="service", description="x", codes=[]
        )


def test_another_organisation_gets_404(client):
    application = factories.draft_application(items=1)
    item = application.items.get()
    login(client, factories.applicant())
    url = reverse("application_item_edit", args=[application.pk, item.pk])
    assert client.get(url).status_code == 404
