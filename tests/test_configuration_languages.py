"""Document types and criteria are configured in the database in Polish and English (issue 11:
English pages showed the Polish names and help texts). English pages show the English wording,
Polish pages the Polish, and an English page falls back to Polish when no English was written."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from certification.models import Criterion, DocumentType

from . import stages
from .test_staff_task_score import declared, url
from .web import login, main_part

pytestmark = pytest.mark.django_db

_migration = importlib.import_module("certification.migrations.0023_translated_configuration")


def polish(client):
    client.cookies["django_language"] = "pl"
    return client


def documents_page(client, application) -> str:
    response = client.get(reverse("application_documents", args=[application.pk]))
    assert response.status_code == 200
    return main_part(response.content.decode())


def test_the_seeded_defaults_have_both_languages():
    statute = DocumentType.objects.get(code="statute")
    assert (statute.name_pl, statute.name_en) == ("Statut", "Statute")
    quality = Criterion.objects.filter(name_pl="Jakość produktu lub usługi").first()
    assert quality.name_en == "Quality of the product or service"
    assert not Criterion.objects.filter(name_en="").exists()
    assert not DocumentType.objects.filter(name_en="").exists()
    assert not DocumentType.objects.exclude(help_text_pl="").filter(help_text_en="").exists()


def test_documents_page_in_english_shows_english_names_and_explanations(client, draft):
    page = documents_page(client, draft)
    assert ">Statute</h2>" in page
    assert "Letters from customers or partners confirming the quality" in page
    assert "Statut</h2>" not in page and "Listy od klientów" not in page


def test_documents_page_in_polish_is_unchanged(client, draft):
    page = documents_page(polish(client), draft)
    assert ">Statut</h2>" in page
    assert "Listy od klientów lub partnerów potwierdzające jakość" in page
    assert ">Statute</h2>" not in page


def test_english_page_falls_back_to_polish_where_no_english_was_written(client, draft):
    DocumentType.objects.filter(code="statute").update(
        name_pl="Statut spółdzielni", name_en="", help_text_en="  "
    )
    page = documents_page(client, draft)
    assert ">Statut spółdzielni</h2>" in page
    assert "Statut lub umowa obowiązujące obecnie." in page  # blank English: the Polish text


def test_check_your_answers_names_missing_documents_in_each_language(client, draft):
    check = reverse("application_check", args=[draft.pk])
    assert "Attach: Statute." in client.get(check).content.decode()
    assert "Dołącz: Statut." in polish(client).get(check).content.decode()


def test_scorecard_shows_criteria_in_the_jurors_language(client):
    c = stages.cast()
    app = stages.scoring(c)
    app.refresh_from_db()
    quality = Criterion.objects.get(version=app.criteria_version, position=0)
    Criterion.objects.filter(pk=quality.pk).update(
        description_pl="Czy klienci są zadowoleni.", description_en="Are the customers satisfied."
    )
    task = declared(client, app, c.jurors[0])
    page = main_part(client.get(url(task)).content.decode())
    assert "<legend>Quality of the product or service</legend>" in page
    assert "Are the customers satisfied." in page
    assert "Jakość produktu lub usługi" not in page and "Czy klienci" not in page

    page = main_part(polish(client).get(url(task)).content.decode())
    assert "<legend>Jakość produktu lub usługi</legend>" in page
    assert "Czy klienci są zadowoleni." in page


def test_score_summary_in_english_names_criteria_in_english(client):
    c = stages.cast()
    app = stages.awaiting_decision(c)
    page = login(client, c.officer).get(reverse("staff_application", args=[app.pk]))
    html = main_part(page.content.decode())
    assert "Economic stability" in html and "Stabilność ekonomiczna" not in html


def test_admin_edits_both_languages_of_a_document_type(admin_client):
    page = admin_client.get(reverse("admin:certification_documenttype_add")).content.decode()
    for field in ("name_pl", "name_en", "help_text_pl", "help_text_en"):
        assert f'name="{field}"' in page
    assert "Nazwa (po polsku)" in page and "Nazwa (po angielsku)" in page
    changelist = admin_client.get(reverse("admin:certification_documenttype_changelist"))
    assert "Statute" in changelist.content.decode() and "Statut" in changelist.content.decode()


def test_admin_edits_both_languages_of_a_draft_criterion(admin_client):
    from certification.domain import criteria

    draft = criteria.new_version(user=None)
    change = reverse("admin:certification_criteriaversion_change", args=[draft.pk])
    page = admin_client.get(change).content.decode()
    for field in ("name_pl", "name_en", "description_pl", "description_en"):
        assert re.search(rf'name="criteria-0-{field}"', page), field


def test_migration_fills_english_only_where_the_polish_is_still_the_seeded_one():
    DocumentType.objects.update(name_en="", help_text_en="")
    Criterion.objects.update(name_en="")
    DocumentType.objects.filter(code="statute").update(name_pl="Statut lub umowa")
    DocumentType.objects.filter(code="photo").update(name_en="Pictures")
    _migration.fill_english(apps, None)

    statute = DocumentType.objects.get(code="statute")
    assert statute.name_en == ""  # renamed by an administrator: left to them to translate
    assert statute.help_text_en == "The statute or articles of association currently in force."
    assert DocumentType.objects.get(code="photo").name_en == "Pictures"  # never overwritten
    assert DocumentType.objects.get(code="other").name_en == "Other document"
    assert not Criterion.objects.filter(name_en="").exists()


def test_the_property_follows_the_active_language():
    statute = DocumentType.objects.get(code="statute")
    with translation.override("en"):
        assert statute.name == str(statute) == "Statute"
    with translation.override("pl"):
        assert statute.name == "Statut"
