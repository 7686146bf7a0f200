"""The juror's task page: impartiality declaration first, then the scorecard on the same URL."""

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus, CriterionScope, Declaration
from certification.domain import criteria
from certification.models import Criterion, JurorAssignment, Scorecard

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return reverse("staff_task", args=[task.pk])


def assignment(app, juror) -> JurorAssignment:
    return JurorAssignment.objects.get(application=app, juror=juror)


def suffix(criterion, item=None) -> str:
    return f"{criterion.pk}" if item is None else f"{criterion.pk}_{item.pk}"


def scorecard_data(app, justification="Dobra jakość, potwierdzona listami.", **override) -> dict:
    data = {"comment": "Wniosek staranny.", "step": "submit"}
    for c, item in stages.score_keys(app):
        data[f"points_{suffix(c, item)}"] = c.max_points - 1
        data[f"justification_{suffix(c, item)}"] = justification
    data.update(override)
    return data


def quality_of(app):
    """The quality criterion, scored per item, and the application's second item."""
    return Criterion.objects.get(position=0, scope=CriterionScope.ITEM), app.items.last()


def declared(client, app, juror):
    task = stages.open_task(app, stages.flow.score, owner=juror)
    login(client, juror).post(url(task), {"declaration": "impartial"})
    return task


def test_score_page_asks_for_the_declaration_before_showing_the_application(client):
    c = stages.cast()
    app = stages.scoring(c)
    response = login(client, c.jurors[0]).get(
        url(stages.open_task(app, stages.flow.score, c.jurors[0]))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Impartiality declaration: " in page
    assert app.organization.name in page
    assert 'type="radio" name="declaration" value="impartial"' in page
    # Nothing of the application itself yet: no questionnaire, no items, no documents.
    assert "Zatrudniamy osoby wychodzące z bezdomności." not in page
    assert "Catering „Smaczne 0”" not in page
    assert "statute.pdf" not in page


@pytest.mark.parametrize(
    "who", ["other_assigned_juror", "unassigned_juror", "officer", "applicant"]
)
def test_score_page_is_404_for_anyone_but_the_assigned_juror(client, who):
    c = stages.cast()
    app = stages.scoring(c)
    user = {
        "other_assigned_juror": c.jurors[1],
        "unassigned_juror": factories.juror(),
        "officer": c.officer,
        "applicant": c.applicant,
    }[who]
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    assert login(client, user).get(url(task)).status_code == 404
    assert client.post(url(task), {"declaration": "impartial"}).status_code == 404
    assert assignment(app, c.jurors[0]).declaration == Declaration.PENDING


def test_declaring_impartial_opens_the_scorecard_on_the_same_page(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    response = login(client, c.jurors[0]).post(url(task), {"declaration": "impartial"}, follow=True)
    assert response.redirect_chain[-1][0] == url(task)
    page = response.content.decode()
    assert "You can now read the application and score it." in page
    assert "Zatrudniamy osoby wychodzące z bezdomności." in page
    assert "statute.pdf" in page
    # What the declaration page held back (test above) is all shown now: the list of items too,
    # not only the documents' table, which names each item's recommendation letters.
    assert "<strong>Catering „Smaczne 0”</strong>" in page
    quality, item = quality_of(app)
    assert f'name="points_{quality.pk}_{item.pk}" min="0" max="10"' in page
    assert f'name="justification_{quality.pk}_{item.pk}"' in page
    assert assignment(app, c.jurors[0]).declaration == Declaration.IMPARTIAL


def test_recusal_needs_a_reason(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    response = login(client, c.jurors[0]).post(url(task), {"declaration": "conflict"})
    assert response.status_code == 200
    assert "Describe the conflict of interest." in response.content.decode()
    assert assignment(app, c.jurors[0]).declaration == Declaration.PENDING


def test_recusal_closes_the_jurors_task(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = stages.open_task(app, stages.flow.score, owner=c.jurors[0])
    response = login(client, c.jurors[0]).post(
        url(task), {"declaration": "conflict", "reason": "Pracuję w tej spółdzielni."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("staff_inbox")
    assert f"You have recused yourself from scoring {app.number}." in response.content.decode()
    a = assignment(app, c.jurors[0])
    assert (a.declaration, a.recusal_reason) == (Declaration.RECUSED, "Pracuję w tej spółdzielni.")
    # Having recused, they may not see the application at all, so not even its closed task.
    assert client.get(url(task)).status_code == 404


def test_scorecard_page_never_shows_other_jurors_scores(client):
    c = stages.cast()
    app = stages.scoring(c)
    other = stages.open_task(app, stages.flow.score, owner=c.jurors[1])
    stages.services.declare(task_pk=other.pk, user=c.jurors[1], impartial=True)
    scores = {pk: (p, "Ocena jurora B.") for pk, (p, _j) in stages.full_scores(app).items()}
    stages.services.score(task_pk=other.pk, user=c.jurors[1], scores=scores)
    task = declared(client, app, c.jurors[0])
    page = client.get(url(task)).content.decode()
    assert "Your scorecard" in page
    assert "Ocena jurora B." not in page


def test_submitting_the_scorecard_completes_the_task(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = declared(client, app, c.jurors[0])
    response = client.post(url(task), scorecard_data(app), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_inbox")
    assert f"Your scorecard for {app.number} has been submitted." in response.content.decode()
    card = Scorecard.objects.get(assignment__application=app, assignment__juror=c.jurors[0])
    assert card.comment == "Wniosek staranny."
    assert card.scores.count() == len(stages.score_keys(app))
    quality, item = quality_of(app)
    assert card.scores.get(criterion=quality, item=item).points == quality.max_points - 1
    # Opened again (Back, a bookmark): the juror lands on the file they may now read.
    again = client.get(url(task))
    assert again.status_code == 302
    assert again["Location"] == reverse("staff_application", args=[app.pk])


def test_last_scorecard_moves_the_application_to_the_decision(client):
    c = stages.cast()
    app = stages.scoring(c)
    for juror in c.jurors[1:]:
        stages.score_as(app, juror)
    task = declared(client, app, c.jurors[0])
    client.post(url(task), scorecard_data(app))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DECISION
    assert stages.open_nodes(app) == [stages.flow.resolution]


def test_score_out_of_range_changes_nothing(client):
    c = stages.cast()
    app = stages.scoring(c)
    quality, item = quality_of(app)
    task = declared(client, app, c.jurors[0])
    field = f"points_{quality.pk}_{item.pk}"
    response = client.post(url(task), scorecard_data(app, **{field: 11}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    # The error summary says which criterion of which item, and links to its field.
    assert (
        f'<a href="#id_{field}">Points for “{quality.name} ({item.name})”: '
        "Ensure this value is less than or equal to 10.</a>"
    ) in page
    assert f'id="id_{field}_error">Ensure this value is less than or equal to 10.' in page
    assert not Scorecard.objects.filter(assignment__application=app).exists()
    assert stages.open_task(app, stages.flow.score, owner=c.jurors[0]).pk == task.pk


def test_score_without_justification_changes_nothing(client):
    c = stages.cast()
    app = stages.scoring(c)
    quality, item = quality_of(app)
    task = declared(client, app, c.jurors[0])
    field = f"justification_{quality.pk}_{item.pk}"
    response = client.post(url(task), scorecard_data(app, **{field: ""}))
    assert response.status_code == 200
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Scorecard.objects.filter(assignment__application=app).exists()


def test_scorecard_asks_organisation_criteria_once_and_item_criteria_for_each_item(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = declared(client, app, c.jurors[0])
    page = main_part(client.get(url(task)).content.decode())
    scorecard = page.split('<h2 id="scorecard">', 1)[1]
    organisation, *per_item = scorecard.split('<fieldset class="panel" id="score-item-')
    for criterion in Criterion.objects.filter(active=True, scope=CriterionScope.ORGANIZATION):
        assert organisation.count(f"<legend>{criterion.name}</legend>") == 1
        assert f'name="points_{criterion.pk}"' in organisation
    items = list(app.items.all())
    assert len(per_item) == len(items)
    item_criteria = Criterion.objects.filter(active=True, scope=CriterionScope.ITEM)
    for item, section in zip(items, per_item, strict=True):
        assert f"<legend>Product or service: {item.name}</legend>" in section
        assert "Catering na spotkania i konferencje." in section  # its description
        # Its own recommendation letters, not the other item's.
        n = items.index(item)
        assert f"rekomendacja-{n}-0.pdf" in section
        assert f"rekomendacja-{1 - n}-0.pdf" not in section
        for criterion in item_criteria:
            assert f"<legend>{criterion.name}</legend>" in section
            assert f'<label for="id_points_{criterion.pk}_{item.pk}">Points' in section


def test_scorecard_uses_the_criteria_of_its_round_not_a_version_put_in_force_later(client):
    c = stages.cast()
    app = stages.scoring(c)
    draft = criteria.new_version(user=c.officer, note="Więcej kryteriów.")
    added = Criterion.objects.create(version=draft, name_pl="Innowacyjność", max_points=5)
    criteria.put_in_force(version=draft, user=c.officer)

    task = declared(client, app, c.jurors[0])
    page = client.get(url(task)).content.decode()
    assert "Innowacyjność" not in page
    response = client.post(url(task), scorecard_data(app), follow=True)
    assert f"Your scorecard for {app.number} has been submitted." in response.content.decode()
    card = Scorecard.objects.get(assignment__application=app, assignment__juror=c.jurors[0])
    assert not card.scores.filter(criterion=added).exists()
    app.refresh_from_db()
    assert app.criteria_version.number == 1
    assert {s.criterion.version_id for s in card.scores.all()} == {app.criteria_version_id}
