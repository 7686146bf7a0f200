"""Staff pages: inbox, applications, application file, task forms."""

from django.urls import path

from .views import staff, staff_deadlines, staff_file, staff_paper, staff_task

urlpatterns = [
    path("", staff.inbox, name="staff_inbox"),
    path("wnioski/", staff.applications, name="staff_applications"),
    path("wnioski/<int:pk>/", staff_file.application_file, name="staff_application"),
    path("wnioski/papierowy/", staff_paper.register, name="staff_paper_register"),
    path("wnioski/<int:pk>/przekazanie/", staff_paper.take_over, name="staff_paper_take_over"),
    path(
        "wnioski/<int:pk>/termin-poprawek/",
        staff_deadlines.extend_deadline,
        name="staff_extend_deadline",
    ),
    path(
        "wnioski/<int:pk>/oceny/<int:assignment_pk>/termin/",
        staff_deadlines.scoring_due,
        name="staff_scoring_due",
    ),
    path("zadania/<int:task_pk>/", staff_task.task_page, name="staff_task"),
]
