"""/.well-known/security.txt (RFC 9116): where to report a vulnerability."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# RFC 9116 asks for an expiry under a year away; computed, so the file never goes stale while
# SECURITY_CONTACT is kept true.
EXPIRES_AFTER = timedelta(days=180)


@require_safe
@cache_control(public=True, max_age=86400)
def security_txt(request):
    expires = (timezone.now() + EXPIRES_AFTER).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: pl, en",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
