"""Every API error is JSON: {"message": ..., "code": ..., "parameter": ...}.

The message is in the request's language (Polish unless the language cookie says otherwise);
`code` is the stable, untranslated thing for programs to test. No text the client sent is
copied into a message.
"""

import datetime
import logging
import re

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import HttpError, Throttled, ValidationError

from ..choices import CertificateStatus
from ..forms.public import NOT_A_NUMBER

logger = logging.getLogger(__name__)

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMAT = gettext_lazy("Enter the date as YYYY-MM-DD, for example 2026-03-15.")

# Per query parameter: what to say when ninja finds its value wrong (type, range, length).
PARAMETER_MESSAGES = {
    "number": NOT_A_NUMBER,
    "date": DATE_FORMAT,
    "q": gettext_lazy("Search for at most 200 characters."),
    "page": gettext_lazy("The page must be a whole number from 1 to %(max)s."),
    "page_size": gettext_lazy("The page size must be a whole number from 1 to %(max)s."),
    "nip": gettext_lazy("A NIP has exactly 10 digits (dashes and spaces are allowed)."),
    "cpv": gettext_lazy(
        "Give CPV codes separated by commas or spaces, each as 8 digits, a dash and a check "
        "digit, for example 55520000-1."
    ),
}
# Per query parameter: the `code` of a value in the wrong form, the same as the endpoint's own
# check gives (ninja checks the form first, by the pattern the document states).
PARAMETER_CODES = {
    "number": "not_a_number",
    "date": "invalid_date",
    "nip": "not_a_nip",
    "cpv": "invalid_cpv",
}
MISSING_MESSAGES = {
    "number": gettext_lazy("Enter the certificate number."),
    "nip": gettext_lazy("Enter the NIP."),
}


class ErrorOut(Schema):
    message: str
    code: str
    parameter: str | None = None


class ApiError(Exception):
    """An answer other than 200 that an endpoint gives on purpose."""

    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


def error_response(status: int, code: str, message: str, parameter: str | None = None):
    body = {"message": str(message), "code": code, "parameter": parameter}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request, *args, **kwargs):
    """Any address under /api/v1/ that is not an endpoint."""
    return error_response(
        404, "not_found", _("There is no such address in the API. See /api/v1/openapi.json.")
    )


def _invalid_parameter(request, exc: ValidationError):
    error = exc.errors[0] if exc.errors else {}
    location = error.get("loc") or ("query", "")
    name = str(location[-1])
    code = "invalid_parameter"
    blank = location[0] == "query" and not request.GET.get(name, "").strip()
    if (error.get("type") == "missing" or blank) and name in MISSING_MESSAGES:
        message = MISSING_MESSAGES[name]
    elif name == "status":
        message = _("Choose a status: %(statuses)s.") % {
            "statuses": ", ".join(CertificateStatus.values)
        }
    elif name in ("page", "page_size"):
        message = PARAMETER_MESSAGES[name] % {"max": MAX_PAGE if name == "page" else MAX_PAGE_SIZE}
    elif name in PARAMETER_MESSAGES:
        message = PARAMETER_MESSAGES[name]
        code = PARAMETER_CODES.get(name, code)
    else:
        message = _("This parameter has a wrong value.")
    return error_response(400, code, message, name or None)


def _throttled(request, exc: Throttled):
    # ninja adds the Retry-After header to this response.
    return error_response(
        429,
        "too_many_requests",
        _("Too many requests from your address. Wait a moment and try again."),
    )


def _server_error(request, exc: Exception):
    logger.error("API request failed: %s", request.path, exc_info=exc)
    return error_response(
        500, "server_error", _("Something went wrong on our side. Please try again later.")
    )


def install(api) -> None:
    api.add_exception_handler(
        ApiError,
        lambda request, exc: error_response(exc.status, exc.code, exc.message, exc.parameter),
    )
    api.add_exception_handler(ValidationError, _invalid_parameter)
    api.add_exception_handler(Throttled, _throttled)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(
        HttpError,
        lambda request, exc: error_response(
            exc.status_code, "http_error", _("The request cannot be answered.")
        ),
    )
    api.add_exception_handler(Exception, _server_error)


def day_asked(text: str | None, today: datetime.date) -> datetime.date:
    """The `date` parameter: YYYY-MM-DD, today when empty; 400 when malformed or in the future."""
    if not text:
        return today
    try:
        if not DATE_RE.match(text):
            raise ValueError(text)
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, "invalid_date", str(DATE_FORMAT), "date") from None
    if day > today:
        raise ApiError(
            400,
            "date_in_future",
            _("The date is in the future: ask about today or a day in the past."),
            "date",
        )
    return day
