"""The applicant's reconsideration request: the rules (deadline, once, members only, reasons,
files checked like documents), what the applicant and the officer see, and nothing saved when
a request is refused."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.models import Task

from certification.choices import ApplicationStatus
from certification.domain import reconsideration
from certification.domain.errors import DomainError
from certification.models import AuditEvent, ReconsiderationAttachment, ReconsiderationRequest
from certification.storage import stored_objects
from workflows import queries

from . import factories, stages
from .mail import polish, sent_mail
from .test_documents_active_content import JAVASCRIPT, js_in_open_action
from .web import login, main_part

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Messages as the msgids give them (the domain speaks the caller's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def refused():
    c = stages.cast()
    return c, stages.refused(c)


def deadline_of(application) -> datetime.date:
    return reconsideration.contestable_decision(application).deadline


def _attachment_names() -> set[str]:
    return {o.name for o in stored_objects(default_storage) if "reconsiderations/" in o.name}


_stored_before: set[str] = set()


@pytest.fixture(autouse=True)
def _earlier_attachments():
    """What the store held before the test: on S3 the bucket keeps other tests' files."""
    _stored_before.clear()
    _stored_before.update(_attachment_names())


def stored_attachments() -> list[str]:
    """Attachments stored during this test."""
    return sorted(_attachment_names() - _stored_before)


def nothing_saved(c, application, before: dict):
    assert stages.db_state(application) == before
    assert not ReconsiderationRequest.objects.exists()
    assert not ReconsiderationAttachment.objects.exists()
    assert stored_attachments() == []
    assert stages.open_nodes(application) == [stages.flow.reconsideration_window]


class FailsOnStore(SimpleUploadedFile):
    """A file that passes the checks, then cannot be read when the store copies it (a broken
    connection to the browser's upload, a full temporary disk)."""

    reads = 0
    checksummed = False

    def chunks(self, chunk_size=None):
        self.reads += 1
        if self.reads > 1:  # the first read is the checksum's; the local store reads chunks
            raise OSError("the upload is gone")
        yield from super().chunks(chunk_size)
        self.checksummed = True

    def read(self, *args, **kwargs):
        if self.checksummed:  # S3's upload reads the file, not its chunks
            raise OSError("the upload is gone")
        return super().read(*args, **kwargs)


# --- the rules --------------------------------------------------------------------------------


def test_request_on_the_deadline_day_itself_is_accepted(refused):
    c, application = refused
    deadline = deadline_of(application)

    request = stages.request_reconsideration(
        c, application, today=deadline, attachments=[factories.pdf_upload("opinia.pdf")]
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECONSIDERATION
    assert request.deadline == deadline and request.filed_by == c.applicant
    [attachment] = request.attachments.all()
    assert attachment.original_name == "opinia.pdf" and attachment.content_type == "application/pdf"
    assert stored_attachments() == [attachment.file.name]
    event = AuditEvent.objects.get(action="reconsideration.filed")
    assert (event.actor, event.from_state, event.to_state) == (
        c.applicant,
        ApplicationStatus.REFUSED,
        ApplicationStatus.RECONSIDERATION,
    )


def test_request_after_the_deadline_is_refused_and_nothing_saved(refused):
    c, application = refused
    deadline = deadline_of(application)
    before = stages.db_state(application)

    with pytest.raises(DomainError, match="The time to request reconsideration ended on"):
        stages.request_reconsideration(
            c, application, today=deadline + DAY, attachments=[factories.pdf_upload()]
        )

    nothing_saved(c, application, before)


def test_second_request_for_the_same_decision_is_refused(refused):
    c, application = refused
    stages.request_reconsideration(c, application)

    with pytest.raises(DomainError, match="the second decision is awaited"):
        stages.request_reconsideration(c, application, reasons="Jeszcze raz.")
    # Straight to the domain, past the flow: the request itself refuses it too.
    with pytest.raises(DomainError):
        reconsideration.file_request(application=application, user=c.applicant, reasons="Znowu.")

    assert ReconsiderationRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["other_applicant", "officer", "superuser"])
def test_only_a_member_of_the_applicant_may_request(refused, who):
    c, application = refused
    user = {
        "other_applicant": factories.applicant(),
        "officer": c.officer,
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
    }[who]
    before = stages.db_state(application)

    with pytest.raises(DomainError, match="Only a member of the organisation"):
        reconsideration.file_request(
            application=application,
            user=user,
            reasons="Prosimy o ponowne rozpatrzenie.",
            attachments=[factories.pdf_upload()],
        )
    with pytest.raises(DomainError):  # and the flow's task is not theirs either
        reconsideration_service(application, user)

    nothing_saved(c, application, before)


def reconsideration_service(application, user):
    return stages.services.request_reconsideration(
        application=application, user=user, reasons="Prosimy."
    )


@pytest.mark.parametrize("reasons", ["", "   \n "])
def test_request_without_reasons_is_refused(refused, reasons):
    c, application = refused
    before = stages.db_state(application)

    with pytest.raises(DomainError) as raised:
        stages.request_reconsideration(c, application, reasons=reasons)

    assert raised.value.field == "reasons"
    nothing_saved(c, application, before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"To nie jest PDF.", "Only PDF, JPEG and PNG files are accepted"),
        (b"", "The file is empty."),
        (js_in_open_action(), JAVASCRIPT),
    ],
)
def test_bad_attachment_is_refused_naming_the_file(refused, content, message):
    c, application = refused
    before = stages.db_state(application)
    files = [factories.pdf_upload("dobry.pdf"), SimpleUploadedFile("zły.pdf", content)]

    with pytest.raises(DomainError) as raised:
        stages.request_reconsideration(c, application, attachments=files)

    assert raised.value.field == "attachments"
    assert str(raised.value).startswith("“zły.pdf”: ") and message in str(raised.value)
    nothing_saved(c, application, before)


def test_too_many_attachments_are_refused(refused):
    c, application = refused
    files = [factories.pdf_upload(f"plik-{n}.pdf") for n in range(11)]

    with pytest.raises(DomainError, match="Attach at most 10 files."):
        stages.request_reconsideration(c, application, attachments=files)

    assert not ReconsiderationRequest.objects.exists()


def test_a_file_lost_while_storing_leaves_no_file_and_no_request(refused):
    c, application = refused
    before = stages.db_state(application)
    broken = factories.pdf_bytes("drugi")
    files = [factories.pdf_upload("pierwszy.pdf"), FailsOnStore("drugi.pdf", broken)]

    with pytest.raises(DomainError, match="Nothing has been saved"):
        stages.request_reconsideration(c, application, attachments=files)

    # The first file had been stored before the second failed: it is gone again.
    nothing_saved(c, application, before)


def test_only_a_contestable_decision_may_be_reconsidered():
    c = stages.cast()
    application = stages.awaiting_decision(c)

    contestable, why = reconsideration.may_request(application)

    assert contestable is None
    assert why == "Only a refusal, a partial grant or a formal rejection can be reconsidered."
    with pytest.raises(DomainError, match="Only a refusal"):
        stages.request_reconsideration(c, application)


def test_officer_decision_needs_an_answer_and_an_officer():
    c = stages.cast()
    application = stages.formally_rejected(c)
    request = stages.request_reconsideration(c, application)

    with pytest.raises(DomainError) as raised:
        stages.decide_rejection(c, application, uphold=True, answer="  ")
    assert raised.value.field == "answer"
    with pytest.raises(DomainError, match="Only a ROPS officer"):
        reconsideration.decide_formal_reconsideration(
            officer=c.chair, request=request, uphold=False, answer="Nie."
        )

    application.refresh_from_db()
    request.refresh_from_db()
    assert application.status == ApplicationStatus.RECONSIDERATION
    assert request.decided_at is None and request.upheld is None
    assert stages.open_nodes(application) == [stages.flow.reconsider_rejection]


# --- the pages --------------------------------------------------------------------------------


def request_url(application) -> str:
    return reverse("reconsideration_request", args=[application.pk])


def test_application_page_offers_the_request_until_the_deadline(client, refused):
    c, application = refused
    login(client, c.applicant)

    page = main_part(client.get(reverse("application_detail", args=[application.pk])).text)

    assert "You may ask for the decision to be reconsidered until" in page
    assert f'href="{request_url(application)}"' in page
    form = main_part(client.get(request_url(application)).text)
    assert "The decision you are contesting" in form
    assert 'name="attachments"' in form and "multiple" in form


def test_my_applications_says_a_refusal_may_be_contested_until_the_deadline(client, refused):
    c, application = refused
    login(client, c.applicant)
    deadline = deadline_of(application)

    page = main_part(client.get(reverse("my_applications")).text)
    assert f"You may ask for the decision to be reconsidered until {deadline:%-d} " in page
    assert "Nothing more to do" not in page

    application.resolutions.update(date=datetime.date.today() - datetime.timedelta(days=30))
    page = main_part(client.get(reverse("my_applications")).text)
    assert "The jury did not grant the mark. Nothing more to do." in page


def test_request_page_shows_errors_beside_the_fields_and_saves_nothing(client, refused):
    c, application = refused
    login(client, c.applicant)
    before = stages.db_state(application)

    empty = client.post(request_url(application), {"reasons": " "})
    bad = client.post(
        request_url(application),
        {"reasons": "Powody.", "attachments": [SimpleUploadedFile("skan.pdf", b"nie pdf")]},
    )

    for response, field in ((empty, "reasons"), (bad, "attachments")):
        page = main_part(response.text)
        assert response.status_code == 200
        assert "There is a problem" in page
        assert f'<a href="#id_{field}">' in page
        assert f'<p class="error-message" id="id_{field}_error">' in page
    assert "Give the reasons why the decision should be taken again." in empty.text
    assert "“skan.pdf”: Only PDF, JPEG and PNG files are accepted" in bad.text
    nothing_saved(c, application, before)


def test_request_filed_from_the_page_is_shown_with_its_files(client, refused):
    c, application = refused
    login(client, c.applicant)

    response = client.post(
        request_url(application),
        {
            "reasons": "Kapituła nie uwzględniła listów referencyjnych.",
            "attachments": [factories.pdf_upload("list-1.pdf"), factories.pdf_upload("list-2.pdf")],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    page = main_part(client.get(response["Location"]).text)
    assert "Reconsideration requested, awaiting a second decision" in page
    assert "Kapituła nie uwzględniła listów referencyjnych." in page
    assert "Awaiting the second decision" in page
    links = re.findall(r'href="(/wnioskodawca/ponowne-rozpatrzenie/zalaczniki/\d+/)">', page)
    assert len(links) == 2
    download = client.get(links[0])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # A member of another organisation: no such file.
    login(client, factories.applicant())
    assert client.get(links[0]).status_code == 404
    # The officer reads the request in the staff file and opens its files.
    login(client, c.officer)
    staff = main_part(client.get(reverse("staff_application", args=[application.pk])).text)
    assert "Kapituła nie uwzględniła listów referencyjnych." in staff
    assert links[1] in staff
    assert client.get(links[1]).status_code == 200


def test_request_page_after_the_deadline_sends_back_with_the_reason(client, refused):
    c, application = refused
    application.resolutions.update(date=datetime.date.today() - datetime.timedelta(days=30))
    login(client, c.applicant)

    response = client.get(request_url(application), follow=True)

    page = main_part(response.text)
    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    assert "The time to request reconsideration ended on" in page
    assert f'href="{request_url(application)}"' not in page


def test_officer_task_page_shows_the_request_and_records_the_decision(client):
    c = stages.cast()
    application = stages.formally_rejected(c)
    stages.request_reconsideration(
        c,
        application,
        reasons="Cele społeczne są w statucie.",
        attachments=[factories.pdf_upload()],
    )
    task = stages.open_task(application, stages.flow.reconsider_rejection)
    url = reverse("staff_task", args=[task.pk])
    login(client, c.officer)

    page = main_part(client.get(url).text)
    assert "Cele społeczne są w statucie." in page
    assert "Podmiot nie wykazał celów społecznych." in page  # the rejection contested
    assert "/wnioskodawca/ponowne-rozpatrzenie/zalaczniki/" in page

    refused = client.post(url, {"decision": "overturn", "answer": ""})
    assert '<a href="#id_answer">' in refused.text
    assert stages.open_nodes(application) == [stages.flow.reconsider_rejection]

    done = client.post(url, {"decision": "overturn", "answer": "Statut potwierdza cele."})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.JURY_ASSIGNMENT
    # The applicant reads the answer on the application page.
    login(client, c.applicant)
    applicant_page = main_part(
        client.get(reverse("application_detail", args=[application.pk])).text
    )
    assert "Statut potwierdza cele." in applicant_page


def test_inbox_lists_exactly_the_reconsideration_tasks_each_role_may_open():
    """The applicant's window and the officer's task, in the inbox of those who may open them."""
    c = stages.cast()
    window = stages.open_task(stages.formally_rejected(c), stages.flow.reconsideration_window)
    contested = stages.formally_rejected(c)
    stages.request_reconsideration(c, contested)
    second_look = stages.open_task(contested, stages.flow.reconsider_rejection)
    officer_member = factories.officer()
    c.applicant.organizations.first().members.add(officer_member)
    users = [
        c.applicant,
        factories.applicant(),
        c.officer,
        officer_member,  # in conflict: never judges their own organisation
        c.chair,
        c.jurors[0],
        factories.UserFactory(is_superuser=True, is_staff=True),
    ]
    open_tasks = list(Task.objects.filter(status__in=queries.OPEN))
    for user in users:
        listed = set(queries.inbox(user).values_list("pk", flat=True))
        assert listed == {t.pk for t in open_tasks if queries.may_open(user, t)}, user
    assert window.pk in set(queries.inbox(c.applicant).values_list("pk", flat=True))
    assert second_look.pk in set(queries.inbox(c.officer).values_list("pk", flat=True))
    assert second_look.pk not in set(queries.inbox(officer_member).values_list("pk", flat=True))


def test_filing_confirms_to_the_applicant_and_tells_the_officers(
    refused, django_capture_on_commit_callbacks
):
    c, application = refused
    member_officer = factories.officer()
    application.organization.members.add(member_officer)
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        stages.request_reconsideration(
            c, application, attachments=[factories.pdf_upload("opinia-eksperta.pdf")]
        )

    confirmation, notice = sent_mail()
    assert c.applicant.email in confirmation.recipients()
    assert application.number in confirmation.subject
    assert "opinia-eksperta.pdf" in confirmation.body
    assert polish(
        "We will let you know the decision. It will be final: it cannot be reconsidered again."
    ) in " ".join(confirmation.body.split())
    assert c.officer.email in notice.recipients()
    # An officer who is a member of the applicant is in conflict: not told as staff.
    assert member_officer.email not in notice.recipients()
    assert reverse("staff_application", args=[application.pk]) in notice.body
