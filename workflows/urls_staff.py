"""Staff pages: inbox, applications, application file, task forms."""

from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="staff_inbox"),
    path("wnioski/", TemplateView.as_view(template_name="home.html"), name="staff_applications"),
]
