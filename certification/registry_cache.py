"""Public answers (verification, registry searches) kept in the shared cache, invalidated by a
registry version number.

A buyer's question "is ZP/2026/0007 valid?" or "who is certified for catering?" is asked far
more often than any certificate changes, and on the day of a tender the same questions are
asked again and again. An answer is stored with the registry version it was computed under;
every committed change to what the registry says (a certificate issued, suspended, reinstated,
revoked, expired, its PDF, its organisation's name or NIP) increments the version, so the next
question is answered afresh.
The version and the answer are read in one round trip. The entries also expire on their own
(REGISTRY_CACHE_SECONDS) as a backstop for changes made behind the ORM's back.

Only with a cache the app processes share (Redis): a per-process cache would miss the bumps
made in the other processes, so with the local-memory default the setting is 0 (off).
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django.db import transaction

from .cache_backend import NOT_SHARED, shared_backend, shared_cache
from .domain import search

logger = logging.getLogger(__name__)

VERSION_KEY = "registry:version"


def enabled() -> bool:
    return settings.REGISTRY_CACHE_SECONDS > 0


def _new_version() -> int:
    # Never a number an earlier life of the cache used: entries stored under it are not
    # mistaken for current when the version key was evicted or the cache flushed.
    return time.time_ns()


# A change this process could not announce while the cache was down: announced as soon as it
# answers again, so that answers stored before the change are not served after it.
_unannounced_change = False


def bump() -> None:
    """Make every stored answer stale. Called after the commit of a change."""
    global _unannounced_change
    # The filter choices first: an answer computed under the new version must not use the
    # old list of towns and years (search.refresh also forgets it, but later on commit).
    search.forget_filter_choices()
    cache = shared_cache()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet, or evicted
            cache.set(VERSION_KEY, _new_version(), timeout=None)
    except Exception:  # the cache is down: answers are computed afresh until it is back
        _unannounced_change = True
        logger.exception("Could not bump the registry version in the cache.")
    else:
        _unannounced_change = False


def bump_on_commit(**kwargs) -> None:
    """Signal receiver: the change is only visible to others once committed."""
    if kwargs.get("action", "").startswith("pre_"):
        return  # an m2m change signals before and after: the "post_" one is the change
    if enabled():
        transaction.on_commit(bump, robust=True)


def key(*parts: str) -> str:
    """A cache key from the parts an answer depends on; user input is hashed, never used raw."""
    return "registry:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def answer[T](key: str, compute: Callable[[], T]) -> T:
    """The stored answer for `key` if computed under the current version, else computed now.

    The version is read before the database, so an answer computed from data that a change
    then replaced is stored under the old version and never served.
    """
    if not enabled():
        return compute()
    cache = shared_cache()
    try:
        if _unannounced_change:
            bump()
            if _unannounced_change:
                return compute()
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = _new_version()
            if not cache.add(VERSION_KEY, version, timeout=None):
                version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("The cache is unreachable: answering from the database.", exc_info=True)
        return compute()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    body = compute()
    try:
        cache.set(key, (version, body), timeout=settings.REGISTRY_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store an answer in the cache.", exc_info=True)
    return body


@checks.register(checks.Tags.caches)
def check_shared_cache(app_configs=None, **kwargs):
    if enabled() and shared_backend(settings.CACHES["default"]).endswith(NOT_SHARED):
        return [
            checks.Error(
                "REGISTRY_CACHE_SECONDS is on but the cache is not shared by the processes: "
                "a revocation would not reach the other processes' stored answers.",
                hint="Set REDIS_URL (or CACHE_URL), or REGISTRY_CACHE_SECONDS=0.",
                id="certification.E010",
            )
        ]
    return []
