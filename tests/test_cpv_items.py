"""Each product or service carries CPV codes: the applicant chooses them in the draft (at least
one per item to submit), the officer confirms or corrects them at formal review, audited."""

import datetime

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.domain import renewal
from certification.models import AuditEvent, ItemCpvCode

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def codes_of(item) -> list[str]:
    return sorted(f"{link.cpv_id}-{link.cpv.check_digit}" for link in item.cpv_links.all())


@pytest.fixture
def draft(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, items=1)
    login(client, user)
    return application


# --- the applicant ---------------------------------------------------------------------------


def test_items_page_offers_the_codes_field_with_suggestions(client, draft):
    html = main_part(client.get(reverse("application_items", args=[draft.pk])).content.decode())

    assert "55520000-1" in html and "Catering services" in html  # the item's code, worded
    assert 'name="cpv"' in html
    assert 'data-cpv-autocomplete="/api/v1/cpv-codes"' in html
    assert reverse("application_item_codes", args=[draft.pk, draft.items.get().pk]) in html


def test_add_item_with_codes(client, draft):
    response = client.post(
        reverse("application_items", args=[draft.pk]),
        {
            "name": "Sprzątanie biur",
            "kind": "service",
            "description": "Sprzątamy biura i szkoły.",
            "cpv": "90911200-8, 90919000-2",
        },
    )

    assert response.status_code == 302
    item = draft.items.get(name="Sprzątanie biur")
    assert codes_of(item) == ["90911200-8", "90919000-2"]
    event = AuditEvent.objects.get(action="application.item_codes_set", details__item=item.pk)
    assert event.details["after"] == ["90911200-8", "90919000-2"]


def test_add_item_with_a_wrong_code_saves_nothing(client, draft):
    response = client.post(
        reverse("application_items", args=[draft.pk]),
        {"name": "Sprzątanie", "kind": "service", "description": "Opis.", "cpv": "90911200-1"},
    )

    html = main_part(response.content.decode())
    assert response.status_code == 200
    assert 'href="#id_cpv"' in html  # the error summary links to the field
    assert "Wrong check digit (the digit after the dash): 90911200-1." in html
    assert not draft.items.filter(name="Sprzątanie").exists()


def test_codes_page_without_javascript_search_and_tick(client, draft):
    item = draft.items.get()
    url = reverse("application_item_codes", args=[draft.pk, item.pk])

    page = main_part(client.get(url, {"szukaj": "sprzątanie"}).content.decode())
    assert 'type="checkbox" name="picked" value="90910000"' in page
    assert "90910000-9 Cleaning services" in page

    response = client.post(
        url, {"szukaj": "sprzątanie", "codes": "55520000-1", "picked": ["90910000"]}
    )
    assert response.status_code == 302
    assert codes_of(item) == ["55520000-1", "90910000-9"]


def test_codes_page_refuses_unknown_codes_and_keeps_the_old_ones(client, draft):
    item = draft.items.get()
    url = reverse("application_item_codes", args=[draft.pk, item.pk])

    response = client.post(url, {"codes": "12345678, catering"})

    html = main_part(response.content.decode())
    assert "Not CPV codes: catering." in html
    assert "Not in the CPV 2008 vocabulary: 12345678." in html
    assert codes_of(item) == ["55520000-1"]


def test_codes_page_needs_at_least_one_code(client, draft):
    item = draft.items.get()
    url = reverse("application_item_codes", args=[draft.pk, item.pk])

    html = main_part(client.post(url, {"codes": ""}).content.decode())

    assert "Give at least one CPV code." in html
    assert codes_of(item) == ["55520000-1"]


def test_codes_page_of_another_organisation_is_404(client, draft):
    other = factories.draft_application(items=1)
    url = reverse("application_item_codes", args=[other.pk, other.items.get().pk])

    assert client.get(url).status_code == 404


def test_an_item_without_codes_stops_submission(client, draft):
    item = draft.items.get()
    item.cpv_links.all().delete()

    response = client.post(reverse("application_submit", args=[draft.pk]), follow=True)

    assert f"Give at least one CPV code for “{item.name}”." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


# --- the officer -----------------------------------------------------------------------------


@pytest.fixture
def review(client):
    c = stages.cast()
    application = stages.submitted(c)
    login(client, c.officer)
    task = stages.open_task(application, stages.flow.formal_review)
    return c, application, reverse("staff_task", args=[task.pk])


def test_formal_review_page_shows_each_items_codes_to_confirm(client, review):
    _, application, url = review
    item = application.items.first()

    html = main_part(client.get(url).content.decode())

    assert 'id="cpv-codes"' in html
    assert f'name="cpv-{item.pk}-codes" value="55520000-1"' in html
    assert f'name="confirm_cpv" value="{item.pk}"' in html


def test_officer_corrects_the_codes_audited_with_before_and_after(client, review):
    c, application, url = review
    item = application.items.first()

    response = client.post(
        url, {"confirm_cpv": item.pk, f"cpv-{item.pk}-codes": "55521200-0, 90910000"}
    )

    assert response.status_code == 302 and response.url == f"{url}#cpv-codes"
    assert codes_of(item) == ["55521200-0", "90910000-9"]
    assert all(link.confirmed_by == c.officer for link in item.cpv_links.all())
    event = AuditEvent.objects.get(action="application.item_codes_confirmed")
    assert (event.actor, event.application) == (c.officer, application)
    assert event.details["before"] == ["55520000-1"]
    assert event.details["after"] == ["55521200-0", "90910000-9"]
    # The review itself is still to do.
    assert stages.open_task(application, stages.flow.formal_review)


def test_officer_wrong_code_is_shown_beside_the_field_and_changes_nothing(client, review):
    _, application, url = review
    item = application.items.first()

    response = client.post(url, {"confirm_cpv": item.pk, f"cpv-{item.pk}-codes": "55520000-9"})

    html = main_part(response.content.decode())
    assert f'href="#id_cpv-{item.pk}-codes"' in html
    assert "Wrong check digit (the digit after the dash): 55520000-9." in html
    assert codes_of(item) == ["55520000-1"]
    assert not ItemCpvCode.objects.filter(confirmed_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="application.item_codes_confirmed").exists()


def test_accepting_the_file_confirms_the_codes_as_they_stand(client, review):
    c, application, url = review

    client.post(url, {"outcome": "accept"})

    links = ItemCpvCode.objects.filter(item__application=application)
    assert links.count() == 2
    assert all(link.confirmed_by == c.officer for link in links)
    assert AuditEvent.objects.filter(
        action="application.item_codes_confirmed", application=application
    ).exists()


def test_applicant_sees_the_confirmation_in_the_history(client, review):
    c, application, url = review
    item = application.items.first()
    client.post(url, {"confirm_cpv": item.pk, f"cpv-{item.pk}-codes": "55521200-0"})

    login(client, c.applicant)
    html = client.get(reverse("application_detail", args=[application.pk])).content.decode()

    assert "CPV codes confirmed by ROPS" in html
    assert "confirmed by ROPS" in html


def test_a_renewal_draft_keeps_the_codes_to_be_confirmed_again():
    today = datetime.date.today()
    certificate = factories.certificate(
        items=("Obiady", "Sprzątanie"),
        cpv_codes=("55521200-0", "90910000-9"),
        issued_on=today - datetime.timedelta(days=334),
        valid_until=today + datetime.timedelta(days=30),
    )
    member = factories.applicant(certificate.organization)

    draft = renewal.start_renewal(certificate=certificate, user=member)

    for item in draft.items.all():
        assert codes_of(item) == ["55521200-0", "90910000-9"]
        assert not any(link.confirmed for link in item.cpv_links.all())
