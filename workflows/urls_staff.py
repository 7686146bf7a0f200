"""Staff pages: inbox, applications, application file, task forms."""

from django.urls import path

from .views import staff, staff_file, staff_task

urlpatterns = [
    path("", staff.inbox, name="staff_inbox"),
    path("wnioski/", staff.applications, name="staff_applications"),
    path("wnioski/<int:pk>/", staff_file.application_file, name="staff_application"),
    path("zadania/<int:task_pk>/", staff_task.task_page, name="staff_task"),
]
