"""A scoring round keeps the criteria in force when it started; editing makes a new version,
and a version in force or used is never edited (in the domain or the admin)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from certification.choices import CriterionScope
from certification.domain import criteria
from certification.domain.errors import DomainError
from certification.domain.jury import application_summary
from certification.models import AuditEvent, CriteriaVersion, Criterion, SchemeRules

from . import stages
from .admin_forms import form_data
from .web import login, main_part

pytestmark = pytest.mark.django_db


def section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def file_page(client, user, application) -> str:
    response = login(client, user).get(reverse("staff_application", args=[application.pk]))
    assert response.status_code == 200
    return main_part(response.content.decode())


def figures(application) -> list:
    summary = application_summary(application)
    return [
        (i.item.name, [(s.criterion.name_pl, s.mean, s.median) for s in i.criteria], i.passes)
        for i in summary.items
    ] + [summary.suggested_outcome]


def changed_version(user) -> CriteriaVersion:
    """Version 2 in force: quality out of 20 and per organisation, a new criterion added."""
    draft = criteria.new_version(user=user, note="Nowa skala jakości.")
    quality = draft.criteria.get(position=0)
    quality.max_points, quality.scope = 20, CriterionScope.ORGANIZATION
    quality.name_pl = "Jakość (skala 20)"
    quality.save()
    Criterion.objects.create(
        version=draft, name_pl="Innowacyjność", max_points=5, scope=CriterionScope.ITEM, position=9
    )
    return criteria.put_in_force(version=draft, user=user)


def test_a_scored_application_keeps_its_version_and_a_new_round_takes_the_new_one(client):
    c = stages.cast()
    scored = stages.awaiting_decision(c)
    stages.open_task(scored, stages.flow.resolution)
    before = figures(scored)
    page = file_page(client, c.chair, scored)
    summary_before = section(page, 'id="score-summary-title"', 'id="decision-title"')
    cards_before = section(page, 'id="jury-title"', 'id="score-summary-title"')

    version = changed_version(c.officer)

    assert figures(scored) == before
    page = file_page(client, c.chair, scored)
    assert section(page, 'id="score-summary-title"', 'id="decision-title"') == summary_before
    assert section(page, 'id="jury-title"', 'id="score-summary-title"') == cards_before
    assert "Innowacyjność" not in page
    scored.refresh_from_db()
    assert scored.criteria_version.number == 1

    fresh = stages.scoring(stages.cast())
    fresh.refresh_from_db()
    assert fresh.criteria_version == version
    keys = stages.score_keys(fresh)
    assert {c.name_pl for c, _item in keys} >= {"Jakość (skala 20)", "Innowacyjność"}
    juror = fresh.assignments.first().juror
    task = stages.open_task(fresh, stages.flow.score, owner=juror)
    stages.services.declare(task_pk=task.pk, user=juror, impartial=True)
    page = login(client, juror).get(reverse("staff_task", args=[task.pk])).content.decode()
    assert "Innowacyjność" in page
    quality = version.criteria.get(position=0)
    assert f'name="points_{quality.pk}" min="0" max="20"' in page


def test_a_round_under_way_keeps_its_version_when_another_is_put_in_force():
    c = stages.cast()
    application = stages.scoring(c)
    stages.score_as(application, c.jurors[0])
    changed_version(c.officer)
    # The jurors still to score are asked the round's criteria: the same keys as the first.
    stages.score_as(application, c.jurors[1])
    stages.score_as(application, c.jurors[2])
    summary = application_summary(application)
    assert summary.quorum_met
    assert all(s.criterion.version.number == 1 for i in summary.items for s in i.criteria)


def test_a_new_version_is_a_draft_copying_the_one_in_force():
    c = stages.cast()
    old = criteria.current_version()
    draft = criteria.new_version(user=c.officer, note="Poprawki.")
    assert draft.number == old.number + 1 and draft.in_force_from is None
    assert criteria.current_version() == old
    fields = [
        "name_pl",
        "name_en",
        "description_pl",
        "description_en",
        "scope",
        "max_points",
        "weight",
        "minimum_average",
        "position",
    ]
    assert list(draft.criteria.values_list(*fields)) == list(old.criteria.values_list(*fields))
    assert criteria.is_editable(draft) and not criteria.is_editable(old)
    event = AuditEvent.objects.get(action="criteria.version_created")
    assert (event.actor, event.details["version"]) == (c.officer, draft.number)


def test_only_one_draft_and_a_version_goes_in_force_once():
    c = stages.cast()
    draft = criteria.new_version(user=c.officer)
    with translation.override("en"), pytest.raises(DomainError, match="is a draft"):
        criteria.new_version(user=c.officer)
    criteria.put_in_force(version=draft, user=c.officer)
    with translation.override("en"), pytest.raises(DomainError, match="already been put in"):
        criteria.put_in_force(version=draft, user=c.officer)
    assert criteria.current_version() == draft
    assert AuditEvent.objects.filter(action="criteria.version_in_force").count() == 1


def test_a_version_without_criteria_cannot_be_put_in_force():
    c = stages.cast()
    draft = criteria.new_version(user=c.officer)
    draft.criteria.update(active=False)
    with translation.override("en"), pytest.raises(DomainError, match="without a criterion"):
        criteria.put_in_force(version=draft, user=c.officer)
    assert CriteriaVersion.objects.get(pk=draft.pk).in_force_from is None


# --- the admin -----------------------------------------------------------------------------


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model) -> str:
    return reverse(f"admin:certification_{model._meta.model_name}_changelist")


def test_version_in_force_and_its_criteria_are_read_only_in_the_admin(admin_client):
    version = criteria.current_version()
    page = admin_client.get(change_url(version)).content.decode()
    assert "criteria-0-name_pl" not in page  # no inline inputs
    assert version.criteria.first().name in page
    assert admin_client.post(change_url(version), {"note": "x"}).status_code == 403

    criterion = version.criteria.first()
    page = admin_client.get(change_url(criterion)).content.decode()
    assert 'name="max_points"' not in page and 'name="name_pl"' not in page
    admin_client.post(change_url(criterion), {"max_points": 50, "name_pl": "Inna"})
    criterion.refresh_from_db()
    assert criterion.max_points != 50 and criterion.name_pl != "Inna"
    assert (
        admin_client.post(
            reverse("admin:certification_criterion_delete", args=[criterion.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_english_wording_of_a_criterion_in_force_is_translated_in_the_admin(
    admin_client, admin_user
):
    """A translation does not change what is scored: only the English fields are offered."""
    criterion = criteria.current_version().criteria.order_by("position").first()
    page = admin_client.get(change_url(criterion)).content.decode()
    assert 'name="name_en"' in page and 'name="description_en"' in page
    assert 'name="name_pl"' not in page and 'name="weight"' not in page
    data = form_data(
        page, _save="Save", name_en="Quality", description_en="What the product is worth."
    )
    assert admin_client.post(change_url(criterion), data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name_pl, criterion.name_en) == ("Jakość produktu lub usługi", "Quality")
    event = AuditEvent.objects.filter(action="admin.changed").latest("pk")
    assert event.actor == admin_user
    assert set(event.details["changes"]) == {"name_en", "description_en"}


def test_admin_makes_a_draft_edits_it_inline_and_puts_it_in_force(admin_client, admin_user):
    old = criteria.current_version()
    response = admin_client.post(
        changelist(CriteriaVersion),
        {"action": "make_new_version", "_selected_action": [old.pk]},
    )
    draft = CriteriaVersion.objects.get(number=old.number + 1)
    assert response.status_code == 302 and response["Location"] == change_url(draft)

    page = admin_client.get(change_url(draft)).content.decode()
    first = draft.criteria.order_by("position", "pk").first()
    row = next(
        m.group(1)
        for m in re.finditer(r'name="criteria-(\d+)-id" value="(\d+)"', page)
        if m.group(2) == str(first.pk)
    )
    data = form_data(page, _save="Save", **{f"criteria-{row}-max_points": "12"})
    response = admin_client.post(change_url(draft), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert first.max_points == 12
    event = AuditEvent.objects.filter(action="admin.changed").latest("pk")
    assert event.actor == admin_user
    assert event.details["model"] == "certification.criterion"
    assert event.details["changes"] == {"max_points": {"before": 10, "after": 12}}

    admin_client.post(
        changelist(CriteriaVersion), {"action": "put_in_force", "_selected_action": [draft.pk]}
    )
    assert criteria.current_version() == draft
    assert AuditEvent.objects.get(action="criteria.version_in_force").actor == admin_user
    # In force now: read-only like every version before it.
    assert admin_client.post(change_url(draft), data).status_code == 403


def test_admin_adding_a_criterion_offers_only_a_draft_version(admin_client):
    page = admin_client.get(reverse("admin:certification_criterion_add")).content.decode()
    assert f'<option value="{criteria.current_version().pk}"' not in page
    draft = criteria.new_version(user=None)
    page = admin_client.get(reverse("admin:certification_criterion_add")).content.decode()
    assert f'<option value="{draft.pk}"' in page


def test_outlier_points_are_edited_in_the_admin_and_audited(admin_client):
    rules = SchemeRules.current()
    url = change_url(rules)
    page = admin_client.get(url).content.decode()
    assert 'name="outlier_points"' in page
    assert admin_client.post(url, form_data(page, outlier_points="4")).status_code == 302
    assert SchemeRules.current().outlier_points == 4
    event = AuditEvent.objects.filter(action="admin.changed").latest("pk")
    assert event.details["changes"] == {"outlier_points": {"before": 2, "after": 4}}


def test_criteria_admin_is_registered_audited():
    from certification.admin_audit import AuditedAdmin

    assert isinstance(admin.site._registry[CriteriaVersion], AuditedAdmin)
    assert isinstance(admin.site._registry[Criterion], AuditedAdmin)


def test_a_read_only_version_page_offers_making_a_new_version_from_it(admin_client):
    old = criteria.current_version()
    page = admin_client.get(change_url(old)).content.decode()
    assert '<option value="make_new_version">' in page
    response = admin_client.post(
        change_url(old), {"CHANGE_FORM-action": "make_new_version", "_selected_action": [old.pk]}
    )
    draft = CriteriaVersion.objects.get(number=old.number + 1)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert draft.criteria.count() == old.criteria.count()
