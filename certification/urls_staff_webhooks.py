"""Webhook endpoints of procurement platforms and their delivery logs (under /obsluga/webhooki/)."""

from django.urls import path

from .views import staff_webhooks

urlpatterns = [
    path("", staff_webhooks.endpoint_list, name="staff_webhooks"),
    path("<int:pk>/", staff_webhooks.endpoint_detail, name="staff_webhook"),
    path("<int:pk>/aktywny/", staff_webhooks.endpoint_active, name="staff_webhook_active"),
]
