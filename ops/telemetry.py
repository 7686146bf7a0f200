"""The outermost middleware: a request id, one log line and the metrics for every request."""

import logging
import time

from . import logs, metrics

access_log = logging.getLogger("zakup.request")
# A client may send any word as its method; each distinct label value would be a new series.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestTelemetryMiddleware:
    """First in MIDDLEWARE, so it sees every answer, redirects and errors included.

    The request id is the proxy's X-Request-ID when it looks sane (nginx sets one per request,
    see deploy/nginx-zakup.conf), else a new one; it goes back in the response's X-Request-ID,
    so a user's report ("error at 14:02, code …") finds the log lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        rid = logs.new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = rid
        tokens = (logs.request_id.set(rid), logs.request_path.set(request.path))
        try:
            response = self.get_response(request)
            duration = time.monotonic() - started
            response["X-Request-ID"] = rid
            view = _view_name(request)
            method = request.method if request.method in KNOWN_METHODS else "other"
            metrics.REQUESTS.labels(view, method, str(response.status_code)).inc()
            metrics.REQUEST_SECONDS.labels(view).observe(duration)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={"status": response.status_code, "duration": round(duration, 4)},
            )
            return response
        finally:
            logs.request_id.reset(tokens[0])
            logs.request_path.reset(tokens[1])


def _view_name(request) -> str:
    # The URL's name, never the path: paths hold numbers and search words, and every distinct
    # label value is a new time series in Prometheus.
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.view_name or match._func_path
