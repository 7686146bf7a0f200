"""Officer pages of the certificate lifecycle (under /obsluga/certyfikaty/)."""

from django.urls import path

from .views import staff_certificates

urlpatterns = [
    path("", staff_certificates.certificate_list, name="staff_certificates"),
    path("<slug:slug>/", staff_certificates.certificate_page, name="staff_certificate"),
]
