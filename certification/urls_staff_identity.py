"""Officer pages of the requests to change an organisation's details (/obsluga/zmiany-danych/)."""

from django.urls import path

from .views import staff_identity

urlpatterns = [
    path("", staff_identity.change_request_list, name="staff_change_requests"),
    path("<int:pk>/", staff_identity.change_request_page, name="staff_change_request"),
]
