"""Forms of the public pages: certificate verification and the registry's search and filter."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .. import registry
from ..choices import CertificateStatus
from ..domain.certificates import parse_number
from ..models import Certificate
from .lifecycle import DayField

# Long enough for any number typed with spaces; anything longer cannot be a number.
NUMBER_MAX_LENGTH = 40
NOT_A_NUMBER = _(
    "This is not a certificate number. Certificate numbers look like ZP/2026/0007: "
    "check what you typed against the certificate."
)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        help_text=_("For example ZP/2026/0007. You will find it at the top of the certificate."),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={
            "required": _("Enter the certificate number."),
            # One message for every kind of wrong input: a long paste is just a wrong number.
            "max_length": NOT_A_NUMBER,
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
        _no_maxlength_attribute(self)

    def clean_number(self) -> str:
        number = parse_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(NOT_A_NUMBER, code="not_a_number")
        return number

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


class RegistryFilterForm(forms.Form):
    """Search and status filter of the public registry (a GET form)."""

    ANY = ""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Organisation name, NIP, certificate number or product or service name."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Search for at most 200 characters.")},
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ANY, _("Any status")), *CertificateStatus.choices],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength_attribute(self)

    def filter(self, queryset: QuerySet[Certificate], *, today: datetime.date):
        """Narrow the queryset by whatever part of the form is valid; ignore the rest."""
        data = getattr(self, "cleaned_data", {})  # set by is_valid(); absent if unbound
        return registry.filter_certificates(
            queryset=queryset,
            text=data.get("q") or "",
            status=data.get("status") or "",
            today=today,
        )


def _no_maxlength_attribute(form: forms.Form) -> None:
    # A browser cuts a long paste silently at maxlength; a message after sending is clearer.
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)
