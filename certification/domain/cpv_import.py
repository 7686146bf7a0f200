"""Loading the CPV 2008 vocabulary from the EU's official file (manage.py import_cpv FILE).

The EU Publications Office publishes the vocabulary (Commission Regulation (EC) No 213/2008)
as `cpv_2008_xml.zip` (one XML file: <CPV_CODE><CPV CODE="03000000-1"><TEXT LANG="PL">…) and as
a spreadsheet with a CODE column and one column per language (BG, CS, … EN, … PL, …). This
reads the XML (or the zip holding it) and CSV saved from the spreadsheet (UTF-8, any of the
separators , ; or tab, columns found by their headings, the others ignored).

All or nothing: every row is checked first, every problem is reported with its row, and the
database changes only if there is none, in one transaction. Codes are added or updated, never
deleted (products and services may use them).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CpvCode
from . import audit
from .cpv import search_text_for, significant
from .errors import FileProblems

FULL_CODE = re.compile(r"^(\d{8})-(\d)$")
LABEL_MAX = CpvCode._meta.get_field("label_pl").max_length
# The largest file the EU publishes is some 20 MB (all languages); more is not the vocabulary.
MAX_BYTES = 100 * 1024 * 1024
# A file wrong throughout would list thousands of rows: the first ones tell what is wrong.
MAX_REPORTED = 30
BATCH_SIZE = 1000


class CpvImportError(FileProblems):
    """The file cannot be imported; `problems` names each wrong row."""

    max_reported = MAX_REPORTED


@dataclass(frozen=True)
class Row:
    where: str  # "row 12" of a CSV, "entry 12" of the XML: what the messages name
    code: str  # as in the file: 55520000-1
    label_pl: str
    label_en: str


@dataclass(frozen=True)
class Outcome:
    rows: int
    created: int
    updated: int
    unchanged: int
    not_in_file: int  # in the database, absent from the file: kept
    dry_run: bool


def read_file(path: Path) -> list[Row]:
    """The rows of an official XML file, a zip holding one, or a CSV of the spreadsheet."""
    path = Path(path)
    if not path.is_file():
        raise CpvImportError([_("There is no file %(path)s.") % {"path": path}])
    if path.stat().st_size > MAX_BYTES:
        raise CpvImportError([_("The file is too large to be the CPV vocabulary.")])
    data, name = path.read_bytes(), path.name.lower()
    if name.endswith(".zip"):
        data, name = _from_zip(data)
    if name.endswith(".xml"):
        return read_xml(data)
    if name.endswith(".csv"):
        return read_csv(data)
    raise CpvImportError(
        [_("Give the official XML file (or the zip holding it) or a CSV file of the spreadsheet.")]
    )


def _from_zip(data: bytes) -> tuple[bytes, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CpvImportError([_("The file is not a readable zip archive.")]) from None
    members = [m for m in archive.infolist() if m.filename.lower().endswith((".xml", ".csv"))]
    if len(members) != 1:
        raise CpvImportError([_("The zip archive should hold one XML or CSV file.")])
    if members[0].file_size > MAX_BYTES:
        raise CpvImportError([_("The file is too large to be the CPV vocabulary.")])
    return archive.read(members[0]), members[0].filename.lower()


def read_xml(data: bytes) -> list[Row]:
    """<CPV_CODE><CPV CODE="…"><TEXT LANG="PL">…</TEXT><TEXT LANG="EN">…</TEXT></CPV>…"""
    try:
        # The operator's own download of the official file; expat refuses entity bombs.
        root = ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError as error:
        raise CpvImportError(
            [_("The XML file cannot be read: %(error)s.") % {"error": error}]
        ) from None
    if root.tag != "CPV_CODE":
        raise CpvImportError(
            [_("This is not the CPV vocabulary's XML file: it should start with <CPV_CODE>.")]
        )
    rows = []
    for number, entry in enumerate(root.iter("CPV"), start=1):
        texts = {(t.get("LANG") or "").upper(): (t.text or "").strip() for t in entry.iter("TEXT")}
        rows.append(
            Row(
                _("entry %(number)d") % {"number": number},
                (entry.get("CODE") or "").strip(),
                texts.get("PL", ""),
                texts.get("EN", ""),
            )
        )
    return rows


def read_csv(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CpvImportError(
            [_("The CSV file is not UTF-8 text: save the spreadsheet as “CSV UTF-8”.")]
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    heading = [name.strip().upper() for name in next(reader, [])]
    missing = [name for name in ("CODE", "PL", "EN") if name not in heading]
    if missing:
        raise CpvImportError(
            [
                _("The CSV file has no column %(missing)s; its columns are: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ", ".join(heading) or "—"}
            ]
        )
    at = {name: heading.index(name) for name in ("CODE", "PL", "EN")}
    rows = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # a blank line, as spreadsheets leave at the end

        def cell(name: str, values=values) -> str:
            index = at[name]
            return values[index].strip() if index < len(values) else ""

        rows.append(
            Row(_("row %(number)d") % {"number": line}, cell("CODE"), cell("PL"), cell("EN"))
        )
    return rows


def check_rows(rows: list[Row]) -> list[str]:
    """Every problem of the rows, each naming its row; empty when they can be imported."""
    if not rows:
        return [_("The file holds no CPV codes.")]
    problems = []
    first_seen: dict[str, str] = {}
    for row in rows:
        match = FULL_CODE.match(row.code)
        if match is None:
            problems.append(
                _(
                    "%(where)s: “%(code)s” is not a CPV code (8 digits, a dash and a check "
                    "digit, for example 55520000-1)."
                )
                % {"where": row.where, "code": row.code}
            )
            continue
        code = match.group(1)
        if code in first_seen:
            problems.append(
                _("%(where)s: the code %(code)s appears again (first at %(first)s).")
                % {"where": row.where, "code": row.code, "first": first_seen[code]}
            )
            continue
        first_seen[code] = row.where
        for label, language in ((row.label_pl, _("Polish")), (row.label_en, _("English"))):
            if not label:
                problems.append(
                    _("%(where)s: the %(language)s wording of %(code)s is empty.")
                    % {"where": row.where, "language": language, "code": row.code}
                )
            elif len(label) > LABEL_MAX:
                problems.append(
                    _("%(where)s: the %(language)s wording of %(code)s is longer than %(max)d.")
                    % {"where": row.where, "language": language, "code": row.code, "max": LABEL_MAX}
                )
    # A code without its division in the file means a cut or shuffled file.
    for code, where in first_seen.items():
        division = code[:2].ljust(8, "0")
        if division not in first_seen:
            problems.append(
                _("%(where)s: the division %(division)s of the code %(code)s is not in the file.")
                % {"where": where, "division": division, "code": code}
            )
    return problems


def import_rows(rows: list[Row], *, dry_run: bool = False) -> Outcome:
    """Add or update the vocabulary from checked rows, in one transaction; raise
    CpvImportError (and change nothing) if any row is wrong. `dry_run` only tells."""
    problems = check_rows(rows)
    if problems:
        raise CpvImportError(problems)
    with transaction.atomic():
        existing = {c.code: c for c in CpvCode.objects.select_for_update()}
        new, changed, unchanged = [], [], 0
        for row in rows:
            code, check = row.code.split("-")
            values = {
                "check_digit": check,
                "label_pl": row.label_pl,
                "label_en": row.label_en,
                "level": len(significant(code)),
                "search_text": search_text_for(code, row.label_pl, row.label_en),
            }
            current = existing.get(code)
            if current is None:
                new.append(CpvCode(code=code, **values))
            elif any(getattr(current, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                changed.append(current)
            else:
                unchanged += 1
        if not dry_run:
            CpvCode.objects.bulk_create(new, batch_size=BATCH_SIZE)
            CpvCode.objects.bulk_update(
                changed,
                ["check_digit", "label_pl", "label_en", "level", "search_text"],
                batch_size=BATCH_SIZE,
            )
            if new or changed:
                audit.record(
                    actor=None,
                    action="cpv.vocabulary_imported",
                    created=len(new),
                    updated=len(changed),
                )
        in_file = {row.code[:8] for row in rows}
        return Outcome(
            rows=len(rows),
            created=len(new),
            updated=len(changed),
            unchanged=unchanged,
            not_in_file=sum(1 for code in existing if code not in in_file),
            dry_run=dry_run,
        )


def import_file(path: Path, *, dry_run: bool = False) -> Outcome:
    return import_rows(read_file(path), dry_run=dry_run)
