"""Account pages of this project: an invitation's link, the language switch, one's notifications.

The language switch replaces django.conf.urls.i18n's view of the same name and address.
"""

from django.urls import path

from .views import inbox, invitations, language

urlpatterns = [
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("konto/zaproszenie/<str:token>/", invitations.accept, name="invitation_accept"),
    path("powiadomienia/", inbox.notification_list, name="notifications"),
    path("powiadomienia/<int:pk>/", inbox.notification_open, name="notification_open"),
    path("powiadomienia/przeczytane/", inbox.mark_all_read, name="notifications_mark_all_read"),
    path("powiadomienia/e-maile/", inbox.notification_mode, name="notification_mode"),
]
