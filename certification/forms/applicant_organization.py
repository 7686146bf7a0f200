"""The organisation (PES) profile form.

A plain Form rather than a ModelForm: identifiers may be typed with dashes or spaces, and the
domain function normalises them before the model's validators (checksums) run.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..choices import LegalForm, Powiat
from ..models import IDENTITY_FIELDS, Organization

DATE_FORMATS = ["%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]

FIELDS = (
    "name",
    "legal_form",
    "nip",
    "regon",
    "krs",
    "street",
    "postal_code",
    "town",
    "powiat",
    "registration_date",
    "email",
    "phone",
    "website",
)


def _label(name: str) -> str:
    return capfirst(Organization._meta.get_field(name).verbose_name)


def _text(name: str, max_length: int, *, required=True, help_text="", **attrs) -> forms.CharField:
    return forms.CharField(
        label=_label(name),
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class OrganizationForm(forms.Form):
    name = _text("name", 300, autocomplete="organization")
    legal_form = forms.ChoiceField(
        label=_label("legal_form"),
        choices=[("", _("Choose the legal form"))] + LegalForm.choices,
    )
    nip = _text(
        "nip", 13, help_text=_("10 digits, e.g. 526-025-02-74."), inputmode="numeric", size=13
    )
    regon = _text("regon", 17, help_text=_("9 or 14 digits."), inputmode="numeric", size=17)
    krs = _text(
        "krs",
        10,
        required=False,
        help_text=_("10 digits with leading zeros. Leave empty if you are not in the KRS."),
        inputmode="numeric",
        size=10,
    )
    street = _text("street", 200, autocomplete="street-address")
    postal_code = _text(
        "postal_code", 6, help_text=_("For example 40-001."), autocomplete="postal-code", size=6
    )
    town = _text("town", 100, autocomplete="address-level2")
    # Optional: organisations outside the Silesian Voivodeship have none of these.
    powiat = forms.ChoiceField(
        label=_("Powiat"),
        required=False,
        choices=[("", _("Not given"))] + Powiat.choices,
        help_text=_(
            "Buyers use it to find certified organisations near them in the public registry. "
            "Leave it empty if the organisation is outside the Silesian Voivodeship."
        ),
        error_messages={"invalid_choice": _("Choose a powiat from the list.")},
    )
    # A text field, not the browser's date picker (GOV.UK advice: pickers are hard to use).
    registration_date = forms.DateField(
        label=_label("registration_date"),
        help_text=_("The date of entry in the register (or of foundation), e.g. 01.03.2020."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"size": 10}),
    )
    email = forms.EmailField(
        label=_label("email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = _text("phone", 30, required=False, autocomplete="tel")
    website = forms.URLField(label=_label("website"), required=False, assume_scheme="https")

    def __init__(self, *args, identity_locked=False, request_pending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        if identity_locked:
            for name in IDENTITY_FIELDS:
                field = self.fields[name]
                # A pending request holds them: one request at a time.
                field.disabled = request_pending
                needs = (
                    _("Waiting for an officer's decision on your request.")
                    if request_pending
                    else _("A change needs the approval of an officer.")
                )
                field.help_text = f"{field.help_text} {needs}".strip()

    @classmethod
    def initial_from(cls, organization: Organization) -> dict:
        return {name: getattr(organization, name) for name in FIELDS}
