"""Validators for Polish identifiers. Checksums come from python-stdnum."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon


def normalize_digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_nip(value: str) -> None:
    digits = normalize_digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            _("A NIP has exactly 10 digits (dashes and spaces are allowed)."), code="nip_format"
        )
    try:
        stdnum_nip.validate(digits)
    except InvalidChecksum:
        raise ValidationError(
            _("This NIP has a wrong check digit: check it for a typo."), code="nip_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("This is not a valid NIP."), code="nip_invalid") from None


def validate_regon(value: str) -> None:
    digits = normalize_digits(value)
    if not re.fullmatch(r"\d{9}|\d{14}", digits):
        raise ValidationError(_("A REGON has 9 or 14 digits."), code="regon_format")
    try:
        stdnum_regon.validate(digits)
    except InvalidChecksum:
        raise ValidationError(
            _("This REGON has a wrong check digit: check it for a typo."), code="regon_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("This is not a valid REGON."), code="regon_invalid") from None


def validate_krs(value: str) -> None:
    if value and not re.fullmatch(r"\d{10}", value):
        raise ValidationError(
            _("A KRS number has exactly 10 digits, with leading zeros (e.g. 0000123456)."),
            code="krs_format",
        )


def validate_postal_code(value: str) -> None:
    if not re.fullmatch(r"\d{2}-\d{3}", value or ""):
        raise ValidationError(_("Enter the postal code as NN-NNN, e.g. 40-001."), code="postal")
