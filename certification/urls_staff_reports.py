"""Officers' reports (under /obsluga/raporty/)."""

from django.urls import path

from .views import staff_reports

urlpatterns = [
    path("", staff_reports.report_page, name="staff_reports"),
    path("csv/", staff_reports.report_csv, name="staff_reports_csv"),
]
