"""Public pages, no login. Owned by: public registry and verification."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("rejestr/", TemplateView.as_view(template_name="home.html"), name="registry"),
    path("weryfikacja/", TemplateView.as_view(template_name="home.html"), name="verify"),
    path(
        "weryfikacja/<slug:slug>/",
        TemplateView.as_view(template_name="home.html"),
        name="verify_number",
    ),
]
