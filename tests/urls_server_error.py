"""The project's URLs and error handlers, plus one page that fails: to see the real 500 answer."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def failing_page(request):
    raise RuntimeError("a fault in a page, for the 500 answer's test")


urlpatterns = [path("awaria/", failing_page), *project_urlpatterns]
