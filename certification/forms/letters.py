"""The administrator's form for the texts of decision letters (used by the admin)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..domain import letter_placeholders
from ..models import LetterTemplate


def _placeholder_help() -> str:
    listed = "; ".join(
        f"{{{name}}} – {description}"
        for name, description in letter_placeholders.PLACEHOLDERS.items()
    )
    return format_lazy(
        "{intro} {listed}. {limits}",
        intro=_("Placeholders in braces are filled in when a letter is made:"),
        listed=listed,
        limits=_(
            "A formal rejection has no {resolution_number}; a grant and a final decision have no "
            "{deadline} or {reconsideration_days}. A blank line starts a new paragraph."
        ),
    )


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["kind", "final", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].help_text = _placeholder_help()

    def clean(self):
        cleaned = super().clean()
        kind, final = cleaned.get("kind"), cleaned.get("final", False)
        if not kind:
            return cleaned
        for name in ("subject", "body"):
            text = cleaned.get(name)
            if not text:
                continue
            for problem in letter_placeholders.problems(text, kind=kind, final=final):
                self.add_error(name, problem)
        return cleaned
