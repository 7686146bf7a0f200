"""The map of offers (/rejestr/mapa/) and its open data (/rejestr/dane.geojson).

The page's list of organisations is the map's accessible alternative and works without
JavaScript; static/js/offers-map.js draws the map from the GeoJSON with the page's own filters.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .. import offers
from ..domain.certificates import number_to_slug
from ..exports import bad_download
from ..forms.public import MapFilterForm, RegistrySearchForm
from .public import download_query

PAGE_SIZE = 50
# Where the map opens when no organisation is on it: the Silesian Voivodeship (west, south,
# east, north), whose powiats the registry knows.
DEFAULT_BOUNDS = "17.9,49.35,19.98,51.1"


def _offered(form, today):
    if form.cpv_found == []:  # codes asked for, none of them known: no supplier
        return offers.offered_certificates(filters=form.filters(), today=today).none()
    return offers.offered_certificates(filters=form.filters(), today=today)


@require_safe
def offers_map(request):
    today = timezone.localdate()
    form = MapFilterForm(request.GET or None)
    form.is_valid()  # the list follows the valid filters; the wrong ones are named
    organizations = offers.offering_organizations(certificates=_offered(form, today))
    paginator = Paginator(organizations, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        raise Http404("No such page of the map's list.") from None
    organizations = list(page.object_list)
    for organization in organizations:
        for certificate in organization.offered:
            certificate.slug = number_to_slug(certificate.number)
    query = download_query(form)
    return render(
        request,
        "public/offers_map.html",
        {
            "form": form,
            "filtered": form.filtered,
            "page_obj": page,
            "organizations": organizations,
            "download_query": query,
            "geojson_query": query,
            "default_bounds": DEFAULT_BOUNDS,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            # Templates for the script, placeholders kept: {% translate %} would double the %.
            "text_valid_until": gettext("valid until %(date)s"),
            "text_shown": gettext("Organisations on the map: %(count)s."),
        },
    )


@require_safe
def offers_geojson(request):
    """RFC 7946 GeoJSON: a point per located organisation with a certificate valid today that
    matches the registry's filters, with those certificates; streamed, never held whole."""
    form = RegistrySearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return bad_download(form)  # a download never silently ignores a wrong filter
    today = timezone.localdate()
    features = offers.Features(_offered(form, today))
    response = StreamingHttpResponse(
        offers.geojson_chunks(features, today=today), content_type="application/geo+json"
    )
    filename = f"mapa-zakup-prospoleczny-{today:%Y-%m-%d}.geojson"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
