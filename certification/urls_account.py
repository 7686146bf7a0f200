"""Account pages of this project: an invitation's link, and the language switch.

The language switch replaces django.conf.urls.i18n's view of the same name and address.
"""

from django.urls import path

from .views import invitations, language

urlpatterns = [
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("konto/zaproszenie/<str:token>/", invitations.accept, name="invitation_accept"),
]
