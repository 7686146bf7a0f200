"""How a person is e-mailed of notifications that are not urgent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import NotificationMode


class NotificationModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mails of notifications that are not urgent"),
        help_text=_(
            "Urgent ones (a suspension, a revocation, a deadline, a decision, an overdue "
            "scorecard) are always e-mailed at once."
        ),
        choices=[
            (NotificationMode.IMMEDIATE, _("At once, one e-mail each")),
            (NotificationMode.DIGEST, _("In one daily digest")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to be e-mailed."),
            "invalid_choice": _("Choose how you want to be e-mailed."),
        },
    )
