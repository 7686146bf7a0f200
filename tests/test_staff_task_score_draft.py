"""The scorecard's draft and its *Check your answers* step: only the last button is final."""

import pytest

from certification.choices import ApplicationStatus
from certification.domain.jury import application_summary
from certification.models import Scorecard, ScorecardDraft

from . import stages
from .test_staff_task_score import declared, quality_of, scorecard_data, url
from .web import login, main_part

pytestmark = pytest.mark.django_db


def test_empty_scorecard_errors_name_each_criterion_and_item_once(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = declared(client, app, c.jurors[0])
    page = client.post(url(task), {"step": "check"}).content.decode()
    summary = page.split('role="alert"', 1)[1].split("</div>", 1)[0]
    links = [line for line in summary.splitlines() if "<li><a href=" in line]
    assert len(links) == 2 * len(stages.score_keys(app)) and len(set(links)) == len(links)
    quality, item = quality_of(app)
    assert (
        f'href="#id_points_{quality.pk}_{item.pk}">Points for “{quality.name} ({item.name})”'
        in (summary)
    )
    assert "<li><a" in summary and "Points: " not in summary
    assert not ScorecardDraft.objects.exists()


def test_a_draft_is_kept_for_the_juror_and_counts_nowhere(client):
    c = stages.cast()
    app = stages.scoring(c)
    for juror in c.jurors[1:]:
        stages.score_as(app, juror)
    quality, item = quality_of(app)
    task = declared(client, app, c.jurors[0])
    field = f"points_{quality.pk}_{item.pk}"
    # Half filled in, one score out of range: a draft keeps it as typed, nothing is checked.
    response = client.post(
        url(task),
        {"step": "draft", field: "99", "comment": "Do dokończenia."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url(task)
    page = main_part(response.content.decode())
    assert "Your draft has been saved. Nobody else can see it" in page
    assert f'name="{field}" value="99"' in page
    assert "Do dokończenia.</textarea>" in page
    draft = ScorecardDraft.objects.get(assignment__juror=c.jurors[0])
    assert draft.data == {field: "99", "comment": "Do dokończenia."}
    # Still scoring: the draft is no scorecard, the task is open, the summary does not see it.
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SCORING
    assert not Scorecard.objects.filter(assignment__juror=c.jurors[0]).exists()
    assert stages.open_task(app, stages.flow.score, owner=c.jurors[0]).pk == task.pk
    summary = application_summary(app)
    assert summary.scorecards == len(c.jurors) - 1


def test_check_your_answers_shows_everything_and_submits_nothing(client):
    c = stages.cast()
    app = stages.scoring(c)
    quality, item = quality_of(app)
    task = declared(client, app, c.jurors[0])
    data = scorecard_data(app, step="check")
    data[f"justification_{quality.pk}_{item.pk}"] = "Listy polecające od trzech gmin."
    response = client.post(url(task), data)
    assert response.status_code == 200
    page = main_part(response.content.decode())
    assert "<h2>Check your answers</h2>" in page
    assert f"Product or service: {item.name}" in page
    assert f"{quality.max_points - 1} of {quality.max_points} points" in page
    assert "Listy polecające od trzech gmin." in page
    assert "Wniosek staranny." in page
    assert f'href="{url(task)}#id_points_{quality.pk}_{item.pk}"' in page
    assert 'name="step" value="submit"' in page
    assert not Scorecard.objects.exists()
    # The answers are kept as a draft: "Change" finds them filled in.
    again = client.get(url(task)).content.decode()
    assert "Listy polecające od trzech gmin." in again
    assert "Your draft saved on" in again
    # The final button submits what was shown, and the draft is gone.
    hidden = {
        part.split('name="')[1].split('"')[0]: part.split('value="')[1].split('"')[0]
        for part in page.split('<input type="hidden"')[1:]
    }
    hidden.pop("csrfmiddlewaretoken")
    hidden["step"] = "submit"
    client.post(url(task), hidden)
    card = Scorecard.objects.get(assignment__juror=c.jurors[0])
    assert card.scores.get(criterion=quality, item=item).justification == (
        "Listy polecające od trzech gmin."
    )
    assert not ScorecardDraft.objects.exists()


def test_a_post_that_names_no_step_is_only_checked(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = declared(client, app, c.jurors[0])
    data = scorecard_data(app)
    del data["step"]
    response = client.post(url(task), data)
    assert "<h2>Check your answers</h2>" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_a_draft_is_404_for_another_juror(client):
    c = stages.cast()
    app = stages.scoring(c)
    task = declared(client, app, c.jurors[0])
    client.logout()
    response = login(client, c.jurors[1]).post(url(task), {"step": "draft", "comment": "Obcy."})
    assert response.status_code == 404
    assert not ScorecardDraft.objects.exists()
