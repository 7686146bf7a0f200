"""Checking each row of the pre-system registry: one message per wrong field, naming its row.

What registry_import.py saves is a `Planned` certificate per row, made here only from rows
with no problem. Values are accepted as people type them in a spreadsheet: dates as
2024-03-15 or 15.03.2024, NIPs with dashes, legal forms and statuses by their code or their
Polish or English name.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from ..choices import LEGAL_FORMS_WITHOUT_KRS, CertificateStatus, ItemKind, LegalForm, Powiat
from ..models import ApplicationItem, Certificate, CpvCode, Organization
from ..validators import (
    normalize_digits,
    validate_krs,
    validate_nip,
    validate_postal_code,
    validate_regon,
)
from .certificates import parse_number
from .lifecycle import REASON_MAX_LENGTH
from .registry_file import Row
from .search import fold

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")
ITEM_SEPARATOR = "|"
ITEM_RE = re.compile(r"^(?P<name>[^\[\]]+?)\s*(?:\[(?P<codes>[^\[\]]*)\])?$")
CPV_RE = re.compile(r"^(\d{8})(?:-(\d))?$")
# Polish words ROPS's registry may use for a status, besides the labels of both languages.
STATUS_WORDS = {
    "wazny": CertificateStatus.VALID,
    "aktywny": CertificateStatus.VALID,
    "zawieszony": CertificateStatus.SUSPENDED,
    "cofniety": CertificateStatus.REVOKED,
    "odebrany": CertificateStatus.REVOKED,
    "uniewazniony": CertificateStatus.REVOKED,
    "wygasly": CertificateStatus.EXPIRED,
    "wygasniety": CertificateStatus.EXPIRED,
}
NAME_MAX = {
    "name": Organization._meta.get_field("name").max_length,
    "street": Organization._meta.get_field("street").max_length,
    "town": Organization._meta.get_field("town").max_length,
    "item": ApplicationItem._meta.get_field("name").max_length,
}


@dataclass
class Planned:
    """One row, checked: what will be saved."""

    line: int
    number: str
    year: int
    sequence: int
    organization: dict  # Organization fields, nip included
    items: list[tuple[str, str, list]]  # (kind, name, [(8 digits, check digit or None)])
    issued_on: datetime.date  # as the file gives it
    valid_from: datetime.date  # what the system counts validity from (Certificate.issued_on)
    valid_until: datetime.date
    status: str
    status_since: datetime.date | None
    status_reason: str
    registration_date: datetime.date | None = None


def _labels(choices) -> dict[str, str]:
    """Folded code and label in both languages → the stored value."""
    found = {}
    for language in ("pl", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[fold(str(label))] = value
    for value in choices.values:
        found[fold(value)] = value
        found[fold(value.replace("_", " "))] = value
    return found


def parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


class RowChecker:
    """Checks rows one by one, remembering the numbers seen (duplicates in the file)."""

    def __init__(self, *, today: datetime.date):
        self.today = today
        self.legal_forms = _labels(LegalForm)
        self.statuses = _labels(CertificateStatus) | STATUS_WORDS
        self.powiats = {fold(label): value for value, label in Powiat.choices} | {
            v: v for v in Powiat.values
        }
        self.first_seen: dict[str, int] = {}

    def check(self, row: Row) -> tuple[Planned | None, list[str]]:
        problems: list[str] = []

        def problem(column: str, message: str, **values) -> None:
            problems.append(
                _("Row %(line)d, column %(column)s: %(message)s")
                % {"line": row.line, "column": column, "message": message % values}
            )

        number = parse_number(row["number"])
        if not row["number"]:
            problem("number", _("the certificate number is missing."))
        elif number is None:
            problem(
                "number",
                _("“%(value)s” is not a certificate number (ZP/year/sequence, e.g. ZP/2021/0007)."),
                value=row["number"],
            )
        elif number in self.first_seen:
            problem(
                "number",
                _("the number %(number)s appears again (first at row %(first)d)."),
                number=number,
                first=self.first_seen[number],
            )
        else:
            self.first_seen[number] = row.line
        organization = self._organization(row, problem)
        items = self._items(row, problem)
        dates = self._dates(row, problem)
        status, since, reason = self._status(row, problem, dates)
        if problems:
            return None, problems
        year, sequence = (int(part) for part in number.split("/")[1:])
        issued_on, valid_from, valid_until, registered = dates
        return (
            Planned(
                line=row.line,
                number=number,
                year=year,
                sequence=sequence,
                organization=organization,
                items=items,
                issued_on=issued_on,
                valid_from=valid_from,
                valid_until=valid_until,
                status=status,
                status_since=since,
                status_reason=reason,
                registration_date=registered,
            ),
            [],
        )

    def _organization(self, row: Row, problem) -> dict:
        values = {}
        for column, validator in (
            ("nip", validate_nip),
            ("regon", validate_regon),
            ("krs", validate_krs),
            ("postal_code", validate_postal_code),
        ):
            value = row[column] if column == "postal_code" else normalize_digits(row[column])
            if not value and column in ("krs",):
                values[column] = ""
                continue
            if not value:
                problem(column, _("this field is required."))
                continue
            try:
                validator(value)
            except ValidationError as error:
                problem(column, "%(error)s", error=" ".join(error.messages))
                continue
            values[column] = value
        for column in ("name", "street", "town"):
            value = " ".join(row[column].split())
            if not value:
                problem(column, _("this field is required."))
            elif len(value) > NAME_MAX[column]:
                problem(column, _("longer than %(max)d characters."), max=NAME_MAX[column])
            values[column] = value
        legal_form = self.legal_forms.get(fold(row["legal_form"]))
        if legal_form is None:
            problem(
                "legal_form",
                _("“%(value)s” is not a legal form the scheme knows (for example: %(example)s)."),
                value=row["legal_form"],
                example=", ".join(LegalForm.values[:3]),
            )
        elif not row["krs"] and legal_form not in LEGAL_FORMS_WITHOUT_KRS:
            problem("krs", _("this legal form is entered in the KRS: give its KRS number."))
        values["legal_form"] = legal_form or ""
        powiat = ""
        if row["powiat"]:
            powiat = self.powiats.get(fold(row["powiat"]), "")
            if not powiat:
                problem(
                    "powiat", _("“%(value)s” is not a powiat of the region."), value=row["powiat"]
                )
        values["powiat"] = powiat
        values["email"] = row["email"]
        if row["email"] and "@" not in row["email"]:
            problem("email", _("“%(value)s” is not an e-mail address."), value=row["email"])
        return values

    def _items(self, row: Row, problem) -> list[tuple[str, str, list]]:
        items = []
        for column, kind in (("products", ItemKind.PRODUCT), ("services", ItemKind.SERVICE)):
            for entry in filter(None, (e.strip() for e in row[column].split(ITEM_SEPARATOR))):
                match = ITEM_RE.match(entry)
                if match is None:
                    problem(column, _("“%(value)s” cannot be read as an item."), value=entry)
                    continue
                name = " ".join(match["name"].split())
                if len(name) > NAME_MAX["item"]:
                    problem(column, _("“%(value)s…” is too long a name."), value=name[:40])
                    continue
                codes = []
                for code in filter(None, (c.strip() for c in (match["codes"] or "").split(","))):
                    found = CPV_RE.match(code)
                    if found is None:
                        problem(
                            column,
                            _("“%(value)s” is not a CPV code (e.g. 55520000-1)."),
                            value=code,
                        )
                        continue
                    codes.append((found[1], found[2]))
                items.append((kind, name, codes))
        if not items:
            problem(
                "products",
                _("the certificate names no product or service (columns products and services)."),
            )
        return items

    def _dates(self, row: Row, problem):
        found = {}
        for column in ("issued_on", "valid_from", "valid_until", "registration_date"):
            found[column] = parse_date(row[column]) if row[column] else None
            if row[column] and found[column] is None:
                problem(
                    column,
                    _("“%(value)s” is not a date (2024-03-15 or 15.03.2024)."),
                    value=row[column],
                )
            elif not row[column] and column in ("issued_on", "valid_until"):
                problem(column, _("this field is required."))
        issued, until = found["issued_on"], found["valid_until"]
        start = found["valid_from"] or issued
        if issued and issued > self.today:
            problem("issued_on", _("%(date)s is in the future."), date=issued.isoformat())
        if issued and found["valid_from"] and found["valid_from"] < issued:
            problem("valid_from", _("the validity cannot start before the certificate was issued."))
        if start and until and until < start:
            problem("valid_until", _("the validity ends before it starts."))
        return issued, start, until, found["registration_date"]

    def _status(self, row: Row, problem, dates):
        status = self.statuses.get(fold(row["status"]))
        _issued, start, until, _registered = dates
        since = parse_date(row["status_since"]) if row["status_since"] else None
        reason = row["status_reason"]
        if status is None:
            problem(
                "status",
                _("“%(value)s” is not a status (valid, suspended, revoked or expired)."),
                value=row["status"],
            )
            return None, None, reason
        if len(reason) > REASON_MAX_LENGTH:
            problem("status_reason", _("longer than %(max)d characters."), max=REASON_MAX_LENGTH)
        if until and status == CertificateStatus.EXPIRED and until >= self.today:
            problem(
                "status",
                _("“expired”, but the certificate is valid until %(date)s."),
                date=until.isoformat(),
            )
        active = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
        if until and status in active and until < self.today:
            problem(
                "status",
                _("the validity ended on %(date)s: the status is “expired” (or “revoked”)."),
                date=until.isoformat(),
            )
        if status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
            if row["status_since"] and since is None:
                problem("status_since", _("“%(value)s” is not a date."), value=row["status_since"])
            elif since is None:
                problem(
                    "status_since",
                    _("give the date the certificate was suspended or revoked."),
                )
            elif start and until and (since < start or since > min(until, self.today)):
                problem(
                    "status_since",
                    _("the date must fall within the validity, and not after today."),
                )
            if not reason:
                problem(
                    "status_reason", _("give the public reason of the suspension or revocation.")
                )
        return status, since, reason


def database_problems(planned: list[Planned]) -> list[str]:
    """What the rows clash with in the database: numbers already there, unknown CPV codes.

    Two queries whatever the number of rows."""
    problems = []
    numbers = {p.number: p for p in planned}
    taken = Certificate.objects.filter(number__in=numbers).values_list("number", flat=True)
    for number in sorted(taken, key=lambda n: numbers[n].line):
        problems.append(
            _("Row %(line)d, column number: the certificate %(number)s is already in the registry.")
            % {"line": numbers[number].line, "number": number}
        )
    codes = {code for p in planned for _k, _n, item_codes in p.items for code, _c in item_codes}
    known = dict(CpvCode.objects.filter(code__in=codes).values_list("code", "check_digit"))
    for p in planned:
        for kind, _name, item_codes in p.items:
            column = "products" if kind == ItemKind.PRODUCT else "services"
            for code, check in item_codes:
                where = {"line": p.line, "column": column, "code": code, "check": check}
                if code not in known:
                    problems.append(
                        _(
                            "Row %(line)d, column %(column)s: the CPV code %(code)s is not in the "
                            "vocabulary (load it with manage.py import_cpv)."
                        )
                        % where
                    )
                elif check is not None and known[code] != check:
                    problems.append(
                        _(
                            "Row %(line)d, column %(column)s: the CPV code %(code)s-%(check)s has "
                            "a wrong check digit (it is %(code)s-%(right)s)."
                        )
                        % (where | {"right": known[code]})
                    )
    return problems
