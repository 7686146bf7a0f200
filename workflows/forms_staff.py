"""Forms of the staff task pages. They only parse input: the scheme's rules live in the domain."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.choices import ApplicationStatus, ReviewOutcome
from certification.domain.review import outcome_problems
from certification.models import Document, User

from .forms_deadlines import JurorLoadChoiceField

DEFECT_LINES = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        label = f"{obj.document_type.name}: {obj.original_name}"
        return f"{label} ({obj.item.name})" if obj.item_id else label


class StatusFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Application number, part of the organisation's name, or its NIP."),
        required=False,
        max_length=100,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))]
        + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )


class FormalReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the review"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the application: give the reason."),
    )
    deadline = forms.DateField(
        label=_("Deadline for corrections"),
        required=False,
        widget=DateInput,
        help_text=_("Used only when you return the application for corrections."),
    )

    def __init__(self, *args, documents, corrections_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(
            days=corrections_days
        )
        for n in range(1, DEFECT_LINES + 1):
            self.fields[f"defect_{n}"] = forms.CharField(
                label=gettext("Defect %(n)d: what is wrong") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"defect_{n}_document"] = DocumentChoiceField(
                label=gettext("Defect %(n)d: document concerned") % {"n": n},
                queryset=documents,
                required=False,
                empty_label=gettext("None: the defect concerns the whole application"),
            )

    def clean(self):
        # The rules between the answers come with the fields' own errors, on the first sending.
        data = super().clean()
        defects = [
            (data.get(f"defect_{n}_document"), data.get(f"defect_{n}") or "")
            for n in range(1, DEFECT_LINES + 1)
        ]
        for problem in outcome_problems(
            outcome=data.get("outcome"),
            note=data.get("note") or "",
            defects=defects,
            deadline=data.get("deadline"),
        ):
            field = "defect_1" if problem.field == "defects" else problem.field
            if field not in self.errors:
                self.add_error(field, str(problem))
        return data

    def defect_lines(self):
        """Pairs of bound fields, for the template's one fieldset per defect."""
        return [
            (self[f"defect_{n}"], self[f"defect_{n}_document"]) for n in range(1, DEFECT_LINES + 1)
        ]

    def defects(self) -> list[tuple[Document | None, str]]:
        data = self.cleaned_data
        return [
            (data[f"defect_{n}_document"], data[f"defect_{n}"])
            for n in range(1, DEFECT_LINES + 1)
            if data[f"defect_{n}"].strip()
        ]


def juror_label(user: User) -> str:
    member = getattr(user, "jury_member", None)
    if member is not None and member.is_chair:
        return gettext("%(name)s (chair)") % {"name": person_name(user)}
    return person_name(user)


class JurorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return juror_label(obj)


class AssignJuryForm(forms.Form):
    # Each with their current load (issue 11 §7), in the one query that lists them.
    jurors = JurorLoadChoiceField(
        label=_("Jurors to assign"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        name_of=juror_label,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = candidates


class DeclarationForm(forms.Form):
    IMPARTIAL = "impartial"
    CONFLICT = "conflict"

    declaration = forms.ChoiceField(
        label=_("Your declaration"),
        widget=forms.RadioSelect,
        choices=[
            (IMPARTIAL, _("I have no conflict of interest with this applicant")),
            (CONFLICT, _("I have a conflict of interest and recuse myself")),
        ],
    )
    reason = forms.CharField(
        label=_("The conflict of interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if you recuse yourself: describe the conflict."),
    )

    @property
    def impartial(self) -> bool:
        return self.cleaned_data["declaration"] == self.IMPARTIAL


class ConfirmForm(forms.Form):
    """A button and its CSRF token: the task needs no input, only a deliberate click."""
