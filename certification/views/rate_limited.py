"""The public pages' limit per client address (PUBLIC_RATE_LIMIT), with a page that says so."""

import math
from functools import wraps

from django.conf import settings
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
        seconds = max(math.ceil(wait), 1)
        response = render(request, "429.html", {"seconds": seconds}, status=429)
        response["Retry-After"] = str(seconds)
        return response

    return limited
