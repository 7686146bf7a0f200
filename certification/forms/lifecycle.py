"""Forms of the certificate lifecycle: the officer's suspend, reinstate and revoke, and a date
field that reads dates the way people in Poland type them."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain import lifecycle
from ..domain.lifecycle import REASON_MAX_LENGTH
from . import no_maxlength_attribute

# ISO first (what links and the API use), then the usual Polish ways of writing a date.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%d %m %Y"]


class DayField(forms.DateField):
    """A date typed into a text box (a native date picker is hard to use with a keyboard and a
    screen reader); malformed input gets one clear message."""

    def __init__(self, *, invalid_message, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "inputmode": "numeric", "class": "input-date"}
            ),
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = invalid_message

    def to_python(self, value):
        # Anything too long to be a date is simply not one (and never reaches strptime).
        if isinstance(value, str) and len(value.strip()) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _reason(label, help_text, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Give the reason. It is shown publicly in the registry."),
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )


class _LifecycleForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)


class SuspendForm(_LifecycleForm):
    reason = _reason(
        _("Reason for the suspension"),
        _("Shown publicly in the registry. Say what the organisation has to put right."),
    )
    correction_until = DayField(
        label=_("End of the correction period"),
        help_text=_("The date by which the organisation must put things right, e.g. 31.03.2027."),
        invalid_message=_("Enter the end of the correction period as a date, e.g. 31.03.2027."),
        error_messages={"required": _("Enter the end of the correction period.")},
    )

    def clean_correction_until(self) -> datetime.date:
        day = self.cleaned_data["correction_until"]
        problem = lifecycle.correction_period_problem(day, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(str(problem), code="past")
        return day


class ReinstateForm(_LifecycleForm):
    note = _reason(
        _("Note (optional)"),
        _("For example what the organisation has corrected. Shown publicly in the history."),
        required=False,
    )


class RevokeForm(_LifecycleForm):
    reason = _reason(
        _("Reason for the revocation"),
        _("Shown publicly in the registry for as long as the certificate is listed."),
    )


# The action each form posts, and its form class.
LIFECYCLE_FORMS = {
    "suspend": SuspendForm,
    "reinstate": ReinstateForm,
    "revoke": RevokeForm,
}
