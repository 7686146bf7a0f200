from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from certification.views.home import dashboard

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/logowanie/", auth_views.LoginView.as_view(), name="login"),
    path("konto/wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
    path("panel/", dashboard, name="dashboard"),
    path("", include("certification.urls_public")),
    path("", include("certification.urls_keys")),
    path("wnioskodawca/", include("certification.urls_applicant")),
    path("wnioskodawca/", include("workflows.urls_applicant")),
    path("obsluga/certyfikaty/", include("certification.urls_staff_certificates")),
    path("obsluga/", include("workflows.urls_staff")),
    path("api/v1/", include("certification.urls_api")),
]
