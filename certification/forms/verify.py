"""The verification form: one box for a certificate number or a NIP, and an optional date."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..domain.certificates import parse_number
from ..domain.verification_by_nip import NipError, nip_digits, parse_nip
from . import no_maxlength_attribute
from .lifecycle import DayField
from .public import NUMBER_MAX_LENGTH

# Starts with the number-only message's words, which the API and older pages still use.
NOT_A_NUMBER_OR_NIP = _(
    "This is not a certificate number or a NIP. Certificate numbers look like ZP/2026/0007 and "
    "a NIP has 10 digits, such as 526-025-02-74: check what you typed."
)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number or NIP"),
        help_text=_(
            "For example ZP/2026/0007, printed at the top of the certificate, or the "
            "organisation's NIP, such as 526-025-02-74, to see all its certificates."
        ),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={
            "required": _(
                "Enter the certificate number. You can also enter the organisation's NIP instead."
            ),
            # One message for every kind of wrong input: a long paste is just a wrong number.
            "max_length": NOT_A_NUMBER_OR_NIP,
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
                "class": "input-number",
            }
        ),
    )

    # "Was it valid on the day of my tender?" Empty means today.
    date = DayField(
        label=_("Was it valid on… (optional)"),
        help_text=_(
            "For example the date of your tender, written as 15.03.2026. Leave it empty to check "
            "today."
        ),
        required=False,
        invalid_message=_("Enter a real date, for example 15.03.2026."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)

    def clean_number(self) -> str:
        """The certificate number as registered (ZP/2026/0007), or a NIP's ten digits."""
        text = self.cleaned_data["number"]
        number = parse_number(text)
        if number is not None:
            return number
        if nip_digits(text) is None:
            raise forms.ValidationError(NOT_A_NUMBER_OR_NIP, code="not_a_number")
        try:
            return parse_nip(text)
        except NipError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    @property
    def nip(self) -> str:
        """The NIP asked about, or "" when the form holds a certificate number (or is invalid)."""
        value = getattr(self, "cleaned_data", {}).get("number") or ""
        return value if value.isdigit() else ""

    def clean_date(self) -> datetime.date | None:
        day = self.cleaned_data.get("date")
        today = timezone.localdate()
        if day is not None and day > today:
            raise forms.ValidationError(
                _(
                    "The date cannot be in the future: the registry can only say how things "
                    "stood up to today (%(today)s)."
                )
                % {"today": formats.date_format(today, "SHORT_DATE_FORMAT")},
                code="future",
            )
        return day
