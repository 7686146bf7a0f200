"""The public JSON API, mounted at /api/v1/ (see certification/api and docs/api.md)."""

from django.urls import path, re_path

from .api.endpoints import api
from .api.errors import not_found

urlpatterns = [
    path("", not_found),
    path("", api.urls),
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    re_path(r"^", not_found),
]
