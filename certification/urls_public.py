"""Public pages, no login: home, registry, open data, certificate pages, badges, verification."""

from django.urls import path

from .views import badge, feed, offers_map, open_data, public, verify, watching
from .views.rate_limited import public_rate_limit as limited

# Every page that reads the registry counts towards the visitor's PUBLIC_RATE_LIMIT.
urlpatterns = [
    path("", public.home, name="home"),
    path("favicon.ico", public.favicon),
    path("rejestr/", limited(public.registry), name="registry"),
    path("rejestr/dane.csv", limited(open_data.registry_csv), name="registry_csv"),
    path("rejestr/dane.json", limited(open_data.registry_json), name="registry_json"),
    # The map of offers and its GeoJSON; before <slug:slug>/, which "mapa" would match.
    path("rejestr/mapa/", limited(offers_map.offers_map), name="offers_map"),
    path("rejestr/dane.geojson", limited(offers_map.offers_geojson), name="registry_geojson"),
    # Feed readers poll it: issued, renewed, suspended, reinstated, revoked, expired.
    path("rejestr/zmiany.atom", limited(feed.registry_changes), name="registry_changes_feed"),
    path("rejestr/<slug:slug>/", limited(public.certificate_detail), name="certificate_detail"),
    path(
        "rejestr/<slug:slug>/certyfikat.pdf",
        limited(public.certificate_pdf),
        name="certificate_pdf",
    ),
    path(
        "rejestr/<slug:slug>/wersja-<int:number>.pdf",
        limited(public.certificate_version_pdf),
        name="certificate_version_pdf",
    ),
    # The badge a PES puts on its website, and the page that gives it the code to paste.
    # Not limited: shown by visitors of member websites, cheap, and an image cannot show a 429.
    path("rejestr/<slug:slug>/odznaka.svg", badge.badge_svg, name="certificate_badge_svg"),
    path("rejestr/<slug:slug>/odznaka/", limited(badge.badge_page), name="certificate_badge"),
    # Buyers watch a certificate, a holder or a search by e-mail, no account (double opt-in).
    path("obserwuj/", limited(watching.watch), name="watch"),
    path("obserwuj/potwierdz/<str:token>/", limited(watching.confirm), name="watch_confirm"),
    path("obserwuj/wypisz/<str:token>/", watching.unsubscribe, name="watch_unsubscribe"),
    path("weryfikacja/", limited(verify.verify), name="verify"),
    # The QR code on every certificate PDF points here (certification.pdf.verification_url).
    path("weryfikacja/<slug:slug>/", limited(verify.verify_number), name="verify_number"),
]
