"""The CPV codes field: typed or pasted codes, with an autocomplete where JavaScript runs.

Without JavaScript the field is a plain text box for codes, and the item's codes page offers a
search whose results are checkboxes (`CpvPickForm`). With it, static/js/cpv-autocomplete.js
makes the box an ARIA combobox that suggests codes from /api/v1/cpv-codes as words are typed.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..domain import cpv as cpv_codes
from ..domain.errors import DomainError
from ..domain.item_codes import MAX_CODES_PER_ITEM
from ..models import CpvCode

CPV_HELP = _(
    "The codes of the Common Procurement Vocabulary (CPV) that buyers use in tender notices, "
    "for example 55520000-1 for catering. Type words or digits to find them; separate "
    "several codes with commas."
)


class CpvCodesInput(forms.TextInput):
    """A text box for codes that the script turns into a combobox (data-cpv-autocomplete)."""

    def __init__(self, attrs=None):
        defaults = {
            "autocomplete": "off",
            "spellcheck": "false",
            "data-cpv-autocomplete": reverse_lazy("api-v1:suggest_cpv_codes"),
            # What the script says, in the language of the page.
            "data-cpv-list-label": _("Suggested CPV codes"),
            "data-cpv-found": _(
                "Suggestions: %(count)s. Move through them with the up and down arrows, "
                "choose with Enter."
            ),
            "data-cpv-none": _("No CPV code matches these words."),
            "data-cpv-added": _("Added %(code)s %(label)s."),
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(c.full_code if isinstance(c, CpvCode) else str(c) for c in value)
        return super().format_value(value)


class CpvCodesField(forms.CharField):
    """Codes as typed or pasted; cleans to the vocabulary's entries, or one error naming every
    wrong code (unknown, malformed or with a wrong check digit)."""

    widget = CpvCodesInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", cpv_codes.MAX_TEXT_LENGTH)
        kwargs.setdefault("help_text", CPV_HELP)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # No maxlength: a browser would cut a long paste silently; the check says so instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(c.full_code if isinstance(c, CpvCode) else str(c) for c in value)
        return value

    def clean(self, value) -> list[CpvCode]:
        text = super().clean(value)
        if not text:
            return []
        try:
            read = cpv_codes.read_codes(text, strict=True)
        except DomainError as error:
            raise forms.ValidationError(str(error), code="too_many") from None
        if read.problems:
            raise forms.ValidationError(" ".join(read.problems), code="invalid_cpv")
        if len(read.found) > MAX_CODES_PER_ITEM:
            raise forms.ValidationError(
                _("Give at most %(max)d CPV codes for one product or service.")
                % {"max": MAX_CODES_PER_ITEM},
                code="too_many",
            )
        return read.found


class ItemCodesForm(forms.Form):
    """An item's codes: the applicant's choice in a draft, the officer's confirmation."""

    codes = CpvCodesField(
        label=_("CPV codes"),
        error_messages={"required": _("Give at least one CPV code.")},
    )


class CpvPickForm(ItemCodesForm):
    """The codes page without JavaScript: the codes typed, plus those ticked in a search."""

    picked = forms.MultipleChoiceField(
        label=_("Codes found"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, found: list[CpvCode] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].required = False
        self.fields["picked"].choices = [(c.code, f"{c.full_code} {c.label}") for c in found]

    def clean(self):
        data = super().clean()
        if "codes" not in data:
            return data
        picked = CpvCode.objects.in_bulk(data.get("picked") or [])
        codes = list({c.code: c for c in [*data["codes"], *picked.values()]}.values())
        if not codes:
            self.add_error("codes", _("Give at least one CPV code."))
        elif len(codes) > MAX_CODES_PER_ITEM:
            self.add_error(
                "codes",
                _("Give at most %(max)d CPV codes for one product or service.")
                % {"max": MAX_CODES_PER_ITEM},
            )
        else:
            data["codes"] = codes
        return data
