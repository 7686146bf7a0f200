"""Account pages (django-allauth views) at Polish paths under /konto/.

allauth's own urls module has English paths; its views are mounted here one by one under the
URL names it reverses. "login" and "logout" stay too: the rest of the project uses them.
allauth's own module is included first, for the few pages it links to that are not mounted
here (e.g. a re-authentication code): Django reverses a name to the last pattern that has it,
so the Polish paths below win wherever both exist.
"""

from allauth.account import views
from django.urls import include, path, re_path

urlpatterns = [
    path("", include("allauth.urls")),
    path("logowanie/", views.login, name="login"),
    path("logowanie/", views.login, name="account_login"),
    path("wylogowanie/", views.logout, name="logout"),
    path("wylogowanie/", views.logout, name="account_logout"),
    path("rejestracja/", views.signup, name="account_signup"),
    path("nieaktywne/", views.account_inactive, name="account_inactive"),
    path("potwierdz-haslo/", views.reauthenticate, name="account_reauthenticate"),
    path("adres-email/", views.email, name="account_email"),
    path(
        "potwierdzenie-adresu/",
        views.email_verification_sent,
        name="account_email_verification_sent",
    ),
    re_path(
        r"^potwierdzenie-adresu/(?P<key>[-:\w]+)/$",
        views.confirm_email,
        name="account_confirm_email",
    ),
    path("haslo/zmiana/", views.password_change, name="account_change_password"),
    path("haslo/ustawienie/", views.password_set, name="account_set_password"),
    path("haslo/reset/", views.password_reset, name="account_reset_password"),
    path("haslo/reset/wyslano/", views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^haslo/reset/klucz/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "haslo/reset/gotowe/",
        views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
]
