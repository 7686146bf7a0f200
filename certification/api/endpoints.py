"""The endpoints. Thin: check the parameters, call the domain or the registry query, shape."""

import json
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Swagger

from .. import registry, registry_cache
from ..choices import Powiat
from ..domain import certificates
from ..domain import cpv as cpv_codes
from ..domain.errors import DomainError
from ..forms.public import NOT_A_NUMBER, NUMBER_MAX_LENGTH
from ..signing import verify_signature
from . import answer_rows, errors, verify_credential
from .errors import MAX_PAGE, MAX_PAGE_SIZE, ApiError, ErrorOut
from .schemas import (
    BBOX_PATTERN,
    CPV_PATTERN,
    DATE_QUERY,
    NUMBER_PATH_PATTERN,
    NUMBER_PATTERN,
    PARAMETER_SCHEMAS,
    CertificateOut,
    CertificatePageOut,
    CpvCodeOut,
    KindFilter,
    LegalFormFilter,
    SortOrder,
    StatusFilter,
    VerificationOut,
    absolute,
    certificate_out,
    cpv_code_out,
    verification_out,
)
from .throttling import ClientRateLimit

DEFAULT_PAGE_SIZE = 20

RETRY_AFTER = {
    "description": "Seconds until the client may ask again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}


def _state(schema: dict, extra: dict) -> None:
    # An optional parameter is "anyOf: [string, null]": what is said of it is said of the
    # string, unless it says all the choices anew.
    strings = [branch for branch in schema.get("anyOf", []) if branch.get("type") == "string"]
    (strings[0] if strings and "anyOf" not in extra else schema).update(extra)


class PublicAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # ninja has no way to declare a response header, nor a parameter's format or a pattern
        # it does not check itself; clients need to know of these.
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    _state(parameter["schema"], PARAMETER_SCHEMAS.get(parameter["name"], {}))
                for status, response in operation["responses"].items():
                    if str(status) == "429":
                        response["headers"] = {"Retry-After": RETRY_AFTER}
        return schema


api = PublicAPI(
    title="Zakup Prospołeczny: public registry API",
    version="1.0.0",
    description=(
        "Look up, verify and search the certificates of the 'Zakup Prospołeczny' mark. "
        "No login. Errors are JSON objects with `message` (in the language of the request, "
        "Polish by default), `code` and `parameter`. Requests are rate-limited per client "
        "address; over the limit the answer is 429 with a Retry-After header."
    ),
    urls_namespace="api-v1",
    # Swagger UI from ninja's own static files (ninja is an installed app): no CDN, and no
    # call to the public validator either.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    throttle=[ClientRateLimit()],
)
errors.install(api)

ERRORS = {400: ErrorOut, 429: ErrorOut}


def _number(text: str) -> str:
    number = certificates.parse_number(text)
    if number is None:
        raise ApiError(400, "not_a_number", str(NOT_A_NUMBER), "number")
    return number


@api.get(
    "/certificates/{path:number}",
    response={200: CertificateOut, 404: ErrorOut, **ERRORS},
    operation_id="getCertificate",
    summary="One certificate by its number",
    description=(
        "The number as in the URL of the certificate page (ZP-2026-0007); ZP/2026/0007 with "
        "its slashes also works. The status is today's."
    ),
)
def get_certificate(
    request, number: str = Path(..., pattern=NUMBER_PATH_PATTERN, example="ZP-2026-0007")
):
    # A trailing slash is what people add to a path out of habit.
    found = registry.public_certificates().filter(number=_number(number.rstrip("/"))).first()
    if found is None:
        raise ApiError(
            404,
            "not_found",
            _("There is no certificate with this number in the registry."),
            "number",
        )
    return certificate_out(found, timezone.localdate())


@api.get(
    "/verify",
    response={200: VerificationOut, **ERRORS},
    operation_id="verifyCertificate",
    summary="Was the certificate valid today, or on a given day? Is its signature genuine?",
    description=(
        "`result` is the status on `date` (today if not given; a future date is refused): "
        "`unknown` when the registry has no certificate with this number. "
        "`certificate.status` is always today's. Pass the `s` parameter of the link in the "
        "certificate's QR code to learn whether its signature holds (`signature.status`); the "
        "public keys to check it offline are at /klucze/."
    ),
)
def verify(
    request,
    number: str = Query(
        ..., max_length=NUMBER_MAX_LENGTH, pattern=NUMBER_PATTERN, example="ZP/2026/0007"
    ),
    date: str | None = Query(None, **DATE_QUERY),
    s: str | None = Query(
        None,
        max_length=200,
        description="The signature token from the QR code's link (its `s` parameter).",
    ),
):
    canonical = _number(number)  # malformed: 400 here; well-formed but unknown: 200 "unknown"
    today = timezone.localdate()
    on_date = errors.day_asked(date, today)

    def compute() -> dict:
        verification = certificates.verify(number_text=number, on_date=on_date)
        signature = verify_signature(verification.certificate, s)
        return verification_out(verification, today, signature)

    def ready() -> str | None:
        # The common question, "is it valid today?": its answer is kept ready in the database,
        # one indexed read, updated by every change in the change's own transaction.
        if on_date != today or s:
            return None
        stored = answer_rows.answer_today(canonical, get_language() or "", today)
        if stored is None:
            return None
        answer = answer_rows.with_site(json.loads(stored))
        answer["query"] = number  # the answer repeats the query as typed
        answer["on_date"] = today.isoformat()
        return api.renderer.render(request, answer, response_status=200)

    return _cached_json(
        request,
        VerificationOut,
        compute,
        "verify",
        today.isoformat(),
        on_date.isoformat(),
        canonical,
        number,  # the answer repeats the query as typed
        s or "",
        ready=ready,
    )


@api.get(
    "/certificates",
    response={200: CertificatePageOut, 404: ErrorOut, **ERRORS},
    operation_id="searchCertificates",
    summary="Search the registry",
    description=(
        "The same search as the registry page: organisation name, NIP, certificate number or "
        "product/service name in `q` (case and Polish diacritics ignored: `zolc` finds "
        "`Żółć`); `status` as shown today; `number` for one exact number; `legal_form`, "
        "`kind`, `town`, `powiat` (TERYT code) and `year` of issue as the page's filters; "
        "`cpv` for the codes of a tender notice (a code finds its descendants too: 55520000-1 "
        "finds items coded 55521200-0; a code not in the CPV 2008 vocabulary, or with a wrong "
        "check digit, answers 400 `unknown_cpv` naming it); "
        "`bbox` for the organisations located in an area, as RFC 7946 orders it: "
        "`min_lon,min_lat,max_lon,max_lat` in degrees (WGS 84), for example "
        "`18.9,50.2,19.2,50.35` (an organisation not yet located is in no area; anything but "
        "four such numbers, west before east and south before north, answers 400 "
        "`invalid_bbox`); "
        "`sort` as its order. At most the first 1,000 matches are counted and paged: with more, "
        "`count` is 1000 and `count_is_capped` is true; narrow the search to reach the rest, or "
        "take the registry's open data downloads, which hold every match. A page past the last "
        "one answers 404."
    ),
)
def search_certificates(
    request,
    q: str = Query("", max_length=200),
    status: StatusFilter | None = None,
    number: str | None = Query(
        None, max_length=NUMBER_MAX_LENGTH, pattern=NUMBER_PATTERN, example="ZP/2026/0007"
    ),
    legal_form: LegalFormFilter | None = None,
    kind: KindFilter | None = None,
    town: str = Query(
        "",
        max_length=100,
        description="Any spelling: lodz finds Łódź.",
    ),
    year: int | None = Query(None, ge=2000, le=9999, description="Year of issue."),
    powiat: str = Query(
        "",
        description=(
            "The powiat's TERYT code: 2401–2417 for the powiats of the Silesian Voivodeship, "
            "2461–2479 for its cities with powiat rights (2469 is Katowice)."
        ),
    ),
    cpv: str = Query(
        "",
        max_length=cpv_codes.MAX_TEXT_LENGTH,
        pattern=CPV_PATTERN,
        description=(
            "CPV codes separated by commas or spaces, as in a tender notice: "
            "55520000-1, 90910000-9 (the check digit may be left out). Certificates with a "
            "product or service coded with one of them, or with a code below one of them."
        ),
        example="55520000-1, 90910000-9",
    ),
    # No maxLength: the pattern bounds the length, and a maxLength would have schema-driven
    # clients make up boxes of that length, which no box in order has.
    bbox: str = Query(
        "",
        pattern=BBOX_PATTERN,
        description=(
            "An area: min_lon,min_lat,max_lon,max_lat (RFC 7946's order, WGS 84 degrees). "
            "Certificates of organisations located inside it."
        ),
        example="18.9,50.2,19.2,50.35",
    ),
    sort: SortOrder = registry.DEFAULT_SORT,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    for name, value in (("q", q), ("town", town)):
        if "\x00" in value:  # PostgreSQL cannot take it as a parameter
            raise ApiError(400, "invalid_parameter", _("This parameter has a wrong value."), name)
    if powiat and powiat not in Powiat.values:
        raise ApiError(
            400,
            "invalid_parameter",
            _(
                "There is no such powiat. Give the powiat's four-digit TERYT code, for example "
                "2469 for Katowice."
            ),
            "powiat",
        )
    codes = _cpv_codes(cpv)
    try:
        area = registry.parse_bbox(bbox)
    except registry.NotABBox as error:
        raise ApiError(400, "invalid_bbox", str(error), "bbox") from None
    today = timezone.localdate()
    # The question as the parameters were understood: the cache key and the page links, so
    # that parameters the API does not know neither fill the cache nor travel in the links.
    asked = {
        name: value
        for name, value in (
            ("q", q),
            ("status", status),
            ("number", number),
            ("legal_form", legal_form),
            ("kind", kind),
            ("town", town),
            ("year", year),
            ("powiat", powiat),
            ("cpv", " ".join(code.full_code for code in codes)),
            ("bbox", str(area) if area else ""),
            ("sort", sort if sort != registry.DEFAULT_SORT else None),
            ("page_size", page_size if page_size != DEFAULT_PAGE_SIZE else None),
        )
        if value not in (None, "")
    }

    def compute() -> dict:
        towns = registry.town_spellings(town) if town.strip() else ()
        queryset = registry.filter_certificates(
            queryset=registry.public_certificates(),
            text=q,
            status=status or "",
            number=_number(number) if number is not None else "",
            legal_form=legal_form or "",
            kind=kind or "",
            towns=towns,
            year=year,
            powiat=powiat,
            cpv=[code.code for code in codes],
            bbox=area,
            today=today,
        )
        if town.strip() and not towns:  # no certificate holder there
            queryset = queryset.none()
        queryset = registry.order_certificates(queryset, sort)
        paginator = registry.CappedPaginator(queryset, page_size)
        if page > paginator.num_pages:
            raise ApiError(
                404,
                "no_such_page",
                _("There is no page %(page)s of these results; the last one is %(last)s.")
                % {"page": page, "last": paginator.num_pages},
                "page",
            )
        current = paginator.page(page)
        return {
            "count": paginator.count,
            "count_is_capped": paginator.capped,
            "page": page,
            "pages": paginator.num_pages,
            "page_size": page_size,
            "next": _page_url(request, asked, page + 1) if current.has_next() else None,
            "previous": _page_url(request, asked, page - 1) if current.has_previous() else None,
            "results": [certificate_out(c, today) for c in current.object_list],
        }

    return _cached_json(
        request,
        CertificatePageOut,
        compute,
        "search",
        today.isoformat(),
        urlencode(asked),
        str(page),
    )


def _cpv_codes(text: str) -> list:
    """The vocabulary's entries for the codes asked for; 400 naming any it does not have."""
    try:
        read = cpv_codes.read_codes(text)
    except DomainError as error:
        raise ApiError(400, "invalid_cpv", error.message, "cpv") from None
    if read.malformed:
        raise ApiError(400, "invalid_cpv", " ".join(read.problems), "cpv")
    if read.problems:
        # Naming them copies no free text: the pattern let through digits and dashes only.
        raise ApiError(400, "unknown_cpv", " ".join(read.problems), "cpv")
    return read.found


@api.get(
    "/cpv-codes",
    response={200: list[CpvCodeOut], **ERRORS},
    operation_id="suggestCpvCodes",
    summary="CPV codes for an autocomplete",
    description=(
        "Codes of the CPV 2008 vocabulary: by the start of the code when `q` is digits "
        "(`5552` gives 55520000-1 and its descendants), else those whose Polish or English "
        "wording has every word of `q` (case and Polish diacritics ignored), broader codes "
        "first. At most `limit`; an empty list when nothing matches."
    ),
)
def suggest_cpv_codes(
    request,
    q: str = Query("", max_length=200, example="catering"),
    limit: int = Query(cpv_codes.SUGGESTIONS, ge=1, le=50),
):
    if "\x00" in q:  # PostgreSQL cannot take it as a parameter
        raise ApiError(400, "invalid_parameter", _("This parameter has a wrong value."), "q")
    return [cpv_code_out(code) for code in cpv_codes.suggestions(q, limit=limit)]


def _cached_json(request, schema, compute, *key_parts: str, ready=None) -> HttpResponse:
    """The JSON of `compute()`'s answer as `schema` shapes it, from the registry cache if there.

    The answer depends on the key parts and the language of the request (the labels). `ready`,
    if given, may return the JSON made beforehand (None: compute it).
    """

    def render() -> bytes:
        made = ready() if ready is not None else None
        if made is not None:
            return made
        shaped = schema.model_validate(compute()).model_dump(by_alias=True)
        return api.renderer.render(request, shaped, response_status=200)

    key = registry_cache.key(*key_parts, get_language() or "")
    return HttpResponse(registry_cache.answer(key, render), content_type=api.renderer.media_type)


def _page_url(request, asked: dict, page: int) -> str:
    return absolute(f"{request.path}?{urlencode({**asked, 'page': page})}")


api.post(
    "/verify",
    response={
        200: verify_credential.CredentialVerificationOut,
        413: ErrorOut,
        **ERRORS,
    },
    operation_id="verifyCredential",
    summary="Is this verifiable credential genuine, and what is its status now?",
    description=(
        "Send a credential downloaded from a certificate's page (the body is the credential "
        "itself). `verified` says whether it is this registry's and its proof holds with a key "
        "the registry publishes (/.well-known/did.json); `status` what the registry's status "
        "lists say of it now. A credential of another issuer, with a wrong signature or a "
        "status list the registry does not publish is a 200 with `verified` false and the "
        "reason in `errors`; a body that is not a JSON object is a 400, one over 64 KB a 413. "
        "Nothing is stored, and nothing is fetched from elsewhere."
    ),
    openapi_extra={"requestBody": verify_credential.REQUEST_BODY},
)(verify_credential.verify_presented)

api.add_router("/verify/nip", "certification.api.verify_nip.router")
