"""Roles a superuser or a conflicted member used to slip through (issue 8, §3).

A superuser is the configuration administrator: no applicant, officer, juror or chair power.
A member of the applicant organisation has no staff power over its application. Task lists
show only tasks the user may open.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from certification.domain import applications, documents, organizations
from certification.domain.errors import DomainError
from certification.models import DocumentType
from certification.permissions import OFFICERS_GROUP
from workflows import queries, services
from workflows.services import TaskNotAvailable

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def superuser():
    return factories.UserFactory(is_superuser=True, is_staff=True)


def test_superuser_cannot_open_or_change_an_applicants_corrections(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    task = stages.open_task(application, stages.flow.corrections)
    before = stages.db_state(application)
    login(client, superuser())
    url = reverse("corrections", args=[task.pk])
    assert client.get(url).status_code == 404
    old = application.documents.first()
    posts = [
        {"action": "add", "add-document_type": old.document_type_id, "add-file": "x"},
        {"action": "replace", "document": old.pk, f"replace-{old.pk}-file": "x"},
        {"action": "send", "answer-answer": "Poprawione."},
    ]
    for data in posts:
        data = {k: factories.pdf_upload() if k.endswith("file") else v for k, v in data.items()}
        assert client.post(url, data).status_code == 404
    assert client.get(reverse("corrections_start", args=[application.pk])).status_code == 404
    assert stages.db_state(application) == before


def test_superuser_changes_no_application_through_the_domain():
    c = stages.cast()
    admin = superuser()
    in_corrections = stages.in_corrections(c)
    draft = factories.draft_application()
    before = (stages.db_state(in_corrections), stages.db_state(draft))
    statute = DocumentType.objects.get(code="statute")
    refused = [
        lambda: documents.add_document(
            application=in_corrections,
            user=admin,
            document_type=statute,
            uploaded=factories.pdf_upload("nowy.pdf"),
        ),
        lambda: documents.add_document(
            application=in_corrections,
            user=admin,
            document_type=statute,
            uploaded=factories.pdf_upload("wersja.pdf"),
            replaces=in_corrections.documents.get(original_name="statute.pdf"),
        ),
        lambda: documents.remove_document(document=draft.documents.first(), user=admin),
        lambda: applications.update_questionnaire(
            application=draft, user=admin, employees_total=99
        ),
        lambda: applications.add_item(
            application=draft, user=admin, name="Obce", kind="service", description="Opis."
        ),
        lambda: applications.remove_item(item=draft.items.first(), user=admin),
        lambda: organizations.update_organization(
            organization=draft.organization, user=admin, name="Przejęta sp. z o.o."
        ),
        lambda: applications.submit_application(application=draft, user=admin),
    ]
    for call in refused:
        with pytest.raises(DomainError, match="Only a member of the organisation"):
            call()
    with pytest.raises(TaskNotAvailable):
        services.answer_corrections(
            task_pk=stages.open_task(in_corrections, stages.flow.corrections).pk,
            user=admin,
            answer="x",
        )
    assert (stages.db_state(in_corrections), stages.db_state(draft)) == before
    draft.organization.refresh_from_db()
    assert draft.organization.name != "Przejęta sp. z o.o."


@pytest.mark.parametrize(
    ("stage", "node", "perms"),
    [
        ("corrections", stages.flow.corrections, ["respond_corrections", "edit_application"]),
        ("submitted", stages.flow.formal_review, ["review_application", "view_staff_file"]),
        ("decision", stages.flow.resolution, ["record_resolution", "view_scorecards"]),
    ],
)
def test_superuser_holds_no_role_by_being_superuser(stage, node, perms):
    c = stages.cast()
    application = {
        "corrections": stages.in_corrections,
        "submitted": stages.submitted,
        "decision": stages.awaiting_decision,
    }[stage](c)
    application.refresh_from_db()
    admin = superuser()
    for perm in [*perms, "view_application_file", "staff_area", "view_recusal_reasons"]:
        assert not admin.has_perm(f"certification.{perm}", application), perm
    task = stages.open_task(application, node)
    with pytest.raises(TaskNotAvailable):
        services.open_task(task_pk=task.pk, user=admin)
    assert not queries.inbox(admin).exists()
    # Django's own model permissions (the admin's configuration rights) stay the superuser's.
    assert admin.has_perm("certification.change_criterion")


def test_superuser_in_the_officers_group_is_an_officer():
    c = stages.cast()
    application = stages.submitted(c)
    admin = superuser()
    admin.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    task = stages.open_task(application, stages.flow.formal_review)
    assert services.open_task(task_pk=task.pk, user=admin) == task


def test_juror_who_is_a_member_is_not_offered_and_cannot_be_assigned(client):
    c = stages.cast()
    application = stages.awaiting_jury(c)
    member_juror = factories.juror(first_name="Zofia", last_name="Członkowska")
    application.organization.members.add(member_juror)
    task = stages.open_task(application, stages.flow.assign_jury)
    login(client, c.officer)
    page = main_part(client.get(reverse("staff_task", args=[task.pk])).content.decode())
    assert f'value="{member_juror.pk}"' not in page
    assert (
        "Zofia Członkowska: a member of the applicant organisation (conflict of interest)" in page
    )
    before = stages.db_state(application)
    chosen = [c.jurors[0].pk, c.jurors[1].pk, member_juror.pk]
    response = client.post(reverse("staff_task", args=[task.pk]), {"jurors": chosen})
    assert response.status_code == 200  # the form again: the crafted choice is not offered
    assert stages.db_state(application) == before
    with pytest.raises(DomainError, match="conflict of interest"):
        services.assign_jury(
            task_pk=task.pk, user=c.officer, jurors=[c.jurors[0], c.jurors[1], member_juror]
        )
    assert stages.db_state(application) == before


def test_juror_who_became_a_member_loses_the_file_and_the_scoring_task(client):
    c = stages.cast()
    application = stages.scoring_declared(c)
    juror = c.jurors[0]
    task = stages.open_task(application, stages.flow.score, owner=juror)
    application.organization.members.add(juror)
    login(client, juror)
    assert client.get(reverse("staff_application", args=[application.pk])).status_code == 404
    assert client.get(reverse("staff_task", args=[task.pk])).status_code == 404
    assert not queries.inbox(juror).filter(pk=task.pk).exists()
    with pytest.raises(TaskNotAvailable):
        services.score(task_pk=task.pk, user=juror, scores=stages.full_scores(application))
    page = client.get(reverse("staff_applications")).content.decode()
    assert reverse("staff_application", args=[application.pk]) not in page


def test_chair_who_is_a_member_cannot_see_or_record_the_resolution(client):
    c = stages.cast()
    application = stages.awaiting_decision(c)
    application.organization.members.add(c.chair)
    task = stages.open_task(application, stages.flow.resolution)
    agenda_item = stages.on_agenda(c, application)
    before = stages.db_state(application)
    login(client, c.chair)
    assert client.get(reverse("staff_application", args=[application.pk])).status_code == 404
    assert client.get(reverse("staff_task", args=[task.pk])).status_code == 404
    assert not queries.inbox(c.chair).filter(pk=task.pk).exists()
    with pytest.raises(TaskNotAvailable):
        stages.vote(c, agenda_item)
    assert stages.db_state(application) == before


def test_recused_chair_has_no_resolution_task_in_the_inbox(client):
    c = stages.cast()
    application = stages.awaiting_jury(c)
    services.assign_jury(
        task_pk=stages.open_task(application, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=[*c.jurors, c.chair],
    )
    chair_task = stages.open_task(application, stages.flow.score, owner=c.chair)
    services.declare(task_pk=chair_task.pk, user=c.chair, impartial=False, reason="Rodzina.")
    for juror in c.jurors:
        stages.score_as(application, juror)
    resolution = stages.open_task(application, stages.flow.resolution)
    login(client, c.chair)
    assert client.get(reverse("staff_task", args=[resolution.pk])).status_code == 404
    assert not queries.inbox(c.chair).filter(pk=resolution.pk).exists()
    page = main_part(client.get(reverse("staff_inbox")).content.decode())
    assert reverse("staff_task", args=[resolution.pk]) not in page


def test_juror_whose_term_ended_has_no_scoring_task_in_the_inbox():
    c = stages.cast()
    application = stages.scoring(c)
    juror = c.jurors[0]
    task = stages.open_task(application, stages.flow.score, owner=juror)
    member = juror.jury_member
    member.term_end = timezone.localdate() - datetime.timedelta(days=1)
    member.save()
    with pytest.raises(TaskNotAvailable):
        services.open_task(task_pk=task.pk, user=juror)
    assert not queries.inbox(juror).filter(pk=task.pk).exists()


def test_administrator_starts_in_the_admin_not_on_applicant_pages(client):
    login(client, superuser())
    assert client.get(reverse("dashboard"))["Location"] == reverse("admin:index")
