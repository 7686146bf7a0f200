"""The system check on SITE_URL, the public address put in QR codes, badges, e-mails and the
open data's `url` column: a host the site does not answer to makes every such link lead nowhere
(the walk of issue 11 printed a QR code for a port nobody served)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http.request import validate_host


def _allowed_hosts() -> list[str]:
    # What Django itself accepts: with DEBUG and no ALLOWED_HOSTS, the local names.
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return list(settings.ALLOWED_HOSTS)


@checks.register(checks.Tags.urls)
def check_site_url_host_is_allowed(app_configs=None, **kwargs):
    address = urlsplit(settings.SITE_URL)
    if address.scheme not in ("http", "https") or not address.hostname:
        return [
            checks.Warning(
                f"SITE_URL {settings.SITE_URL!r} is not an http(s) address.",
                hint="Set SITE_URL to the site's public address, e.g. https://zakup.example.pl.",
                id="certification.W040",
            )
        ]
    # ALLOWED_HOSTS names hosts without the port, IPv6 addresses in brackets.
    host = f"[{address.hostname}]" if ":" in address.hostname else address.hostname
    if not validate_host(host, _allowed_hosts()):
        return [
            checks.Warning(
                f"SITE_URL's host {address.hostname!r} is not in ALLOWED_HOSTS: the links in QR "
                "codes, badges, e-mails and open data would be refused by this site.",
                hint="Add the host to DJANGO_ALLOWED_HOSTS, or correct SITE_URL.",
                id="certification.W041",
            )
        ]
    return []
