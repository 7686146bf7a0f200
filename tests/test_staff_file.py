"""The staff application file: who may open it, what it shows, and scores kept from jurors."""

import pytest
from django.urls import reverse

from certification.domain import documents
from certification.domain.certificates import number_to_slug
from certification.models import DocumentType

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


def file_url(app) -> str:
    return reverse("staff_application", args=[app.pk])


def scored_with(app, juror, justification: str) -> None:
    """One juror declares and scores, with a justification the test can look for."""
    task = stages.open_task(app, stages.flow.score, owner=juror)
    stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
    scores = {pk: (points, justification) for pk, (points, _j) in stages.full_scores(app).items()}
    stages.services.score(task_pk=task.pk, user=juror, scores=scores)


def test_file_officer_sees_organisation_questionnaire_documents_and_history(client):
    c = stages.cast()
    app = stages.awaiting_jury(c)
    response = login(client, c.officer).get(file_url(app))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<title>Application {app.number} ·" in page
    assert app.organization.name in page
    assert app.organization.nip in page
    assert "Zatrudniamy osoby wychodzące z bezdomności." in page
    assert "Catering „Smaczne 0”" in page
    doc = app.documents.get(original_name="statute.pdf")
    assert f'href="{reverse("document_download", args=[doc.pk])}"' in page
    # The review as what happened, not as the command the officer chose.
    assert "Result: accepted</h3>" in page
    assert "Accept: the file is complete" not in page
    for label in ("Application started", "Application submitted", "Formal review: accepted"):
        assert label in page
    assert "Submitted, awaiting formal review → Formally accepted, awaiting jury assignment" in page
    assert (
        f'href="{reverse("staff_task", args=[stages.open_task(app, stages.flow.assign_jury).pk])}"'
        in page
    )


def test_file_document_link_downloads_for_the_officer(client):
    c = stages.cast()
    app = stages.submitted(c)
    doc = app.documents.get(original_name="statute.pdf")
    response = login(client, c.officer).get(reverse("document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_file_shows_defects_and_superseded_documents(client):
    c = stages.cast()
    app = stages.in_corrections(c)
    old = app.documents.filter(superseded_by__isnull=True).first()
    documents.add_document(
        application=app,
        user=c.applicant,
        document_type=DocumentType.objects.get(pk=old.document_type_id),
        item=old.item,
        uploaded=factories.pdf_upload("nowy-odpis.pdf"),
        replaces=old,
    )
    page = login(client, c.officer).get(file_url(app)).content.decode()
    assert "Odpis z KRS jest nieaktualny." in page
    assert "Result: returned for corrections</h3>" in page
    assert "Earlier versions, replaced during corrections" in page
    assert "nowy-odpis.pdf" in page
    assert f'href="{reverse("document_download", args=[old.pk])}"' in page
    assert "Document replaced with a new version" in page


@pytest.mark.parametrize("who", ["applicant", "other_juror", "pending_juror"])
def test_file_is_404_for_people_who_may_not_see_it(client, who):
    c = stages.cast()
    app = stages.scoring(c)
    user = {
        "applicant": c.applicant,
        "other_juror": factories.juror(),
        # Assigned, but no impartiality declaration yet.
        "pending_juror": c.jurors[0],
    }[who]
    assert login(client, user).get(file_url(app)).status_code == 404


def test_file_anonymous_is_sent_to_login(client):
    c = stages.cast()
    app = stages.submitted(c)
    response = client.get(file_url(app))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_file_draft_is_404_even_for_an_officer(client):
    c = stages.cast()
    draft = factories.draft_application(user=c.applicant)
    assert login(client, c.officer).get(file_url(draft)).status_code == 404


def test_file_juror_sees_other_scores_only_after_submitting_their_own(client):
    c = stages.cast()
    app = stages.scoring(c)
    scored_with(app, c.jurors[1], "Uzasadnienie jurora B.")
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    stages.services.declare(task_pk=task.pk, user=c.jurors[0], impartial=True)

    login(client, c.jurors[0])
    page = client.get(file_url(app)).content.decode()
    assert "Uzasadnienie jurora B." not in page
    assert "Score summary" not in page
    assert "after you submit your own scorecard" in page

    scored_with_task = stages.full_scores(app)
    stages.services.score(task_pk=task.pk, user=c.jurors[0], scores=scored_with_task)
    page = client.get(file_url(app)).content.decode()
    assert "Uzasadnienie jurora B." in page
    assert "Score summary" in page


def test_file_officer_sees_scorecards_during_scoring(client):
    c = stages.cast()
    app = stages.scoring(c)
    scored_with(app, c.jurors[1], "Uzasadnienie jurora B.")
    page = login(client, c.officer).get(file_url(app)).content.decode()
    assert "Uzasadnienie jurora B." in page
    assert "Only 1 scorecard of the 3 needed for a quorum." in page


def test_file_chair_sees_all_scores_and_the_outcome_rule_when_deciding(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    page = login(client, c.chair).get(file_url(app)).content.decode()
    assert page.count("Scorecard of ") == 3
    assert "80.00% of the maximum (pass threshold 60.00%)" in page
    assert "quorum met" in page
    assert "Passes" in page


def test_file_after_certificate_shows_resolution_and_certificate_link(client):
    c = stages.cast()
    certificate = stages.certified(c)
    app = certificate.application
    page = login(client, c.officer).get(file_url(app)).content.decode()
    assert app.resolutions.get().number in page
    assert "for: 3, against: 0, abstaining: 0" in page
    slug = number_to_slug(certificate.number)
    assert f'href="{reverse("certificate_detail", args=[slug])}"' in page
    assert "Certificate issued" in page
    assert "Open tasks" not in page


def test_file_chair_looks_back_at_a_refusal_they_recorded(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    resolution = stages.resolve(c, app, grant=False)
    login(client, c.chair)
    page = client.get(file_url(app)).content.decode()
    assert resolution.number in page
    assert page.count("Scorecard of ") == 3
    listing = client.get(reverse("staff_applications")).content.decode()
    assert f'href="{file_url(app)}"' in listing


REASON = "Moja siostra jest prezeską tej spółdzielni."


def recused_while_others_score(c):
    """The first juror recuses with a personal reason; the second declares impartiality."""
    app = stages.scoring(c)
    recusing, colleague = c.jurors[0], c.jurors[1]
    stages.services.declare(
        task_pk=stages.open_task(app, stages.flow.score, owner=recusing).pk,
        user=recusing,
        impartial=False,
        reason=REASON,
    )
    stages.services.declare(
        task_pk=stages.open_task(app, stages.flow.score, owner=colleague).pk,
        user=colleague,
        impartial=True,
    )
    return app


def test_file_recusal_reason_is_shown_to_officers(client):
    c = stages.cast()
    app = recused_while_others_score(c)
    page = login(client, c.officer).get(file_url(app)).content.decode()
    assert page.count(REASON) == 2  # the jurors' table and the history


def test_file_recusal_reason_is_kept_from_fellow_jurors(client):
    c = stages.cast()
    app = recused_while_others_score(c)
    page = login(client, c.jurors[1]).get(file_url(app)).content.decode()
    assert "Juror recused (conflict of interest)" in page
    assert "Recused" in page
    assert REASON not in page


def decided_without_the_recused_chair(c):
    """The chair sat on the jury for this one, recused; the other three scored."""
    app = stages.awaiting_jury(c)
    stages.services.assign_jury(
        task_pk=stages.open_task(app, stages.flow.assign_jury).pk,
        user=c.officer,
        jurors=[c.chair, *c.jurors],
    )
    stages.services.declare(
        task_pk=stages.open_task(app, stages.flow.score, owner=c.chair).pk,
        user=c.chair,
        impartial=False,
        reason=REASON,
    )
    for juror in c.jurors:
        stages.score_as(app, juror)
    return app


def test_file_chair_who_recused_neither_sees_nor_records_the_resolution(client):
    c = stages.cast()
    app = decided_without_the_recused_chair(c)
    task = stages.open_task(app, stages.flow.resolution)
    login(client, c.chair)
    assert client.get(file_url(app)).status_code == 404
    assert client.get(reverse("staff_task", args=[task.pk])).status_code == 404
    stages.resolve(c, app, by=c.officer)
    assert client.get(file_url(app)).status_code == 404
    assert (
        f'href="{file_url(app)}"' not in client.get(reverse("staff_applications")).content.decode()
    )


def test_file_chair_looks_back_only_at_resolutions_they_recorded(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    stages.resolve(c, app, by=c.officer)
    assert login(client, c.chair).get(file_url(app)).status_code == 404


def test_file_recusal_reason_is_kept_from_the_chair_deciding(client):
    c = stages.cast()
    app = recused_while_others_score(c)
    stages.services.score(
        task_pk=stages.open_task(app, stages.flow.score, owner=c.jurors[1]).pk,
        user=c.jurors[1],
        scores=stages.full_scores(app),
    )
    stages.score_as(app, c.jurors[2])
    newcomer = factories.juror()
    stages.services.assign_jury(
        task_pk=stages.open_task(app, stages.flow.assign_jury).pk, user=c.officer, jurors=[newcomer]
    )
    stages.score_as(app, newcomer)
    stages.open_task(app, stages.flow.resolution)  # the quorum is met: the chair has a file to read
    page = login(client, c.chair).get(file_url(app)).content.decode()
    assert "Recused" in page
    assert REASON not in page
