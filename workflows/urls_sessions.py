"""The jury's sessions: the officers' and the chair's pages, and a juror's coming sessions."""

from django.urls import path

from .views import session_item, session_page, sessions

urlpatterns = [
    path("posiedzenia/", sessions.session_list, name="staff_sessions"),
    path("posiedzenia/<int:pk>/", session_page.session_page, name="staff_session"),
    path(
        "posiedzenia/<int:pk>/porzadek/dodaj/",
        session_page.add_to_agenda,
        name="staff_session_add",
    ),
    path(
        "posiedzenia/<int:pk>/porzadek/sprostowanie/",
        session_page.add_correction,
        name="staff_session_add_correction",
    ),
    path(
        "posiedzenia/<int:pk>/porzadek/<int:item_pk>/",
        session_item.agenda_item_page,
        name="staff_session_item",
    ),
    path(
        "posiedzenia/<int:pk>/porzadek/<int:item_pk>/usun/",
        session_page.remove_from_agenda,
        name="staff_session_remove",
    ),
    path("posiedzenia/<int:pk>/wyslij/", session_page.send_agenda, name="staff_session_send"),
    path(
        "posiedzenia/<int:pk>/obecnosc/",
        session_page.record_attendance,
        name="staff_session_attendance",
    ),
    path("posiedzenia/<int:pk>/zamknij/", session_page.close_session, name="staff_session_close"),
    path("posiedzenia/<int:pk>/protokol.pdf", sessions.minutes_download, name="staff_minutes"),
    path("moje-posiedzenia/", sessions.my_sessions, name="my_sessions"),
]
