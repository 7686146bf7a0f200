from django.contrib import admin
from django.urls import include, path

from certification.views.home import dashboard

urlpatterns = [
    path("", include("certification.urls_account")),  # language switch, invitations
    path("admin/", admin.site.urls),
    path("konto/", include("config.urls_accounts")),
    path("panel/", dashboard, name="dashboard"),
    path("", include("certification.urls_public")),
    path("", include("certification.urls_keys")),
    path("wnioskodawca/", include("certification.urls_applicant")),
    path("wnioskodawca/", include("workflows.urls_applicant")),
    path("obsluga/certyfikaty/", include("certification.urls_staff_certificates")),
    path("obsluga/raporty/", include("certification.urls_staff_reports")),
    path("obsluga/", include("workflows.urls_staff")),
    path("api/v1/", include("certification.urls_api")),
    path("", include("ops.urls")),  # /health/live, /health/ready, /metrics
]
