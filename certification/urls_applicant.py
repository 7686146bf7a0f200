"""Applicant pages that do not touch the workflow: organisation profile, drafts, documents."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="my_applications"),
]
