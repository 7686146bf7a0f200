"""Applicant actions that move the workflow: submission and corrections."""

urlpatterns = []
