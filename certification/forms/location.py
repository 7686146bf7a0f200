"""A member's proposed pin on the map, and an officer's rejection of one (confirming needs no
input). The bounds (Poland) are the domain's to check: location_proposals.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..domain.location_proposals import REASON_MAX_LENGTH
from . import no_maxlength_attribute


class DegreesField(forms.DecimalField):
    """Degrees as decimals; a comma is taken for the decimal point, as Poles write it."""

    def to_python(self, value):
        return super().to_python(value.replace(",", ".") if isinstance(value, str) else value)


def _degrees(label, help_text, *, required, invalid) -> DegreesField:
    # No max_digits: the domain rounds to 5 places what a map service copies with more.
    return DegreesField(
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "size": 10}),
        error_messages={"required": required, "invalid": invalid},
    )


class LocationProposalForm(forms.Form):
    latitude = _degrees(
        _("Latitude"),
        _("Degrees north, between 49.0 and 54.9, e.g. 50.26489 (Katowice)."),
        required=_("Give the point's latitude."),
        invalid=_("Write the latitude as a number of degrees, e.g. 50.26489."),
    )
    longitude = _degrees(
        _("Longitude"),
        _("Degrees east, between 14.1 and 24.2, e.g. 19.02378 (Katowice)."),
        required=_("Give the point's longitude."),
        invalid=_("Write the longitude as a number of degrees, e.g. 19.02378."),
    )


class RejectLocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection (optional)"),
        help_text=_("The organisation's members read it in the e-mail and on their profile."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)
