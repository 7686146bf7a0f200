"""The registry as open data: CSV and JSON downloads of the certificates the filters select.

Streamed a batch of rows at a time, so the whole registry (100,000 certificates and more)
never sits in memory. Each row says the status on the day of the download.
"""

import io
import itertools
import json

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from .. import registry
from ..choices import LegalForm, Powiat, VerificationResult
from ..domain.certificates import number_to_slug
from ..exports import bad_download, excel_csv_writer, safe_cell
from ..forms.public import RegistrySearchForm
from ..models import Certificate

BATCH_SIZE = 1000
SLUG_PLACEHOLDER = "ZP-0000-0000"

# The columns, in order, and what each holds: the registry page documents them from here.
COLUMNS = [
    ("number", gettext_lazy("Certificate number, for example ZP/2026/0007.")),
    (
        "status",
        gettext_lazy("Status on the day of the download: valid, expired, suspended or revoked."),
    ),
    ("status_label", gettext_lazy("The same status in words, in the language of the page.")),
    (
        "organization_name",
        gettext_lazy("Full name of the organisation, as the certificate states it (at issue)."),
    ),
    (
        "nip",
        gettext_lazy(
            "The NIP (tax identification number) the certificate was issued to, 10 digits."
        ),
    ),
    ("legal_form", gettext_lazy("Legal form as a code, for example social_cooperative.")),
    ("legal_form_label", gettext_lazy("Legal form in words.")),
    ("town", gettext_lazy("Town of the organisation's seat.")),
    (
        "powiat",
        gettext_lazy(
            "The powiat (county) of the seat as its TERYT code, for example 2469; empty when "
            "the organisation has not given it."
        ),
    ),
    ("powiat_name", gettext_lazy("The powiat's name.")),
    (
        "items",
        gettext_lazy(
            "Products and services covered. CSV: their names separated by “; ”. JSON: a list "
            "of objects with name, kind (product or service) and cpv (the list of its CPV "
            "codes)."
        ),
    ),
    (
        "cpv",
        gettext_lazy(
            "CPV codes of the products and services, as in a tender notice (55520000-1), "
            "separated by spaces (JSON: a list)."
        ),
    ),
    ("issued_on", gettext_lazy("Date of issue, as YYYY-MM-DD.")),
    ("valid_until", gettext_lazy("Last day of validity, as YYYY-MM-DD.")),
    ("url", gettext_lazy("Address of the certificate's page in the registry.")),
    (
        "imported",
        gettext_lazy(
            "Issued before the system and imported from the registry ROPS kept then: 1 or 0 "
            "in CSV, true or false in JSON."
        ),
    ),
]


# What each row is read from: plain values, no model instances (ten times faster at 100,000).
FIELDS = (
    "pk",
    "number",
    "status_today",
    # What the certificate states: its holder as issued, not the profile as it is today.
    "holder_name",
    "holder_nip",
    "holder_legal_form",
    "holder_town",
    "holder_powiat",
    "issued_on",
    "valid_until",
    "imported",
)


class _Rows:
    """The certificates the request's filters select, as dictionaries, a batch at a time."""

    def __init__(self, form: RegistrySearchForm):
        self.today = timezone.localdate()
        self.queryset = (
            form.filter(Certificate.objects.all(), today=self.today)
            .annotate(status_today=registry.status_today(self.today))
            .values_list(*FIELDS)
        )
        # reverse() once, not once per row: the slug is all that changes.
        self.url = settings.SITE_URL + reverse("certificate_detail", args=[SLUG_PLACEHOLDER])
        self.status_labels = {value: str(label) for value, label in VerificationResult.choices}
        self.legal_form_labels = {value: str(label) for value, label in LegalForm.choices}
        self.powiat_names = dict(Powiat.choices)

    def __iter__(self):
        rows = self.queryset.iterator(chunk_size=BATCH_SIZE)
        for batch in itertools.batched(rows, BATCH_SIZE):
            items = registry.certificate_items([row[0] for row in batch])
            for row in batch:
                yield self.row(row, items.get(row[0], []))

    def row(self, values: tuple, items: list[dict]) -> dict:
        _, number, status, name, nip, legal_form, town, powiat, issued_on, valid_until, imported = (
            values
        )
        return {
            "number": number,
            "status": status,
            "status_label": self.status_labels.get(status, status),
            "organization_name": name,
            "nip": nip,
            "legal_form": legal_form,
            "legal_form_label": self.legal_form_labels.get(legal_form, legal_form),
            "town": town,
            "powiat": powiat,
            "powiat_name": self.powiat_names.get(powiat, ""),
            "items": items,
            # Each code once, though two items share it.
            "cpv": sorted({code for item in items for code in item["cpv"]}),
            "issued_on": issued_on.isoformat(),
            "valid_until": valid_until.isoformat(),
            "url": self.url.replace(SLUG_PLACEHOLDER, number_to_slug(number)),
            "imported": imported,
        }


def _form_or_error(request):
    """The filters, or a 400 saying which one is wrong: a download never silently ignores one."""
    form = RegistrySearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return None, bad_download(form)
    return form, None


def _csv_chunks(rows: _Rows):
    buffer = io.StringIO()
    writer = excel_csv_writer(buffer)
    writer.writerow([name for name, _ in COLUMNS])
    for count, row in enumerate(rows, start=1):
        row["items"] = "; ".join(item["name"] for item in row["items"])
        row["cpv"] = " ".join(row["cpv"])
        row["imported"] = int(row["imported"])
        writer.writerow(
            [
                safe_cell(row[name]) if isinstance(row[name], str) else row[name]
                for name, _ in COLUMNS
            ]
        )
        if count % BATCH_SIZE == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _json_chunks(rows: _Rows):
    yield f'{{"generated_on": "{rows.today.isoformat()}", "certificates": ['.encode()
    batch = []
    for count, row in enumerate(rows):
        batch.append(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
        if len(batch) == BATCH_SIZE:
            yield "".join(batch).encode()
            batch = []
    yield ("".join(batch) + "\n]}\n").encode()


def _download(request, chunks, *, extension: str, content_type: str, disposition: str):
    form, error = _form_or_error(request)
    if error:
        return error
    rows = _Rows(form)
    response = StreamingHttpResponse(chunks(rows), content_type=content_type)
    filename = f"rejestr-zakup-prospoleczny-{rows.today:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def registry_csv(request):
    return _download(
        request,
        _csv_chunks,
        extension="csv",
        content_type="text/csv; charset=utf-8",
        disposition="attachment",
    )


@require_safe
def registry_json(request):
    return _download(
        request,
        _json_chunks,
        extension="json",
        content_type="application/json; charset=utf-8",
        disposition="inline",
    )
