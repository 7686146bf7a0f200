"""Reading the registry ROPS kept before the system (manage.py import_registry FILE.csv).

One row per certificate, as Excel in Poland saves a sheet: UTF-8 with or without a byte order
mark, cells separated by `;` (Excel's "CSV UTF-8" in a Polish locale) or `,`. Columns are found
by their headings, in English or Polish, with or without diacritics, in any order; columns
the import does not know are refused (a typo in a heading would otherwise drop a column
silently). The columns are listed in docs/operations.md; registry_import.py checks the values.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import FileProblems
from .search import fold

# A registry of a few thousand certificates is well under a megabyte.
MAX_BYTES = 20 * 1024 * 1024
# A file wrong throughout would list thousands of problems: the first ones tell what is wrong.
MAX_REPORTED = 50

# column → (required, headings accepted besides the column's own name, folded)
COLUMNS = {
    "number": (True, ("numer", "numer certyfikatu")),
    "nip": (True, ()),
    "regon": (True, ()),
    "krs": (False, ()),
    "name": (True, ("nazwa", "nazwa organizacji")),
    "legal_form": (True, ("forma prawna", "forma_prawna")),
    "street": (True, ("ulica", "adres")),
    "postal_code": (True, ("kod pocztowy", "kod_pocztowy")),
    "town": (True, ("miejscowosc", "miasto")),
    "powiat": (False, ()),
    "email": (False, ("e-mail",)),
    "registration_date": (False, ("data rejestracji", "data_rejestracji")),
    "products": (False, ("produkty",)),
    "services": (False, ("uslugi",)),
    "issued_on": (True, ("data wydania", "data_wydania", "wydany")),
    "valid_from": (False, ("wazny od", "wazny_od")),
    "valid_until": (True, ("wazny do", "wazny_do")),
    "status": (True, ()),
    "status_since": (False, ("status od", "status_od")),
    "status_reason": (False, ("uzasadnienie", "powod")),
}


class RegistryImportError(FileProblems):
    """The file cannot be imported; `problems` names each wrong row and field."""

    max_reported = MAX_REPORTED


@dataclass(frozen=True)
class Row:
    line: int  # the row of the file, heading = 1: what the messages name
    cells: dict[str, str]  # column → the value as written, trimmed; "" when absent

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


def _column_of(heading: str) -> str | None:
    folded = fold(heading).replace("-", "_") if heading else ""
    for column, (_required, aliases) in COLUMNS.items():
        names = {column, column.replace("_", " ")} | {a.replace("-", "_") for a in aliases}
        names |= {a.replace("_", " ") for a in names}
        if folded in names or folded.replace("_", " ") in names:
            return column
    return None


def read_file(path: Path) -> list[Row]:
    path = Path(path)
    if not path.is_file():
        raise RegistryImportError([_("There is no file %(path)s.") % {"path": path}])
    if path.stat().st_size > MAX_BYTES:
        raise RegistryImportError([_("The file is too large to be a registry of certificates.")])
    return read_csv(path.read_bytes())


def read_csv(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryImportError(
            [_("The file is not UTF-8 text: in Excel, save it as “CSV UTF-8”.")]
        ) from None
    first_line = text.split("\n", 1)[0]
    # The heading decides: Excel in Poland separates with ";", elsewhere with ",".
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    heading = next(reader, [])
    columns, problems = [], []
    for position, name in enumerate(heading, start=1):
        column = _column_of(name.strip())
        if column is None and name.strip():
            problems.append(
                _("Column %(position)d: the heading “%(name)s” is not a column of the import.")
                % {"position": position, "name": name.strip()}
            )
        elif column in columns:
            problems.append(
                _("Column %(position)d: the column “%(name)s” appears twice.")
                % {"position": position, "name": name.strip()}
            )
        columns.append(column)
    missing = [c for c, (required, _a) in COLUMNS.items() if required and c not in columns]
    if missing:
        problems.append(_("The file has no column %(missing)s.") % {"missing": ", ".join(missing)})
    if problems:
        raise RegistryImportError(problems)
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line, as spreadsheets leave at the end
        cells = {
            column: value.strip()
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        rows.append(Row(line, cells))
    if not rows:
        raise RegistryImportError([_("The file holds no certificates.")])
    return rows
