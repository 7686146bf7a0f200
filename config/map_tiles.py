"""The map of offers' tile server (MAP_TILE_URL), and the CSP source its images need."""

from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def tile_source(url: str) -> str:
    """The img-src source for a Leaflet tile URL template; "" when no tile server is set.

    Leaflet's {s} picks one of several subdomains: https://{s}.tile.example.org/{z}/{x}/{y}.png
    needs https://*.tile.example.org.
    """
    if not url:
        return ""
    parts = urlparse(url)
    if (
        parts.scheme not in ("https", "http")
        or not parts.netloc
        or "{" in parts.netloc.replace("{s}", "")
    ):
        raise ImproperlyConfigured(
            "MAP_TILE_URL must be an http(s) address of tiles, such as "
            "https://{s}.tile.example.org/{z}/{x}/{y}.png (only {s} may stand in its host)."
        )
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
