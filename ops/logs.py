"""What each log line says about the request it was written in.

The request id, path, status and duration live in context variables for the time of a request
(set by ops.telemetry); RequestContext copies them onto every record, so a line logged deep in
the domain carries the id of the request that caused it, and the JSON formatter
(python-json-logger, settings.LOGGING) prints them. Outside a request (and a job, see below)
they are null.

The request id itself lives in `logcontext` (a module of its own, so that the job engine, which
may not import ops, reads it too): a job enqueued during a request runs with that request's id
(jobs/cause.py), so its lines carry the same id.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from logcontext import request_id

request_path: ContextVar[str | None] = ContextVar("request_path", default=None)

# What a proxy may hand us as a request id: letters, digits and a few separators, short.
# Anything else (spaces, quotes, newlines, a megabyte) could forge or break log lines.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{8,128}$")


def new_request_id(offered: str | None) -> str:
    if offered and SANE_REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestContext(logging.Filter):
    """Add request_id, path, status and duration to every record (null where unknown)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer ("django.request") after the middleware has finished,
        # with the request attached: take the id and path from it then.
        request = getattr(record, "request", None)
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get() or getattr(request, "request_id", None)
        if getattr(record, "path", None) is None:
            record.path = request_path.get() or getattr(request, "path", None)
        if getattr(record, "status", None) is None:
            record.status = getattr(record, "status_code", None)
        if not hasattr(record, "duration"):
            record.duration = None
        if request is not None:
            del record.__dict__["request"]  # not something to print
        return True
