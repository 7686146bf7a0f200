"""Forms of the officer's pages for applications received on paper. They only parse input: the
rules (identifiers, completeness, the date) are certification.domain.paper's."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.domain.paper import PaperFile, PaperItem, find_organization
from certification.forms import no_maxlength_attribute
from certification.forms.applicant import ItemForm, QuestionnaireForm
from certification.forms.applicant_organization import DATE_FORMATS, OrganizationForm
from certification.forms.reconsideration import MultipleFileField
from certification.models import ApplicationItem, DocumentType

ITEM_SLOTS = 3
ORG = "org_"
ITEM_FIELDS = ("name", "kind", "description", "cpv")


def _files_help() -> str:
    return gettext(
        "Scans as PDF, JPEG or PNG, each up to %(size)s; you can choose several files at once."
    ) % {"size": filesizeformat(settings.MAX_DOCUMENT_SIZE)}


def _files_field(label: str) -> MultipleFileField:
    return MultipleFileField(
        label=label, required=False, error_messages={"empty": _("The file is empty.")}
    )


class PaperApplicationForm(forms.Form):
    """The whole paper application on one page: organisation, date received, questionnaire,
    up to ITEM_SLOTS products or services and the scanned documents."""

    received_on = forms.DateField(
        label=_("Date the paper application was received"),
        help_text=_(
            "The date of the ROPS receipt stamp, e.g. 15.03.2026: the date that counts for the "
            "application's deadlines."
        ),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"size": 10}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = None
        for name, field in OrganizationForm.base_fields.items():
            copy = field.__deepcopy__({})
            # Only the NIP is needed when the organisation is already in the service.
            copy.required = name == "nip"
            copy.org_required = field.required
            self.fields[ORG + name] = copy
        self.fields[ORG + "nip"].help_text = _(
            "10 digits. When an organisation with this NIP is in the service already, the "
            "application is registered for it and the other details below are not needed."
        )
        self.fields[ORG + "email"].help_text = _(
            "The organisation's contact address from the paper application."
        )
        for name, field in QuestionnaireForm.base_fields.items():
            self.fields[name] = field.__deepcopy__({})
        for n in range(1, ITEM_SLOTS + 1):
            for name in ITEM_FIELDS:
                field = ItemForm.base_fields[name].__deepcopy__({})
                field.required = n == 1 and name != "cpv"
                field.summary_label = gettext("Product or service %(n)d: %(field)s") % {
                    "n": n,
                    "field": field.label,
                }
                self.fields[f"item{n}_{name}"] = field
        self.item_types = list(DocumentType.objects.filter(per_item=True))
        self.org_types = list(DocumentType.objects.filter(per_item=False))
        for doc_type in self.org_types:
            self.fields[f"doc_{doc_type.pk}"] = _files_field(doc_type.name)
        for n in range(1, ITEM_SLOTS + 1):
            for doc_type in self.item_types:
                field = _files_field(doc_type.name)
                field.summary_label = gettext("Product or service %(n)d: %(field)s") % {
                    "n": n,
                    "field": doc_type.name,
                }
                self.fields[f"item{n}_doc_{doc_type.pk}"] = field
        for field in self.fields.values():
            if isinstance(field, MultipleFileField):
                field.help_text = _files_help()
        no_maxlength_attribute(self)

    # What the template shows, grouped.
    def organization_fields(self):
        return [self[name] for name in self.fields if name.startswith(ORG)]

    def questionnaire_fields(self):
        return [self[name] for name in QuestionnaireForm.base_fields]

    def document_fields(self):
        return [self[f"doc_{t.pk}"] for t in self.org_types]

    def item_slots(self):
        return [
            (
                n,
                [self[f"item{n}_{name}"] for name in ITEM_FIELDS],
                [self[f"item{n}_doc_{t.pk}"] for t in self.item_types],
            )
            for n in range(1, ITEM_SLOTS + 1)
        ]

    def _slot_used(self, n: int) -> bool:
        data = self.cleaned_data
        if any(data.get(f"item{n}_{name}") for name in ("name", "description", "cpv")):
            return True
        return any(data.get(f"item{n}_doc_{t.pk}") for t in self.item_types)

    def clean(self):
        data = super().clean()
        nip = data.get(ORG + "nip")
        self.organization = find_organization(nip) if nip else None
        if nip and self.organization is None:
            for name, field in self.fields.items():
                missing = getattr(field, "org_required", False) and not data.get(name)
                if missing and name not in self.errors:
                    self.add_error(
                        name,
                        gettext("Give it: no organisation with this NIP is in the service yet."),
                    )
        for n in range(2, ITEM_SLOTS + 1):
            if not self._slot_used(n):
                continue
            for name in ("name", "kind", "description"):
                if not data.get(f"item{n}_{name}") and f"item{n}_{name}" not in self.errors:
                    self.add_error(
                        f"item{n}_{name}",
                        gettext("Give it, or leave this product or service out entirely."),
                    )
        return data

    def organization_data(self) -> dict:
        return {
            name.removeprefix(ORG): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ORG) and name != ORG + "nip"
        }

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in QuestionnaireForm.base_fields}

    def registration(self) -> dict:
        """The keyword arguments of services_paper.register_paper (without the officer)."""
        data = self.cleaned_data
        slots = [1, *(n for n in range(2, ITEM_SLOTS + 1) if self._slot_used(n))]
        items = [
            PaperItem(
                name=data[f"item{n}_name"],
                kind=data[f"item{n}_kind"],
                description=data[f"item{n}_description"],
                codes=list(data[f"item{n}_cpv"] or []),
            )
            for n in slots
        ]
        files = [
            PaperFile(document_type=t, uploaded=f)
            for t in self.org_types
            for f in data[f"doc_{t.pk}"]
        ]
        files += [
            PaperFile(document_type=t, uploaded=f, item=index)
            for index, n in enumerate(slots)
            for t in self.item_types
            for f in data[f"item{n}_doc_{t.pk}"]
        ]
        return {
            "nip": data[ORG + "nip"],
            "organization_fields": self.organization_data(),
            "received_on": data["received_on"],
            "answers": self.answers(),
            "items": items,
            "files": files,
        }


class TakeOverInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the person at the organisation"),
        help_text=_(
            "They get a link to create an account (or log in) and join the organisation; the "
            "application then appears on their pages and they answer for it online."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class PaperCorrectionsForm(forms.Form):
    """What a PES without an account sent on paper in answer to a corrections request."""

    answer = forms.CharField(
        label=_("What the organisation sent"),
        help_text=_("For example: letter of 12.03.2026 with the corrected statute."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    document_type = forms.ModelChoiceField(
        label=_("Type of a new document (if one was sent)"),
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label=_("No new document"),
    )
    item = forms.ModelChoiceField(
        label=_("Product or service it concerns"),
        queryset=ApplicationItem.objects.none(),
        required=False,
        empty_label=_("Not about a single product or service"),
    )
    new_files = _files_field(_("Scans of the new document"))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = application.items.all()
        self.current = list(
            application.documents.filter(superseded_by__isnull=True).select_related(
                "document_type", "item"
            )
        )
        for document in self.current:
            label = f"{document.document_type.name}: {document.original_name}"
            if document.item_id:
                label += f" ({document.item.name})"
            self.fields[f"replace_{document.pk}"] = forms.FileField(
                label=gettext("New version of %(document)s") % {"document": label},
                required=False,
                widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
                error_messages={"empty": _("The file is empty.")},
            )
        self.fields["new_files"].help_text = _files_help()
        no_maxlength_attribute(self)

    def replacement_fields(self):
        return [self[f"replace_{d.pk}"] for d in self.current]

    def clean(self):
        data = super().clean()
        if data.get("new_files") and not data.get("document_type"):
            self.add_error("document_type", gettext("Choose the type of the new document."))
        return data

    def replacements(self):
        return [
            (d, self.cleaned_data[f"replace_{d.pk}"])
            for d in self.current
            if self.cleaned_data.get(f"replace_{d.pk}")
        ]

    def additions(self):
        data = self.cleaned_data
        return [(data["document_type"], data.get("item"), f) for f in data.get("new_files") or []]
