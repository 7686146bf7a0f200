"""The public pages' limit per client address (PUBLIC_RATE_LIMIT), and the page that says a
limit was reached, ours or allauth's."""

import math
import time
from functools import wraps

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from ..rate_limit import client_address, parse_rate, seconds_to_wait


def public_rate_limit(view):
    """Answer 429, with Retry-After and a page in the visitor's language, over the limit.

    Public pages query the registry for anyone: without a limit one client could scrape or
    search it as fast as it likes, and fill the registry cache with distinct questions.
    """

    @wraps(view)
    def limited(request, *args, **kwargs):
        wait = seconds_to_wait(
            scope="pages",
            ident=client_address(request),
            rate=parse_rate(settings.PUBLIC_RATE_LIMIT, "PUBLIC_RATE_LIMIT"),
        )
        if wait is None:
            return view(request, *args, **kwargs)
        return too_many_requests(request, seconds=wait)

    return limited


def too_many_requests(request, *, seconds: float | None, accounts: bool = False):
    """429 with a page in the visitor's language; Retry-After when the wait is known."""
    seconds = max(math.ceil(seconds), 1) if seconds is not None else None
    context = {"seconds": seconds, "accounts": accounts}
    response = render(request, "429.html", context, status=429)
    if seconds is not None:
        response["Retry-After"] = str(seconds)
    return response


# allauth's rate-limited pages (URL name) and the action whose limit they count.
ALLAUTH_ACTIONS = {
    "login": "login",
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def allauth_too_many_requests(request):
    """config.urls.handler429, which allauth calls when one of its limits is reached."""
    return too_many_requests(request, seconds=_allauth_wait(request), accounts=True)


def _allauth_wait(request) -> float | None:
    """Seconds until allauth lets this client try the page again, read from its counters.

    allauth keeps, per limit, the times of the attempts in its window (newest first); the
    limit frees a place when the attempt `amount` places back leaves the window.
    """
    match = request.resolver_match
    action = ALLAUTH_ACTIONS.get(match.url_name if match else "")
    if action is None:
        return None
    key = None
    if action == "reset_password":
        key = (request.POST.get("email") or "").strip().lower() or None
    now, waits = time.time(), []
    for rate in ratelimit.get_rates(app="allauth.account", action=action):
        if (rate.per == "key" and key is None) or (
            rate.per == "user" and not request.user.is_authenticated
        ):
            continue
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, key=key
        )
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    return max(waits) if waits else None
