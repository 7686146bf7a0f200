"""Forms of the applicant's application editor and corrections."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..choices import ItemKind
from ..models import Application, ApplicationItem, Document, DocumentType
from .cpv import CpvCodesField
from .lifecycle import DayField


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class PercentField(forms.DecimalField):
    """Accepts 42,5 and 42.5 alike, whatever the page language: people type both."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("%", "")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class QuestionnaireForm(forms.Form):
    social_goals = forms.CharField(
        label=_label(Application, "social_goals"),
        help_text=_("What your organisation does for people at risk of exclusion, in practice."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )
    employees_total = forms.IntegerField(
        label=_label(Application, "employees_total"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    employees_at_risk = forms.IntegerField(
        label=_label(Application, "employees_at_risk"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    own_revenue_percent = PercentField(
        label=_label(Application, "own_revenue_percent"),
        help_text=_("A number from 0 to 100, e.g. 42,5."),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )

    # Head counts cannot be blank in the database; a partial save leaves an emptied one as it was.
    NOT_BLANK = ("employees_total", "employees_at_risk")

    def __init__(self, *args, partial: bool = False, **kwargs):
        """partial: saving for later (or autosaving), when unanswered questions are no error.

        What is answered is still checked (a number must be a number); completeness is checked
        at submission.
        """
        super().__init__(*args, **kwargs)
        self.partial = partial

    def full_clean(self):
        if not self.partial:
            return super().full_clean()
        # Not required only while cleaning: the page still marks the questions as required.
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, field in self.fields.items():
                field.required = required[name]

    def answers(self) -> dict:
        """What to store: everything, or for a partial save only the questions sent."""
        if not self.partial:
            return dict(self.cleaned_data)
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if self.add_prefix(name) in self.data and not (value is None and name in self.NOT_BLANK)
        }


class ItemForm(forms.Form):
    name = forms.CharField(label=_label(ApplicationItem, "name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Is it a product or a service?"),
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_label(ApplicationItem, "description"),
        help_text=_("What it is, who buys it and how people at risk of exclusion take part."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    cpv = CpvCodesField(label=_("CPV codes"), required=False)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type=file multiple>`; each checked as a FileField would,
    and a refused one named."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = []
        for uploaded in files:
            try:
                value = super().clean(uploaded, initial)
            except forms.ValidationError as error:
                if len(files) < 2:
                    raise
                raise forms.ValidationError(
                    [f"“{getattr(uploaded, 'name', '')}”: {message}" for message in error.messages]
                ) from error
            if value:
                cleaned.append(value)
        return cleaned


ACCEPT = ".pdf,.jpg,.jpeg,.png"


def issue_date_field() -> DayField:
    return DayField(
        label=_("Issue date of the document"),
        help_text=_("As printed on the document, e.g. 15.03.2026."),
        required=False,
        invalid_message=_("Give the issue date as day, month and year, e.g. 15.03.2026."),
    )


class UploadForm(forms.Form):
    """Files for one place in the documents checklist (type and item come from the page).

    `multiple`: several files at once, each one a document of the type. A type that asks for
    the issue date takes one file per upload, since each file has its own date.
    """

    # Not "required" for the browser: each upload is its own small form, and an asterisk beside
    # every optional document would suggest it is compulsory for the application.
    file = forms.FileField(
        label=_("Choose a file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"empty": _("The file is empty.")},
    )
    issue_date = issue_date_field()

    def __init__(self, *args, multiple: bool = False, dated: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if multiple:
            self.fields["file"] = MultipleFileField(
                label=_("Choose one or more files"),
                required=False,
                widget=MultipleFileInput(attrs={"accept": ACCEPT}),
                error_messages={"empty": _("The file is empty.")},
            )
        if not dated:
            del self.fields["issue_date"]
        self.fields["file"].help_text = _(
            "PDF, JPEG or PNG, up to %(size)s; all files of the application together up to "
            "%(total)s."
        ) % {
            "size": filesizeformat(settings.MAX_DOCUMENT_SIZE),
            "total": filesizeformat(settings.MAX_APPLICATION_DOCUMENTS_SIZE),
        }
        if multiple:
            many = _("You may choose several files at once (hold Ctrl or Shift).")
            self.fields["file"].help_text = f"{many} {self.fields['file'].help_text}"

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            raise forms.ValidationError(_("Choose a file to upload."), code="required")
        return uploaded

    def chosen_files(self) -> list:
        uploaded = self.cleaned_data["file"]
        return list(uploaded) if isinstance(uploaded, list) else [uploaded]


def explain_issue_date(form: UploadForm) -> None:
    """A form for any type of document: the issue date is asked for the types that need it."""
    dated = [t.name for t in DocumentType.objects.filter(issue_date_required=True)]
    if not dated:
        del form.fields["issue_date"]
        return
    form.fields["issue_date"].help_text = _(
        "Needed for: %(types)s. As printed on the document, e.g. 15.03.2026."
    ) % {"types": ", ".join(dated)}


class AddDocumentForm(UploadForm):
    """A document of any type, e.g. one that the formal review found missing."""

    document_type = forms.ModelChoiceField(
        label=_("Type of document"),
        queryset=DocumentType.objects.all(),
        empty_label=_("Choose the type"),
    )
    item = forms.ModelChoiceField(
        label=_("Product or service it concerns"),
        queryset=ApplicationItem.objects.none(),
        required=False,
        empty_label=_("Not about a single product or service"),
        help_text=_("Needed for recommendation letters and photos."),
    )
    field_order = ["document_type", "item", "file", "issue_date"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = application.items.all()
        explain_issue_date(self)


class ReplaceDocumentForm(UploadForm):
    """A new version of any current document of the application."""

    document = forms.ModelChoiceField(
        label=_("Document to replace"),
        queryset=Document.objects.none(),
        empty_label=_("Choose the document"),
    )
    field_order = ["document", "file", "issue_date"]

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        field.queryset = application.documents.filter(superseded_by__isnull=True).select_related(
            "document_type", "item"
        )
        explain_issue_date(self)
        field.label_from_instance = lambda d: (
            f"{d.original_name} ({d.document_type.name}" + (f": {d.item.name})" if d.item else ")")
        )


class CorrectionsAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the reviewer (optional)"),
        help_text=_("For example, what you changed or why a document is as it is."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
