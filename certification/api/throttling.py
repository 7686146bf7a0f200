"""Per-client rate limit of the public API, counted in the default cache (Redis in production)."""

import hashlib
import logging
import re
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from ninja.throttling import BaseThrottle

RATE_RE = re.compile(r"^(\d+)/(\d*)(s|m|h|d)$")
logger = logging.getLogger(__name__)

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=8)
def parse_rate(rate: str) -> tuple[int, int] | None:
    """'120/m' -> (120, 60); '1000/5m' -> (1000, 300); 'off' or '' -> None (no limit)."""
    rate = (rate or "").strip().lower()
    if rate in ("", "off", "0"):
        return None
    match = RATE_RE.match(rate)
    if not match:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT must look like '120/m' (requests/period), not {rate!r}."
        )
    return int(match[1]), int(match[2] or 1) * SECONDS[match[3]]


def _count(key: str, period: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the first request of this window
        # The key outlives its window, so once added it stays until the window is over.
        return 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)


class ClientRateLimit(BaseThrottle):
    """At most N requests per client address in each fixed window of the period.

    A counter per window rather than ninja's list of timestamps: one small cache entry per
    client, and the increment is atomic, so concurrent requests cannot all slip under the limit.
    The client address is ninja's (REMOTE_ADDR, or X-Forwarded-For behind NINJA_NUM_PROXIES).
    """

    def __init__(self):
        # One instance serves every thread of the process; the wait belongs to one request.
        self._local = threading.local()
        parse_rate(settings.API_RATE_LIMIT)  # a wrong setting fails at start, not per request

    def allow_request(self, request) -> bool:
        rate = parse_rate(settings.API_RATE_LIMIT)
        if rate is None:
            return True
        limit, period = rate
        now = time.time()
        window = int(now // period)
        self._local.wait = (window + 1) * period - now
        ident = hashlib.blake2b(
            (self.get_ident(request) or "").encode(), digest_size=16
        ).hexdigest()
        key = f"api-rate:{period}:{window}:{ident}"
        try:
            count = _count(key, period)
        except Exception:
            # A cache outage must not take verification down on the day of a tender: let the
            # request through and say so in the log.
            logger.warning("API rate limit not counted: the cache is unavailable.", exc_info=True)
            return True
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
