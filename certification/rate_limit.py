"""Requests per client address in fixed windows, counted in the default cache (Redis in
production). Used by the public API and the public pages, each with its own setting.

`client_address` is the one rule for who the client is: allauth's limits use it too (the
account adapter's get_client_ip).
"""

import hashlib
import ipaddress
import re
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

RATE_RE = re.compile(r"^(\d+)/(\d*)(s|m|h|d)$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=8)
def parse_rate(rate: str, setting: str = "API_RATE_LIMIT") -> tuple[int, int] | None:
    """'120/m' -> (120, 60); '1000/5m' -> (1000, 300); 'off' or '' -> None (no limit)."""
    rate = (rate or "").strip().lower()
    if rate in ("", "off", "0"):
        return None
    match = RATE_RE.match(rate)
    if not match:
        raise ImproperlyConfigured(
            f"{setting} must look like '120/m' (requests/period), not {rate!r}."
        )
    return int(match[1]), int(match[2] or 1) * SECONDS[match[3]]


def check_settings() -> None:
    """Refuse to start with a limit that makes no sense, rather than fail every request."""
    for setting in ("API_RATE_LIMIT", "PUBLIC_RATE_LIMIT"):
        parse_rate(getattr(settings, setting), setting)


def client_address(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies (TRUSTED_PROXIES) say they served.

    Only the proxies' own entries of X-Forwarded-For are believed: a client can put anything
    in front of them, so a forged header does not dodge the limit. An IPv6 client counts by
    its /64, the block one subscriber gets, so it cannot rotate through its own addresses.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        address = addresses[-min(proxies, len(addresses))]
    else:
        address = request.META.get("REMOTE_ADDR", "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client it names
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((parsed, 64), strict=False))


def _count(key: str, period: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the first request of this window
        # The key outlives its window, so once added it stays until the window is over.
        return 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)


def seconds_to_wait(*, scope: str, ident: str, rate: tuple[int, int] | None) -> float | None:
    """None while the client is within the rate; else how long until its next window.

    A counter per window rather than a list of timestamps: one small cache entry per client,
    and the increment is atomic, so concurrent requests cannot all slip under the limit.
    """
    if rate is None:
        return None
    limit, period = rate
    now = time.time()
    window = int(now // period)
    digest = hashlib.blake2b(ident.encode(), digest_size=16).hexdigest()
    # With the shared cache down, the default cache counts in this process's memory
    # (certification/cache_backend.py): the limit still holds, per process.
    count = _count(f"{scope}-rate:{period}:{window}:{digest}", period)
    return None if count <= limit else (window + 1) * period - now
