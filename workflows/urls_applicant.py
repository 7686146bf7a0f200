"""Applicant actions that move the workflow: submission, corrections, reconsideration."""

from django.urls import path

from .views import applicant, applicant_reconsideration

urlpatterns = [
    path("wnioski/<int:pk>/wyslij/", applicant.submit, name="application_submit"),
    path("wnioski/<int:pk>/wyslany/", applicant.submitted, name="application_submitted"),
    path("wnioski/<int:pk>/poprawki/", applicant.corrections_start, name="corrections_start"),
    path("zadania/<int:task_pk>/poprawki/", applicant.corrections, name="corrections"),
    path(
        "wnioski/<int:pk>/ponowne-rozpatrzenie/",
        applicant_reconsideration.reconsideration_request,
        name="reconsideration_request",
    ),
]
