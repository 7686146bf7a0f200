"""Applications received on paper: an officer registers them and they follow the same flow; the
PES is invited to take its application over online; until then the officer records its
corrections."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus
from certification.domain import invitations
from certification.domain.errors import DomainError
from certification.models import Application, AuditEvent, DocumentType, Organization
from certification.storage import stored_objects
from workflows import driver, services, services_paper

from . import factories, stages
from .stages import flow

pytestmark = pytest.mark.django_db


def _register(c, **kw):
    return stages.paper_submitted(c, **kw)


def test_the_whole_path_from_paper_to_certificate():
    c = stages.cast()
    nip = factories.nip_for(4242)
    received = timezone.localdate() - datetime.timedelta(days=5)
    application = _register(c, nip=nip, items=2, received_on=received)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.received_on_paper == received
    assert timezone.localdate(application.submitted_at) == received
    assert application.number == f"W/{received.year}/{application.pk:05d}"
    assert application.created_by == c.officer
    organization = application.organization
    assert organization.nip == nip and not organization.members.exists()
    assert application.documents.count() == 3 + 2 * 2
    assert {d.uploaded_by for d in application.documents.all()} == {c.officer}
    assert stages.open_nodes(application) == [flow.formal_review]

    driver.accept(c, application)
    driver.assign_jury(c, application)
    for juror in c.jurors:
        stages.score_as(application, juror)
    stages.resolve(c, application)
    certificate = driver.issue(c, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CERTIFIED
    assert certificate.holder_nip == nip

    registered = AuditEvent.objects.get(
        application=application, action="application.registered_from_paper"
    )
    assert registered.actor == c.officer
    assert c.officer.get_full_name() in registered.message
    assert registered.details["received_on"] == received.isoformat()
    submitted = AuditEvent.objects.get(application=application, action="application.submitted")
    assert (submitted.actor, submitted.to_state) == (c.officer, ApplicationStatus.SUBMITTED)


def test_an_existing_organisation_is_found_by_nip():
    c = stages.cast()
    organization = c.applicant.organizations.first()
    application = _register(c, nip=f"{organization.nip[:3]}-{organization.nip[3:]}", name="Ignored")
    assert application.organization == organization
    assert Organization.objects.count() == 1


def _corrections(c, application):
    driver.return_for_corrections(
        c, application, [(application.documents.first(), "Statut bez podpisu.")]
    )


def test_the_officer_records_corrections_received_on_paper():
    c = stages.cast()
    application = _register(c)
    _corrections(c, application)
    task = stages.open_task(application, flow.corrections)
    assert task.pk in set(
        __import__("workflows.queries", fromlist=["inbox"])
        .inbox(c.officer)
        .values_list("pk", flat=True)
    )
    old = application.documents.first()
    services_paper.record_paper_corrections(
        task_pk=task.pk,
        user=c.officer,
        answer="Pismo z poprawionym statutem.",
        replacements=[(old, factories.pdf_upload("statut-podpisany.pdf"))],
        additions=[],
    )
    application.refresh_from_db()
    old.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert old.superseded_by.original_name == "statut-podpisany.pdf"
    assert stages.open_nodes(application) == [flow.formal_review]


def test_the_staff_corrections_page_records_paper_corrections(client):
    c = stages.cast()
    application = _register(c)
    _corrections(c, application)
    task = stages.open_task(application, flow.corrections)
    client.force_login(c.officer)
    inbox = client.get(reverse("staff_inbox"))
    assert reverse("staff_task", args=[task.pk]) in inbox.content.decode()
    page = client.get(reverse("staff_task", args=[task.pk]))
    assert page.status_code == 200
    empty = client.post(reverse("staff_task", args=[task.pk]), {"answer": ""})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    doc = application.documents.first()
    done = client.post(
        reverse("staff_task", args=[task.pk]),
        {"answer": "Poprawki pocztą.", f"replace_{doc.pk}": factories.pdf_upload("nowy.pdf")},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_corrections_deadline_missed_on_paper_ends_in_rejection_not_a_stuck_flow():
    c = stages.cast()
    application = _register(c)
    _corrections(c, application)
    application.refresh_from_db()
    services.reject_missed_deadlines(today=application.corrections_deadline + datetime.timedelta(1))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_invited_pes_takes_the_application_over(client):
    c = stages.cast()
    application = _register(c)
    client.force_login(c.officer)
    url = reverse("staff_paper_take_over", args=[application.pk])
    assert (
        client.get(reverse("staff_application", args=[application.pk])).content.decode().count(url)
    )
    response = client.post(url, {"email": "Prezes@Fundacja.pl"})
    assert response.status_code == 302
    invitation = application.organization.invitations.get()
    assert invitation.email == "prezes@fundacja.pl" and invitation.invited_by == c.officer
    assert AuditEvent.objects.filter(
        application=application, action="application.takeover_invited"
    ).exists()

    # The link in the e-mail: the person signs up with that address and joins.
    token = "known-token"
    invitation.token_hash = invitations.hash_token(token)
    invitation.save(update_fields=["token_hash"])
    person = factories.UserFactory(email="prezes@fundacja.pl")
    assert invitations.why_unusable(invitation) is None
    invitations.accept_invitation(token=token, user=person)
    assert person in application.organization.members.all()

    client.force_login(person)
    mine = client.get(reverse("my_applications"))
    assert application.number in mine.content.decode()
    detail = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Zarejestrowany przez ROPS z wniosku papierowego" in detail
    assert "Dodano produkt lub usługę" not in detail  # the officer's copying is not a step

    # From now on the PES answers corrections itself; the officer no longer acts for it.
    _corrections(c, application)
    task = stages.open_task(application, flow.corrections)
    client.force_login(c.officer)
    assert client.get(reverse("staff_task", args=[task.pk])).status_code == 404
    with pytest.raises(services.TaskNotAvailable):
        services.answer_corrections(task_pk=task.pk, user=c.officer)
    services.answer_corrections(task_pk=task.pk, user=person, answer="Poprawione.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    # …and the officer cannot invite again: its members invite colleagues.
    with pytest.raises(DomainError):
        invitations.invite_to_take_over(application=application, email="x@y.pl", officer=c.officer)


def test_officers_cannot_act_for_an_online_application():
    c = stages.cast()
    application = stages.in_corrections(c)
    task = stages.open_task(application, flow.corrections)
    with pytest.raises(services.TaskNotAvailable):
        services.answer_corrections(task_pk=task.pk, user=c.officer)
    with pytest.raises(DomainError):
        invitations.invite_to_take_over(application=application, email="a@b.pl", officer=c.officer)


# Bad input: a clear message, nothing saved.


def _stored_files() -> set[str]:
    return {o.name for o in stored_objects(default_storage)}


def _nothing_saved(before, files_before=None):
    assert stages.db_state() == before
    if files_before is not None:
        assert _stored_files() == files_before  # no scan kept of a refused registration


@pytest.mark.parametrize(
    ("field", "value"),
    [("nip", "1234567890"), ("regon", "123456789"), ("krs", "12345")],
)
def test_bad_identifiers_are_refused(field, value):
    c = stages.cast()
    data = stages.paper_registration(nip=factories.nip_for(777))
    if field == "nip":
        data["nip"] = value
    else:
        data["organization_fields"][field] = value
    before = stages.db_state()
    with pytest.raises(ValidationError) as error:
        services_paper.register_paper(officer=c.officer, **data)
    assert field in error.value.message_dict
    _nothing_saved(before)


def test_missing_documents_are_named_and_nothing_saved():
    c = stages.cast()
    data = stages.paper_registration(nip=factories.nip_for(778))
    data["files"] = [f for f in data["files"] if f.document_type.code != "statute"]
    before, files_before = stages.db_state(), _stored_files()
    with pytest.raises(DomainError) as error:
        services_paper.register_paper(officer=c.officer, **data)
    statute = DocumentType.objects.get(code="statute").name
    assert statute in str(error.value)
    _nothing_saved(before, files_before)


def test_a_date_in_the_future_is_refused():
    c = stages.cast()
    data = stages.paper_registration(
        nip=factories.nip_for(779), received_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    before = stages.db_state()
    with pytest.raises(DomainError) as error:
        services_paper.register_paper(officer=c.officer, **data)
    assert error.value.field == "received_on"
    _nothing_saved(before)


def test_the_same_paper_application_is_not_registered_twice():
    c = stages.cast()
    first = _register(c, nip=factories.nip_for(780))
    data = stages.paper_registration(
        nip=factories.nip_for(780), received_on=first.received_on_paper
    )
    before = stages.db_state()
    with pytest.raises(DomainError) as error:
        services_paper.register_paper(officer=c.officer, **data)
    assert first.number in str(error.value)
    _nothing_saved(before)


def test_only_officers_register_superusers_included():
    c = stages.cast()
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    for user in (superuser, c.applicant, c.jurors[0]):
        with pytest.raises(DomainError):
            services_paper.register_paper(
                officer=user, **stages.paper_registration(nip=factories.nip_for(781))
            )
    assert not Application.objects.exists()


# The page.


def _form_data(nip: str, **over) -> dict:
    data = {
        "received_on": (timezone.localdate() - datetime.timedelta(days=2)).strftime("%d.%m.%Y"),
        "org_nip": nip,
        "org_name": "Stowarzyszenie „Kartka”",
        "org_legal_form": "association",
        "org_regon": factories.VALID_REGON,
        "org_krs": "",
        "org_street": "ul. Listowa 2",
        "org_postal_code": "40-002",
        "org_town": "Gliwice",
        "org_registration_date": "01.02.2020",
        "org_email": "kartka@example.pl",
        "social_goals": "Aktywizacja zawodowa.",
        "employees_total": "5",
        "employees_at_risk": "3",
        "own_revenue_percent": "35,5",
        "item1_name": "Druk ulotek",
        "item1_kind": "service",
        "item1_description": "Drukujemy ulotki.",
        "item1_cpv": factories.CATERING,
    }
    data.update(over)
    return data


def _files() -> dict:
    from certification.models import DocumentType

    files = {}
    for t in DocumentType.objects.all():
        if t.per_item and t.required:
            files[f"item1_doc_{t.pk}"] = [factories.pdf_upload(f"rek-{k}.pdf") for k in range(2)]
        elif t.required:
            files[f"doc_{t.pk}"] = [factories.pdf_upload(f"{t.code}.pdf")]
    return files


def test_the_register_page_registers(client):
    c = stages.cast()
    factories.cpv_vocabulary()
    client.force_login(c.officer)
    url = reverse("staff_paper_register")
    assert client.get(url).status_code == 200
    response = client.post(url, {**_form_data(factories.nip_for(900)), **_files()})
    page = response.content.decode()
    assert response.status_code == 302, page[
        page.find("error-summary") : page.find("error-summary") + 2500
    ]
    application = Application.objects.get()
    assert response.url == reverse("staff_application", args=[application.pk])
    assert application.on_paper and application.status == ApplicationStatus.SUBMITTED
    listing = client.get(reverse("staff_applications")).content.decode()
    assert application.number in listing and "tag" in listing


def test_the_register_page_names_what_is_wrong(client):
    c = stages.cast()
    factories.cpv_vocabulary()
    client.force_login(c.officer)
    url = reverse("staff_paper_register")
    before = stages.db_state()
    response = client.post(
        url, {**_form_data(factories.nip_for(901), org_name="", item2_name="Druga"), **_files()}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "error-summary" in page
    assert 'href="#id_org_name"' in page and 'href="#id_item2_description"' in page
    no_docs = client.post(url, _form_data(factories.nip_for(901)))
    assert "error-summary" in no_docs.content.decode()
    assert stages.db_state() == before


@pytest.mark.parametrize("who", ["applicant", "juror", "super", "anon"])
def test_non_officers_get_404(client, who):
    c = stages.cast()
    user = {
        "applicant": c.applicant,
        "juror": c.jurors[0],
        "super": factories.UserFactory(is_superuser=True, is_staff=True),
        "anon": None,
    }[who]
    if user:
        client.force_login(user)
    response = client.get(reverse("staff_paper_register"))
    assert response.status_code == (302 if user is None else 404)


def test_the_take_over_page_is_only_for_paper_applications(client):
    c = stages.cast()
    online = stages.submitted(c)
    client.force_login(c.officer)
    assert client.get(reverse("staff_paper_take_over", args=[online.pk])).status_code == 404
    paper = _register(c)
    assert client.get(reverse("staff_paper_take_over", args=[paper.pk])).status_code == 200
    bad = client.post(reverse("staff_paper_take_over", args=[paper.pk]), {"email": "nie-adres"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    assert not paper.organization.invitations.exists()


def test_a_scan_attached_twice_is_named_and_nothing_saved():
    c = stages.cast()
    data = stages.paper_registration(nip=factories.nip_for(782))
    statute = next(f for f in data["files"] if f.document_type.code == "statute")
    again = factories.pdf_upload("statut-kopia.pdf", text=statute.uploaded.name)
    data["files"].append(type(statute)(document_type=statute.document_type, uploaded=again))
    before, files_before = stages.db_state(), _stored_files()
    with pytest.raises(DomainError) as error:
        services_paper.register_paper(officer=c.officer, **data)
    assert "statut-kopia.pdf" in str(error.value)
    _nothing_saved(before, files_before)
