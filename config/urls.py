from django.contrib import admin
from django.urls import include, path

from certification.views.home import dashboard

handler500 = "certification.views.errors.server_error"  # with the CSP nonce for its style

urlpatterns = [
    path("", include("certification.urls_account")),  # language switch, invitations
    path("admin/", admin.site.urls),
    path("konto/", include("config.urls_accounts")),
    path("panel/", dashboard, name="dashboard"),
    path("", include("certification.urls_public")),
    path("", include("certification.urls_keys")),
    path("", include("certification.urls_credentials")),
    path("wnioskodawca/", include("certification.urls_applicant")),
    path("wnioskodawca/", include("workflows.urls_applicant")),
    path("obsluga/certyfikaty/", include("certification.urls_staff_certificates")),
    path("obsluga/raporty/", include("certification.urls_staff_reports")),
    path("obsluga/webhooki/", include("certification.urls_staff_webhooks")),
    path("obsluga/zmiany-danych/", include("certification.urls_staff_identity")),
    path("obsluga/lokalizacje/", include("certification.urls_staff_locations")),
    path("obsluga/", include("workflows.urls_staff")),
    path("obsluga/", include("workflows.urls_sessions")),
    path("api/v1/", include("certification.urls_api")),
    path("", include("ops.urls")),  # /health/live, /health/ready, /metrics
]

# allauth answers its own rate limits with this (the page in the visitor's language).
handler429 = "certification.views.rate_limited.allauth_too_many_requests"
