"""The officers' reports: the period chosen (a calendar year, as a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportPeriodForm(forms.Form):
    """The year of the report; the years offered are those the scheme has figures for."""

    rok = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )

    def __init__(self, *args, years: list[int], default: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default
        self.fields["rok"].choices = [(year, str(year)) for year in years]
        self.initial.setdefault("rok", default)

    def year(self) -> int:
        """The year asked for, or the default when none (or an invalid one) was asked for."""
        if self.is_valid() and self.cleaned_data["rok"] is not None:
            return self.cleaned_data["rok"]
        return self.default
