"""Applicant pages that do not touch the workflow: organisation profile, drafts, documents."""

from django.urls import path

from .views import (
    applicant,
    applicant_check,
    applicant_detail,
    applicant_documents,
    applicant_editor,
    applicant_item_edit,
    applicant_location,
    applicant_members,
    applicant_organization,
    applicant_renewal,
    applicant_scope,
    files,
)

urlpatterns = [
    path("", applicant.my_applications, name="my_applications"),
    path(
        "organizacje/nowa/",
        applicant_organization.organization_create,
        name="organization_create",
    ),
    path(
        "organizacje/<int:pk>/",
        applicant_organization.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizacje/<int:pk>/lokalizacja/",
        applicant_location.organization_location,
        name="organization_location",
    ),
    path(
        "organizacje/<int:pk>/czlonkowie/",
        applicant_members.members,
        name="organization_members",
    ),
    path(
        "organizacje/<int:pk>/zaproszenia/<int:invitation_pk>/anuluj/",
        applicant_members.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "organizacje/<int:organization_pk>/nowy-wniosek/",
        applicant.application_create,
        name="application_create",
    ),
    path("wnioski/<int:pk>/", applicant_detail.application_detail, name="application_detail"),
    path("wnioski/<int:pk>/edycja/", applicant_editor.task_list, name="application_edit"),
    path(
        "wnioski/<int:pk>/ankieta/",
        applicant_editor.questionnaire,
        name="application_questionnaire",
    ),
    path("wnioski/<int:pk>/produkty/", applicant_editor.items, name="application_items"),
    path(
        "wnioski/<int:pk>/produkty/<int:item_pk>/zmien/",
        applicant_item_edit.item_edit,
        name="application_item_edit",
    ),
    path(
        "wnioski/<int:pk>/produkty/<int:item_pk>/usun/",
        applicant_editor.item_remove,
        name="application_item_remove",
    ),
    path(
        "wnioski/<int:pk>/produkty/<int:item_pk>/kody-cpv/",
        applicant_editor.item_cpv_codes,
        name="application_item_codes",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/",
        applicant_documents.documents,
        name="application_documents",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/<int:document_pk>/usun/",
        applicant_documents.document_remove,
        name="application_document_remove",
    ),
    path("wnioski/<int:pk>/sprawdz/", applicant_check.check_answers, name="application_check"),
    path(
        "certyfikaty/<int:pk>/przedluzenie/",
        applicant_renewal.certificate_renew,
        name="certificate_renew",
    ),
    path(
        "certyfikaty/<int:pk>/rozszerzenie/",
        applicant_scope.certificate_extend,
        name="certificate_extend",
    ),
    path(
        "certyfikaty/<int:pk>/wycofanie/",
        applicant_scope.certificate_withdraw_item,
        name="certificate_withdraw_item",
    ),
    # Staff pages link here too: the view decides visibility per user, not per area.
    path("dokumenty/<int:pk>/", files.document_download, name="document_download"),
    path(
        "ponowne-rozpatrzenie/zalaczniki/<int:pk>/",
        files.reconsideration_attachment_download,
        name="reconsideration_attachment",
    ),
    path("pisma/<int:pk>/", files.letter_download, name="letter_download"),
]
