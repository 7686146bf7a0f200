"""The subscription form a buyer fills in to watch the registry by e-mail (no account)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import WatchKind
from . import no_maxlength_attribute


class WatchForm(forms.Form):
    """What is watched comes from the page that linked here (hidden fields); the visitor gives
    an address and, on a certificate's link, chooses that certificate or all of its holder's."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "We send a link to confirm; nothing is sent before you open it. Each e-mail has a "
            "link to stop them."
        ),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.pl."),
        },
    )
    kind = forms.ChoiceField(
        label=_("What to watch"),
        choices=WatchKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to watch.")},
    )
    certificate = forms.CharField(required=False, widget=forms.HiddenInput)
    nip = forms.CharField(required=False, widget=forms.HiddenInput)
    cpv = forms.CharField(required=False, widget=forms.HiddenInput)
    powiat = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)
        field = self.fields["kind"]
        field.choices = [(value, label) for value, label in WatchKind.choices if value in kinds]
        if len(kinds) == 1:  # nothing to choose: the linking page said what
            field.widget = forms.HiddenInput()
            field.initial = kinds[0]
            field.required = False
        self.only_kind = kinds[0] if len(kinds) == 1 else None

    def clean_kind(self) -> str:
        return self.only_kind or self.cleaned_data["kind"]
