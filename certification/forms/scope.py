"""The holder's request to withdraw a product or service from its certificate."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2000


class WithdrawItemForm(forms.Form):
    item = forms.TypedChoiceField(
        label=_("Product or service to withdraw"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the product or service to withdraw."),
            "invalid_choice": _("Choose one of the products and services the certificate covers."),
        },
    )
    reason = forms.CharField(
        label=_("Why (optional)"),
        help_text=_("For ROPS; it is not shown publicly."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (item.pk, f"{item.name} ({item.get_kind_display().lower()})") for item in items
        ]
