"""Forms of the public registry's search and filter (the verification form is in verify.py)."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .. import registry
from ..choices import CertificateStatus, ItemKind, LegalForm, Powiat
from ..domain import cpv as cpv_codes
from ..domain.errors import DomainError
from ..models import Certificate, CpvCode
from . import no_maxlength_attribute
from .widgets import OneLoopSelect

# Longer than any name, NIP or number; a long paste is told so instead of being searched.
SEARCH_MAX_LENGTH = 200
SORT_CHOICES = [
    ("-number", _("Number, newest first")),
    ("number", _("Number, oldest first")),
    ("organization", _("Organisation, A to Z")),
    ("-organization", _("Organisation, Z to A")),
    ("-issued", _("Date of issue, newest first")),
    ("issued", _("Date of issue, oldest first")),
    ("valid_until", _("Valid until, soonest first")),
    ("-valid_until", _("Valid until, latest first")),
]

# Long enough for any number typed with spaces; anything longer cannot be a number. The
# verification form (forms/verify.py) and the API use these two.
NUMBER_MAX_LENGTH = 40
NOT_A_NUMBER = _(
    "This is not a certificate number. Certificate numbers look like ZP/2026/0007: "
    "check what you typed against the certificate."
)


class RegistryFilterForm(forms.Form):
    """Search and status filter of a certificate list (a GET form): the officers' list."""

    ANY = ""

    q = forms.CharField(
        label=_("Search"),
        help_text=_(
            "Organisation name, NIP, certificate number or product or service name. Letters "
            "with or without Polish accents, in any case: “zolc” finds “Żółć”."
        ),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Search for at most 200 characters.")},
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ANY, _("Any status")), *CertificateStatus.choices],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if registry.word_count(text) > registry.MAX_WORDS:
            raise forms.ValidationError(
                _("Search for at most %(max)d words.") % {"max": registry.MAX_WORDS},
                code="too_many_words",
            )
        return text

    def filters(self) -> dict:
        """The valid part of the form as registry.filter_certificates arguments."""
        data = getattr(self, "cleaned_data", {})  # set by is_valid(); absent if unbound
        return {"text": data.get("q") or "", "status": data.get("status") or ""}

    def filter(self, queryset: QuerySet[Certificate], *, today: datetime.date):
        """Narrow the queryset by whatever part of the form is valid; ignore the rest."""
        return registry.filter_certificates(queryset=queryset, today=today, **self.filters())


class RegistrySearchForm(RegistryFilterForm):
    """The public registry's search, filters and order.

    Towns and years are read from the registry once per form, and only if the form is shown
    or a town or year was asked for.
    """

    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[(RegistryFilterForm.ANY, _("Any legal form")), *LegalForm.choices],
        error_messages={"invalid_choice": _("Choose a legal form from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Products or services"),
        required=False,
        choices=[
            (RegistryFilterForm.ANY, _("Products and services")),
            (ItemKind.PRODUCT, _("Products only")),
            (ItemKind.SERVICE, _("Services only")),
        ],
        error_messages={"invalid_choice": _("Choose products, services or both.")},
    )
    town = forms.ChoiceField(
        label=_("Town"),
        required=False,
        error_messages={"invalid_choice": _("Choose a town from the list.")},
    )
    powiat = forms.ChoiceField(
        label=_("Powiat (county)"),
        required=False,
        choices=[(RegistryFilterForm.ANY, _("Any powiat")), *Powiat.choices],
        error_messages={"invalid_choice": _("Choose a powiat from the list.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year of issue"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )
    cpv = forms.CharField(
        label=_("CPV codes from a tender notice"),
        help_text=_(
            "Paste the codes, for example 55520000-1, 90910000-9, separated by commas, spaces "
            "or new lines; the wording beside them may stay. A code also finds the more "
            "detailed codes below it: 55520000-1 (catering) finds 55521200-0 (meal delivery)."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    bbox = forms.CharField(
        label=_("Area on the map"),
        help_text=registry.BBOX_FORM,
        required=False,
        max_length=200,
        error_messages={"max_length": registry.BBOX_FORM},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": _("Choose an order from the list.")},
    )

    # Fields that narrow the list (sort only orders it).
    FILTERS = ("q", "status", "legal_form", "kind", "town", "powiat", "year", "cpv", "bbox")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._towns: list[registry.Town] | None = None
        self._years: list[int] | None = None
        # The codes found in the `cpv` field, also when some others are wrong: None when no
        # code was asked for.
        self.cpv_found: list[CpvCode] | None = None
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = OneLoopSelect(attrs=field.widget.attrs, choices=field.choices)
        self.fields["town"].choices = self._town_choices
        self.fields["year"].choices = self._year_choices

    def _town_choices(self):
        if self._towns is None:
            self._towns = registry.town_choices()
        return [(self.ANY, _("Any town")), *((t.key, t.label) for t in self._towns)]

    def _year_choices(self):
        if self._years is None:
            self._years = registry.year_choices()
        return [(self.ANY, _("Any year")), *((str(y), str(y)) for y in self._years)]

    def clean_cpv(self) -> str:
        """The codes found, as in a tender notice; wrong ones are named in the field's error,
        and the list still shows the suppliers of the others (`cpv_found`)."""
        text = self.cleaned_data["cpv"]
        if not text.strip():
            return ""
        self.cpv_found = []
        try:
            read = cpv_codes.read_codes(text)
        except DomainError as error:
            raise forms.ValidationError(str(error), code="too_long") from None
        self.cpv_found = read.found
        if read.problems:
            followup = (
                _("The list shows the suppliers of the other codes: %(codes)s.")
                % {"codes": ", ".join(code.full_code for code in read.found)}
                if read.found
                else _("No code was recognised, so the list shows no supplier.")
            )
            # One message: the field shows each of its errors under one id.
            raise forms.ValidationError(" ".join([*read.problems, str(followup)]), code="cpv")
        return " ".join(code.full_code for code in read.found)

    def clean_bbox(self) -> str:
        try:
            box = registry.parse_bbox(self.cleaned_data["bbox"])
        except registry.NotABBox as error:
            raise forms.ValidationError(str(error), code="bbox") from None
        return str(box) if box else ""

    @property
    def cpv_query(self) -> str:
        """The codes found, for links and downloads (without the wrong ones)."""
        return " ".join(code.full_code for code in self.cpv_found or ())

    @property
    def filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.FILTERS) or self.cpv_found is not None

    @property
    def ordering(self) -> str:
        return getattr(self, "cleaned_data", {}).get("sort") or registry.DEFAULT_SORT

    def filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        town = data.get("town")
        spellings = next((t.spellings for t in self._towns or () if t.key == town), ())
        return {
            **super().filters(),
            "legal_form": data.get("legal_form") or "",
            "kind": data.get("kind") or "",
            "towns": spellings,
            "year": data.get("year"),
            "powiat": data.get("powiat") or "",
            "cpv": [code.code for code in self.cpv_found or ()],
            "bbox": registry.parse_bbox(data.get("bbox") or ""),
        }

    def filter(self, queryset: QuerySet[Certificate], *, today: datetime.date):
        """Narrowed by the valid part of the form and in the order asked for."""
        if self.cpv_found == []:  # codes asked for, none of them known: no supplier
            queryset = queryset.none()
        return registry.order_certificates(super().filter(queryset, today=today), self.ordering)


class MapFilterForm(RegistrySearchForm):
    """The map of offers' filters: CPV codes, kind and powiat (every certificate is valid)."""

    FILTERS = ("kind", "powiat", "cpv")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(self.FILTERS):
            del self.fields[name]
