"""The "Invite a colleague" form: one e-mail address; the rules live in domain.invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..domain.invitations import VALID_DAYS


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your colleague's e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.pl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = ngettext(
            "We will e-mail them a link to join the organisation; it works for %(days)d day. "
            "They log in, or create an account, with this address.",
            "We will e-mail them a link to join the organisation; it works for %(days)d days. "
            "They log in, or create an account, with this address.",
            VALID_DAYS,
        ) % {"days": VALID_DAYS}
