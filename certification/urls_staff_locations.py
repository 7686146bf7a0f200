"""Officer pages of the pins organisations proposed for the map (under /obsluga/lokalizacje/)."""

from django.urls import path

from .views import staff_locations

urlpatterns = [
    path("", staff_locations.location_list, name="staff_locations"),
    path("<int:pk>/", staff_locations.location_page, name="staff_location"),
]
