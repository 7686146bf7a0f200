"""Forms of reconsideration: the applicant's request and an officer's second look at a formal
rejection. The rules (deadline, once, membership, what a file may be) are the domain's."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..domain.reconsideration import ANSWER_MAX_LENGTH, MAX_ATTACHMENTS, REASONS_MAX_LENGTH
from . import no_maxlength_attribute


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; the cleaned value is a list (empty when none chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReconsiderationRequestForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for your request"),
        help_text=_(
            "Why should the decision be taken again? Say what in it you think is wrong and why: "
            "for example facts the decision overlooked, or documents that show otherwise."
        ),
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Give the reasons why the decision should be taken again."),
            "max_length": _("Keep the reasons to at most %(limit_value)d characters."),
        },
    )
    attachments = MultipleFileField(
        label=_("Files supporting your request (optional)"),
        required=False,
        error_messages={"empty": _("The file is empty.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)
        self.fields["attachments"].help_text = _(
            "Up to %(count)d files: PDF, JPEG or PNG, each up to %(size)s. You can choose "
            "several files at once."
        ) % {"count": MAX_ATTACHMENTS, "size": filesizeformat(settings.MAX_DOCUMENT_SIZE)}


class RejectionReconsiderationForm(forms.Form):
    """An officer's second, final decision on a formal rejection."""

    UPHOLD, OVERTURN = "uphold", "overturn"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (UPHOLD, _("Uphold the rejection: it stands for good")),
            (OVERTURN, _("Overturn it: the application is formally accepted and goes to the jury")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the rejection stands.")},
    )
    answer = forms.CharField(
        label=_("Your answer to the applicant"),
        help_text=_("The reasons for your decision; the applicant receives them by e-mail."),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Give the applicant your answer: the reasons for the second decision."),
            "max_length": _("Keep the answer to at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        no_maxlength_attribute(self)

    @property
    def uphold(self) -> bool:
        return self.cleaned_data["decision"] == self.UPHOLD
