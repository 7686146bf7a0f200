"""Staff pages: inbox, applications, application file, task forms."""

from django.urls import path

from .views import staff, staff_file, staff_paper, staff_task

urlpatterns = [
    path("", staff.inbox, name="staff_inbox"),
    path("wnioski/", staff.applications, name="staff_applications"),
    path("wnioski/<int:pk>/", staff_file.application_file, name="staff_application"),
    path("wnioski/papierowy/", staff_paper.register, name="staff_paper_register"),
    path("wnioski/<int:pk>/przekazanie/", staff_paper.take_over, name="staff_paper_take_over"),
    path("zadania/<int:task_pk>/", staff_task.task_page, name="staff_task"),
]
