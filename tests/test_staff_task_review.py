"""Officer task pages before scoring: formal review and jury assignment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus, Declaration
from certification.models import Defect, DocumentType, FormalReview, JurorAssignment

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return reverse("staff_task", args=[task.pk])


def open_nodes(app) -> list:
    return stages.open_nodes(app)


# --- formal review -------------------------------------------------------------------------


def test_formal_review_page_shows_the_file_and_the_form(client):
    c = stages.cast()
    app = stages.submitted(c)
    response = login(client, c.officer).get(url(stages.open_task(app, stages.flow.formal_review)))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<title>Formal review: {app.number} ·" in page
    assert "krs_extract.pdf" in page
    assert "Nothing: every required part is there." in page
    assert 'type="radio" name="outcome" value="accept"' in page
    assert (
        '<legend>Outcome of the review <span class="required" aria-hidden="true">*</span></legend>'
        in page
    )
    # The deadline defaults to today plus the scheme's days for corrections.
    default = timezone.localdate() + datetime.timedelta(days=14)
    assert f'value="{default:%Y-%m-%d}"' in page


def test_formal_review_lists_the_formal_criteria_of_each_document_type(client):
    c = stages.cast()
    app = stages.submitted(c)
    krs = app.documents.get(original_name="krs_extract.pdf").document_type
    DocumentType.objects.filter(pk=krs.pk).update(
        review_checklist="Odpis nie starszy niż 3 miesiące\n\nZgodny numer KRS\n"
    )
    page = main_part(
        login(client, c.officer)
        .get(url(stages.open_task(app, stages.flow.formal_review)))
        .content.decode()
    )
    checklist = page.split('id="checklist-title"', 1)[1].split("</section>", 1)[0]
    # The type's own list where the administrator wrote one, the general list elsewhere.
    own = checklist.split(f"<h3>{krs.name}</h3>", 1)[1].split("<h3>", 1)[0]
    assert "<li>Odpis nie starszy niż 3 miesiące</li><li>Zgodny numer KRS</li></ul>" in own
    assert "krs_extract.pdf" in own
    assert "<li>Signed by a person entitled to represent the applicant.</li>" in checklist
    assert "<li>Signed by a person entitled to represent the applicant.</li>" not in own
    # The defects and the deadline sit in the part shown only when returning.
    form = page.split('class="formal-review"', 1)[1]
    part = form.split('<div class="if-corrections" id="corrections-part">', 1)[1]
    assert 'name="defect_1"' in part and 'name="deadline"' in part
    assert 'name="defect_1"' not in form.split("if-corrections", 1)[0]


@pytest.mark.parametrize("who", ["applicant", "juror", "chair"])
def test_formal_review_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.submitted(c)
    user = {"applicant": c.applicant, "juror": c.jurors[0], "chair": c.chair}[who]
    assert (
        login(client, user).get(url(stages.open_task(app, stages.flow.formal_review))).status_code
        == 404
    )


def test_formal_review_anonymous_is_sent_to_login(client):
    c = stages.cast()
    app = stages.submitted(c)
    response = client.get(url(stages.open_task(app, stages.flow.formal_review)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_formal_review_accept_moves_to_jury_assignment(client):
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    response = login(client, c.officer).post(url(task), {"outcome": "accept"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_inbox")
    assert f"Formal review of {app.number} recorded: accepted." in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.JURY_ASSIGNMENT
    assert app.complete_at is not None
    assert open_nodes(app) == [stages.flow.assign_jury]


def test_formal_review_corrections_records_defects_tied_to_documents(client):
    c = stages.cast()
    app = stages.submitted(c)
    statute = app.documents.get(original_name="statute.pdf")
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.formal_review)),
        {
            "outcome": "corrections",
            "defect_1": "Statut bez podpisów.",
            "defect_1_document": statute.pk,
            "defect_2": "Brak daty w ankiecie.",
            "deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.CORRECTIONS
    assert app.corrections_deadline == deadline
    defects = list(Defect.objects.filter(review__application=app).order_by("pk"))
    assert [(d.description, d.document_id) for d in defects] == [
        ("Statut bez podpisów.", statute.pk),
        ("Brak daty w ankiecie.", None),
    ]
    assert open_nodes(app) == [stages.flow.corrections]


def test_formal_review_corrections_without_defect_changes_nothing(client):
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    response = login(client, c.officer).post(url(task), {"outcome": "corrections"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "List at least one defect for the applicant to correct." in page
    # The summary links to the first defect line.
    assert 'href="#id_defect_1"' in page
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert not FormalReview.objects.filter(application=app).exists()
    assert open_nodes(app) == [stages.flow.formal_review]


def test_formal_review_rejection_needs_a_reason(client):
    c = stages.cast()
    app = stages.submitted(c)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.formal_review)), {"outcome": "reject", "note": "  "}
    )
    assert response.status_code == 200
    assert "Give the reason for the formal rejection." in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_formal_review_without_outcome_links_the_summary_to_the_first_radio(client):
    c = stages.cast()
    app = stages.submitted(c)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.formal_review)), {}
    )
    page = response.content.decode()
    assert 'href="#id_outcome_0"' in page
    assert 'id="id_outcome_0"' in page


def test_formal_review_posted_twice_says_someone_else_did_it(client):
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    login(client, c.officer).post(url(task), {"outcome": "accept"})
    response = client.post(url(task), {"outcome": "reject", "note": "Nie."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_inbox")
    assert "This task has already been completed by someone else." in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.JURY_ASSIGNMENT
    assert FormalReview.objects.filter(application=app).count() == 1


# --- jury assignment -----------------------------------------------------------------------


def test_assign_jury_page_lists_active_jurors_as_checkboxes(client):
    c = stages.cast()
    app = stages.awaiting_jury(c)
    response = login(client, c.officer).get(url(stages.open_task(app, stages.flow.assign_jury)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Assign at least 3 more jurors." in page
    for juror in [*c.jurors, c.chair]:
        assert f'type="checkbox" name="jurors" value="{juror.pk}"' in page
    assert f"{c.chair.get_full_name()} (chair)" in page
    assert "<legend>Jurors to assign</legend>" in page


@pytest.mark.parametrize("who", ["applicant", "juror", "chair"])
def test_assign_jury_page_is_404_for_others(client, who):
    c = stages.cast()
    app = stages.awaiting_jury(c)
    user = {"applicant": c.applicant, "juror": c.jurors[0], "chair": c.chair}[who]
    assert (
        login(client, user).get(url(stages.open_task(app, stages.flow.assign_jury))).status_code
        == 404
    )


def test_assign_jury_creates_one_scoring_task_per_juror(client):
    c = stages.cast()
    app = stages.awaiting_jury(c)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.assign_jury)), {"jurors": [j.pk for j in c.jurors]}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SCORING
    assert open_nodes(app) == [stages.flow.score] * 3
    owners = {t.owner_id for t in stages.tasks_of(app, stages.flow.score, open_only=True)}
    assert owners == {j.pk for j in c.jurors}


def test_assign_jury_too_few_changes_nothing(client):
    c = stages.cast()
    app = stages.awaiting_jury(c)
    response = login(client, c.officer).post(
        url(stages.open_task(app, stages.flow.assign_jury)), {"jurors": [c.jurors[0].pk]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Assign at least 3 more jurors." in page
    assert 'href="#id_jurors_0"' in page
    assert not JurorAssignment.objects.filter(application=app).exists()
    assert open_nodes(app) == [stages.flow.assign_jury]


def test_assign_jury_second_round_shows_recusals_and_offers_only_new_jurors(client):
    c = stages.cast()
    app = stages.scoring(c)
    for juror in c.jurors[:2]:
        task = stages.open_task(app, stages.flow.score, owner=juror)
        stages.services.declare(
            task_pk=task.pk, user=juror, impartial=False, reason="Jestem członkiem zarządu."
        )
    stages.score_as(app, c.jurors[2])
    app.refresh_from_db()
    assert app.status == ApplicationStatus.JURY_ASSIGNMENT
    newcomer = factories.juror()

    task = stages.open_task(app, stages.flow.assign_jury)
    page = login(client, c.officer).get(url(task)).content.decode()
    assert "Assign at least 2 more jurors." in page
    assert "recused themselves" in page
    assert "Jestem członkiem zarządu." in page
    for juror in c.jurors:
        assert f'name="jurors" value="{juror.pk}"' not in page
    assert f'name="jurors" value="{newcomer.pk}"' in page

    client.post(url(task), {"jurors": [newcomer.pk, c.chair.pk]})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SCORING
    pending = JurorAssignment.objects.filter(application=app, declaration=Declaration.PENDING)
    assert {a.juror_id for a in pending} == {newcomer.pk, c.chair.pk}


def test_formal_review_shows_the_rule_between_answers_with_a_field_error_at_once(client):
    # A rejection without its reason and an unreadable deadline: both messages on the first
    # sending (the reason used to appear only once the date was put right).
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    response = login(client, c.officer).post(
        url(task), {"outcome": "reject", "note": "  ", "deadline": "not a date"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["note"] == ["Give the reason for the formal rejection."]
    assert form.errors["deadline"] == ["Enter a valid date."]
    page = response.content.decode()
    assert 'href="#id_note">Note: Give the reason for the formal rejection.' in page
    assert not FormalReview.objects.filter(application=app).exists()


def test_formal_review_corrections_without_defects_and_a_past_deadline_both_told(client):
    c = stages.cast()
    app = stages.submitted(c)
    task = stages.open_task(app, stages.flow.formal_review)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(client, c.officer).post(
        url(task), {"outcome": "corrections", "deadline": f"{yesterday:%Y-%m-%d}"}
    )
    form = response.context["form"]
    assert form.errors["defect_1"] == ["List at least one defect for the applicant to correct."]
    assert form.errors["deadline"] == ["The corrections deadline must be in the future."]
    assert not FormalReview.objects.filter(application=app).exists()
