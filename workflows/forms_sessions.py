"""Forms of the jury's session pages. They only parse input: the rules live in
certification.domain.sessions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.models import Application, JurySession, Resolution, User

from .forms_staff import DateInput, JurorChoiceField


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ScheduleSessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("Give the place, the link to the online meeting, or both."),
    )
    online_link = forms.URLField(
        label=_("Link to the online meeting"), required=False, assume_scheme="https"
    )


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        label = f"{obj.number} — {obj.organization.name}"
        if obj.status == "reconsideration":
            label += " (" + gettext("reconsideration") + ")"
        return label


class AddToAgendaForm(forms.Form):
    application = ApplicationChoiceField(
        label=_("Application to put on the agenda"),
        queryset=Application.objects.none(),
        empty_label=_("Choose an application"),
    )

    def __init__(self, *args, ready, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = ready


class ResolutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resolution) -> str:
        return gettext("Resolution No. %(number)s: %(application)s, %(outcome)s") % {
            "number": obj.number,
            "application": obj.application.number,
            "outcome": obj.get_outcome_display(),
        }


class AddCorrectionForm(forms.Form):
    resolution = ResolutionChoiceField(
        label=_("Resolution to correct"),
        queryset=Resolution.objects.none(),
        empty_label=_("Choose a resolution"),
        help_text=_(
            "A resolution of a closed session is corrected by a new resolution at this one; "
            "the correction may change the votes, the justification and the reasons, never the "
            "outcome or what was granted (that takes a reconsideration)."
        ),
    )

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions


class AttendanceForm(forms.Form):
    present = JurorChoiceField(
        label=_("Members of the jury present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone not ticked is recorded as absent."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class VotesMixin(forms.Form):
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    votes_abstaining = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 5})
    )
    date = forms.DateField(
        label=_("Date of the resolution"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the day of the session."),
    )

    def votes(self) -> dict:
        data = self.cleaned_data
        return {
            "votes_for": data["votes_for"],
            "votes_against": data["votes_against"],
            "votes_abstaining": data["votes_abstaining"],
            "justification": data["justification"],
            "date": data["date"],
        }


GRANTED, REFUSED = "granted", "refused"


class ItemResolutionForm(VotesMixin):
    """The votes, and per product or service: granted, or refused with the reason."""

    def __init__(self, *args, items, suggested: dict[int, bool] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        suggested = suggested or {}
        for item in self.items:
            self.fields[f"decision_{item.pk}"] = forms.ChoiceField(
                label=gettext("Decision on “%(item)s”") % {"item": item.name},
                choices=[(GRANTED, gettext("Granted")), (REFUSED, gettext("Refused"))],
                widget=forms.RadioSelect,
                initial=(GRANTED if suggested[item.pk] else REFUSED)
                if item.pk in suggested
                else None,
            )
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=gettext("Reason for refusing “%(item)s”") % {"item": item.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext("Required when the item is refused; the applicant reads it."),
            )

    def item_rows(self):
        return [
            (item, self[f"decision_{item.pk}"], self[f"reason_{item.pk}"]) for item in self.items
        ]

    def decisions(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {
            item.pk: (data[f"decision_{item.pk}"] == GRANTED, data[f"reason_{item.pk}"])
            for item in self.items
        }


class CorrectionForm(VotesMixin):
    """The corrected record of a resolution: votes, justification, reasons of refused items."""

    def __init__(self, *args, old: Resolution, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = [d for d in old.item_decisions.select_related("item") if not d.granted]
        for name in ("votes_for", "votes_against", "votes_abstaining", "justification"):
            self.fields[name].initial = getattr(old, name)
        for d in self.refused:
            self.fields[f"reason_{d.item_id}"] = forms.CharField(
                label=gettext("Reason for refusing “%(item)s”") % {"item": d.item.name},
                initial=d.reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reason_fields(self):
        return [self[f"reason_{d.item_id}"] for d in self.refused]

    def reasons(self) -> dict[int, str]:
        return {d.item_id: self.cleaned_data[f"reason_{d.item_id}"] for d in self.refused}


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: JurySession) -> str:
        when = timezone.localtime(obj.starts_at).strftime("%d.%m.%Y %H:%M")
        return gettext("Session %(number)s, %(when)s") % {"number": obj.number, "when": when}


class AddToSessionForm(forms.Form):
    session = SessionChoiceField(
        label=_("Session"),
        queryset=JurySession.objects.none(),
        empty_label=_("Choose a session"),
    )

    def __init__(self, *args, scheduled, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = scheduled
