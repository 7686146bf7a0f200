"""Per-client rate limit of the public API (the counting is in certification.rate_limit)."""

import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from ..rate_limit import client_address, parse_rate, seconds_to_wait


class ClientRateLimit(BaseThrottle):
    """At most API_RATE_LIMIT requests per client address in each fixed window.

    The client address is the same as the public pages count (see `client_address`).
    """

    def __init__(self):
        # One instance serves every thread of the process; the wait belongs to one request.
        # (A wrong API_RATE_LIMIT already stopped the start: certification.apps.)
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        self._local.wait = seconds_to_wait(
            scope="api",
            ident=client_address(request),
            rate=parse_rate(settings.API_RATE_LIMIT),
        )
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
