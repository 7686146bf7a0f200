"""Helpers for API tests: every answer is checked against the OpenAPI document the app serves."""

import functools

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

OPENAPI_URL = "/api/v1/openapi.json"


def client(language: str | None = None, **defaults) -> Client:
    """A client with the rate-limit counters reset; English only when asked for."""
    cache.clear()
    test_client = Client(**defaults)
    if language:
        test_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return test_client


@functools.cache
def served_openapi() -> OpenAPI:
    response = Client().get(OPENAPI_URL)
    assert response.status_code == 200
    # from_dict checks the document itself against the OpenAPI specification, too.
    return OpenAPI.from_dict(response.json())


def check(response):
    """Fail unless the status, headers and body are what the served document says."""
    served_openapi().validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )
    return response


def get(test_client: Client, path: str, **params):
    return check(test_client.get(path, params, **{"headers": {"Accept": "application/json"}}))
