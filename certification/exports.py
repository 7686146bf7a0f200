"""What the CSV downloads share: Excel-friendly files, formula escaping, and the answer to an
address whose parameters are wrong."""

import csv

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext

# A spreadsheet takes a cell starting with one of these for a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Such a value starts with an apostrophe, which Excel shows as text."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def excel_csv_writer(buffer):
    """A CSV writer for Polish Excel, with the byte-order mark already in `buffer`.

    RFC 4180 quoting and line ends, but semicolons: Excel in Polish (and most of Europe) splits
    a double-clicked CSV on the system's list separator, ";" there, as the comma is its decimal
    separator. The byte-order mark tells Excel the file is UTF-8 (else it mangles Polish letters).
    """
    buffer.write("\ufeff")
    return csv.writer(buffer, delimiter=";", lineterminator="\r\n")


def bad_download(form) -> HttpResponseBadRequest:
    """A download never silently ignores a wrong parameter: say which one, and make nothing."""
    problems = [
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]
    message = gettext("The download was not made. Correct the address:")
    return HttpResponseBadRequest(
        "\n".join([message, *problems]) + "\n", content_type="text/plain; charset=utf-8"
    )
