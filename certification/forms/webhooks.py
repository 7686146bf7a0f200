"""The officer's form registering a procurement platform's webhook endpoint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import no_maxlength_attribute


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(
        label=_("Platform"),
        help_text=_("Whose endpoint it is, e.g. “Platforma zakupowa Gminy X”."),
        max_length=200,
        error_messages={"required": _("Name the platform the endpoint belongs to.")},
    )
    url = forms.CharField(
        label=_("Address (URL)"),
        help_text=_("Where the changes are POSTed, e.g. https://platforma.example.pl/zp/webhook."),
        max_length=500,
        error_messages={"required": _("Enter the endpoint's address.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)
