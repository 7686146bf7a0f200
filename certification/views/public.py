"""Public pages, no login: home, registry, certificate page and PDF.

The registry's open data downloads and badges are in open_data.py and badge.py, the
verification pages in verify.py."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_safe

from .. import registry as registry_queries
from .. import registry_cache
from ..choices import VerificationResult
from ..domain import certificates, organization_changes
from ..forms.public import RegistrySearchForm
from ..forms.verify import VerifyForm
from ..models import Certificate, CertificateVersion
from ..signing import signature_context
from . import credentials, open_data

REGISTRY_PAGE_SIZE = 20


@dataclass(frozen=True)
class Shown:
    """A certificate as the public sees it today."""

    certificate: Certificate
    status: VerificationResult  # on the day asked about: NOT_YET_VALID before the issue
    slug: str

    @classmethod
    def of(cls, certificate: Certificate, today) -> "Shown":
        return cls(
            certificate,
            VerificationResult(certificate.status_on(today)),
            certificates.number_to_slug(certificate.number),
        )


@require_safe
def favicon(request):
    """For clients that ask for /favicon.ico without reading the page's icon link."""
    # Temporary: a permanent redirect would be kept by browsers past the icon's next version.
    return redirect(static("favicon.svg"))


@require_safe
def home(request):
    return render(request, "home.html", {"form": VerifyForm()})


@dataclass(frozen=True)
class SortHeader:
    """A column heading that sorts the registry: a link, and aria-sort when active."""

    label: str
    next_sort: str  # what the link asks for
    aria_sort: str  # "ascending", "descending" or "" when the list is not in this order
    action: str  # for screen readers: what following the link does


SORTABLE = {
    "number": gettext_lazy("Number"),
    "organization": gettext_lazy("Organisation"),
    "issued": gettext_lazy("Issued"),
    "valid_until": gettext_lazy("Valid until"),
}


def sort_headers(current: str) -> dict[str, SortHeader]:
    headers = {}
    for key, label in SORTABLE.items():
        aria_sort = {key: "ascending", f"-{key}": "descending"}.get(current, "")
        next_sort = f"-{key}" if aria_sort == "ascending" else key
        action = (
            gettext("sort in descending order")
            if next_sort.startswith("-")
            else gettext("sort in ascending order")
        )
        headers[key] = SortHeader(str(label), next_sort, aria_sort, action)
    return headers


def download_query(form: RegistrySearchForm, *, omit: tuple[str, ...] = ()) -> str:
    """The filters in force and the order, without the page: the downloads take every row.

    Only the valid values: the downloads hold what the list shows, which ignores a wrong one.
    `omit`: parameters left out (the change feed takes neither status nor order).
    """
    valid = getattr(form, "cleaned_data", {})
    params = {name: form.data[name] for name, value in valid.items() if value and name not in omit}
    if form.cpv_query:  # the codes found, also when others were wrong; as a buyer reads them
        params["cpv"] = form.cpv_query
    query = urlencode(params)
    return f"?{query}" if query else ""


@require_safe
def registry(request):
    today = timezone.localdate()
    form = RegistrySearchForm(request.GET or None)
    form.is_valid()

    def compute() -> dict:
        context = _registry_context(request, today, form)
        return {
            "title": render_to_string("public/_registry_title.html", context, request).strip(),
            "content": render_to_string("public/_registry_content.html", context, request),
        }

    # What the page shows depends on the search, the page, the language and the day alone
    # (nothing of the visitor's: the parts cached hold no form to post and no user's name).
    # Only well-formed questions are kept: junk parameters must not fill the cache.
    page = request.GET.get("page", "")
    known = set(form.fields) | {"page"}
    if form.errors or not set(request.GET) <= known or not (page == "" or page.isdigit()):
        parts = compute()
    else:
        search = download_query(form)
        parts = registry_cache.answer(
            registry_cache.key(
                "registry-page", search, page, get_language() or "", today.isoformat()
            ),
            compute,
        )
    return render(
        request,
        "public/registry.html",
        # Both were rendered, and escaped, by the templates above.
        {"title": mark_safe(parts["title"]), "content": mark_safe(parts["content"])},  # noqa: S308
    )


def _registry_context(request, today, form: RegistrySearchForm) -> dict:
    queryset = form.filter(registry_queries.public_certificates(), today=today)
    paginator = registry_queries.CappedPaginator(queryset, REGISTRY_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        raise Http404("No such page of the registry.") from None
    return {
        "form": form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "rows": [Shown.of(c, today) for c in page.object_list],
        "filtered": form.filtered,
        "count_cap": registry_queries.COUNT_CAP,
        "columns": sort_headers(form.ordering),
        "download_query": download_query(form),
        "open_data_columns": open_data.COLUMNS,
        "page_url": f"{settings.SITE_URL}{request.get_full_path()}",
        "today": today,
    }


def certificate_or_404(slug: str, queryset=None) -> Certificate:
    """The certificate whose number the slug spells (ZP-2026-0007, or any spelling parse_number
    reads), from `queryset` if given; 404 when it is not a number or not in the registry."""
    number = certificates.parse_number(slug)
    if number is None:
        raise Http404("Not a certificate number.")
    return get_object_or_404(
        queryset if queryset is not None else Certificate.objects, number=number
    )


@require_safe
def certificate_detail(request, slug: str):
    certificate = certificate_or_404(
        slug,
        registry_queries.public_certificates()
        .select_related("predecessor")
        .prefetch_related(
            "status_changes",
            "successors__status_changes",
            "items__cpv_links__cpv",
            Prefetch("versions", queryset=CertificateVersion.objects.prefetch_related("items")),
        ),
    )
    shown = Shown.of(certificate, timezone.localdate())
    if slug != shown.slug:
        return redirect("certificate_detail", slug=shown.slug)
    return render(
        request,
        "public/certificate_detail.html",
        {
            "shown": shown,
            "certificate": certificate,
            "issuer": settings.CERTIFICATE_ISSUER,
            "history": _linked_history(certificate),
            "versions": certificate.versions.all(),
            "later": organization_changes.later_identity(certificate),
            **signature_context(certificate, request),
            **credentials.credential_context(certificate),
        },
    )


def _linked_history(certificate: Certificate) -> list[tuple]:
    """The public history, each entry with the slug of the certificate it links to, if any."""
    return [
        (entry, certificates.number_to_slug(entry.other.number) if entry.other else "")
        for entry in certificates.public_history(certificate)
    ]


@require_safe
def certificate_version_pdf(request, slug: str, number: int):
    """The PDF of one version of the certificate, kept when a later version replaced it."""
    certificate = certificate_or_404(slug)
    version = get_object_or_404(certificate.versions.exclude(pdf=""), number=number)
    try:
        stream = version.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("The version's PDF is missing from storage.") from None
    return FileResponse(
        stream,
        content_type="application/pdf",
        filename=f"{certificates.number_to_slug(certificate.number)}-v{number}.pdf",
    )


@require_safe
def certificate_pdf(request, slug: str):
    certificate = certificate_or_404(slug)
    if not certificate.pdf:
        raise Http404("The certificate has no PDF yet.")
    try:
        stream = certificate.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("The certificate's PDF is missing from storage.") from None
    return FileResponse(
        stream,
        content_type="application/pdf",
        filename=f"{certificates.number_to_slug(certificate.number)}.pdf",
    )
