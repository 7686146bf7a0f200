"""The officer's refusal of a change of an organisation's details (approval needs no input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..domain.organization_changes import REASON_MAX_LENGTH
from . import no_maxlength_attribute


class RefuseChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        help_text=_("The organisation's members read it in the e-mail and on their profile."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Give the reason for the refusal."),
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)
