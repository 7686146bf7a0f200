"""Public pages, no login: home, registry, certificate pages, verification."""

from django.urls import path

from .views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("rejestr/", public.registry, name="registry"),
    path("rejestr/<slug:slug>/", public.certificate_detail, name="certificate_detail"),
    path("rejestr/<slug:slug>/certyfikat.pdf", public.certificate_pdf, name="certificate_pdf"),
    path("weryfikacja/", public.verify, name="verify"),
    # The QR code on every certificate PDF points here (certification.pdf.verification_url).
    path("weryfikacja/<slug:slug>/", public.verify_number, name="verify_number"),
]
