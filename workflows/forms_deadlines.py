"""The officer's extension of a corrections deadline. Only parses input: the rules are the
domain's (certification.domain.deadlines), asked here too so all messages come at once."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certification.domain.deadlines import (
    REASON_MAX_LENGTH,
    due_change_problems,
    extension_problems,
)
from certification.forms import no_maxlength_attribute
from certification.forms.lifecycle import DayField


class JurorLoadChoiceField(forms.ModelMultipleChoiceField):
    """Jurors to choose from, each with their load (deadlines.with_open_assignments): how many
    applications they have yet to score and the nearest due date among them."""

    def __init__(self, *args, name_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_of = name_of

    def label_from_instance(self, obj) -> str:
        name = self.name_of(obj)
        count = getattr(obj, "open_assignments", None)
        if count is None:
            return name
        if not count:
            return _("%(name)s: no applications to score") % {"name": name}
        return ngettext(
            "%(name)s: %(n)d application to score, due %(date)s",
            "%(name)s: %(n)d applications to score, the nearest due %(date)s",
            count,
        ) % {
            "name": name,
            "n": count,
            "date": date_format(obj.nearest_due, "SHORT_DATE_FORMAT") if obj.nearest_due else "—",
        }


class _NewDateWithReasonForm(forms.Form):
    """A later date and the reason for it, checked by the domain's rule (`problems`)."""

    date_name = ""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        no_maxlength_attribute(self)

    def problems(self, data: dict) -> list:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.date_name in self.errors:
            return data
        # A missing or long reason: the field's own message says so already.
        for problem in self.problems(data):
            if problem.field not in self.errors:
                self.add_error(problem.field, str(problem))
        return data


class ExtendDeadlineForm(_NewDateWithReasonForm):
    deadline = DayField(
        label=_("New deadline for corrections"),
        help_text=_("A day after the current deadline, e.g. 31.03.2027."),
        invalid_message=_("Enter the new deadline as a date, e.g. 31.03.2027."),
        error_messages={"required": _("Give the new deadline.")},
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        help_text=_("The applicant is e-mailed the new deadline with this reason."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the extension. The applicant is told it."),
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )

    date_name = "deadline"

    def problems(self, data: dict) -> list:
        return extension_problems(
            current=self.current, new_deadline=data.get("deadline"), reason=data.get("reason", "")
        )


class ScoringDueForm(_NewDateWithReasonForm):
    due_on = DayField(
        label=_("New due date of the scorecard"),
        help_text=_("A day after today, e.g. 31.03.2027."),
        invalid_message=_("Enter the new due date as a date, e.g. 31.03.2027."),
        error_messages={"required": _("Give the new due date.")},
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Written to the application's history."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the change."),
            "max_length": _("Keep the reason to at most %(limit_value)d characters."),
        },
    )

    date_name = "due_on"

    def problems(self, data: dict) -> list:
        return due_change_problems(
            current=self.current, due_on=data.get("due_on"), reason=data.get("reason", "")
        )
