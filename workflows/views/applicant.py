"""Applicant steps that move the flow: submitting a draft and answering corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification.choices import ApplicationStatus, ReviewOutcome
from certification.domain import documents
from certification.domain.errors import DomainError
from certification.domain.review import save_corrections_answer
from certification.forms import add_domain_error
from certification.forms.applicant import (
    AddDocumentForm,
    CorrectionsAnswerForm,
    ReplaceDocumentForm,
    UploadForm,
)
from certification.models import Application, SchemeRules
from certification.views.applicant import (
    application_label,
    member_application_or_404,
    saved_for_later,
)
from certification.views.applicant_detail import documents_with_versions

from .. import services
from ..flows import CertificationFlow
from ..queries import open_tasks_of


@login_required
@require_POST
def submit(request, pk: int):
    application = member_application_or_404(request.user, pk)
    if application.status != ApplicationStatus.DRAFT:
        # A second click on "Submit": the first one went through.
        messages.info(
            request,
            _("This application has already been submitted as %(number)s.")
            % {"number": application.number},
        )
        return redirect("application_detail", pk=application.pk)
    try:
        services.submit(application=application, user=request.user)
    except DomainError as error:
        application.refresh_from_db()
        if application.status != ApplicationStatus.DRAFT:
            messages.info(request, str(error))
            return redirect("application_detail", pk=application.pk)
        messages.error(request, str(error))
        return redirect("application_check", pk=application.pk)
    return redirect("application_submitted", pk=application.pk)


@login_required
def submitted(request, pk: int):
    application = member_application_or_404(request.user, pk)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("application_edit", pk=application.pk)
    rules = SchemeRules.current()
    return render(
        request,
        "applicant/submitted.html",
        {
            "application": application,
            "label": application_label(application),
            "corrections_days": rules.corrections_days,
            "decision_target_days": rules.decision_target_days,
            "decision_target_months": rules.decision_target_months,
        },
    )


def _corrections_task(application: Application):
    return open_tasks_of(application).filter(flow_task=CertificationFlow.corrections).first()


@login_required
def corrections_start(request, pk: int):
    """A stable link to the open corrections task of an application."""
    application = member_application_or_404(request.user, pk)
    task = _corrections_task(application)
    if task is None:
        messages.info(request, _("This application is not waiting for corrections now."))
        return redirect("application_detail", pk=application.pk)
    return redirect("corrections", task_pk=task.pk)


def _replace_form(document, data=None, files=None) -> UploadForm:
    form = UploadForm(
        data,
        files,
        prefix=f"replace-{document.pk}",
        dated=document.document_type.issue_date_required,
    )
    form.fields["file"].label = _("New version of “%(name)s”") % {"name": document.original_name}
    return form


class CorrectionsPage:
    """What the corrections page shows; POST handlers swap in the bound form that failed."""

    def __init__(self, task, application: Application):
        self.task = task
        self.application = application
        self.review = application.reviews.filter(outcome=ReviewOutcome.CORRECTIONS).last()
        self.versions = documents_with_versions(application)
        # Every version, old or current, leads to its row (the version in force now).
        self.row_of = {}
        for row in self.versions:
            for document in [row.current, *row.older]:
                self.row_of[document.pk] = row
        self.replace_forms = {row.current.pk: _replace_form(row.current) for row in self.versions}
        self.add_form = AddDocumentForm(application=application, prefix="add")
        self.other_form = ReplaceDocumentForm(application=application, prefix="other")
        self.answer_form = CorrectionsAnswerForm(
            prefix="answer", initial={"answer": self.review.answer if self.review else ""}
        )
        self.failed = None

    def context(self) -> dict:
        defects, shown = [], set()
        defect_list = (
            self.review.defects.select_related("document__document_type", "document__item")
            if self.review
            else []
        )
        for defect in defect_list:
            row = self.row_of.get(defect.document_id)
            first = row is not None and row.current.pk not in shown
            defects.append(
                {
                    "defect": defect,
                    "original": defect.document,
                    "row": row,
                    "replaced": row is not None and row.current.pk != defect.document_id,
                    "form": self.replace_forms[row.current.pk] if first else None,
                }
            )
            if row is not None:
                shown.add(row.current.pk)
        others = [row for row in self.versions if row.current.pk not in shown]
        review = self.review
        return {
            "task": self.task,
            "application": self.application,
            "label": application_label(self.application),
            "review": review,
            "deadline": self.application.corrections_deadline or (review and review.deadline),
            "defects": defects,
            "other_documents": others,
            "items": list(self.application.items.prefetch_related("cpv_links__cpv")),
            "add_form": self.add_form,
            "other_form": self.other_form,
            "answer_form": self.answer_form,
            "failed_form": self.failed if self.failed is not None and self.failed.errors else None,
        }


def _replace(request, page: CorrectionsPage):
    """A new version of the document a defect points to."""
    pk = request.POST.get("document", "")
    row = page.row_of.get(int(pk)) if pk.isdigit() else None
    if row is None:
        return redirect("corrections", task_pk=page.task.pk)
    old = row.current
    form = page.failed = page.replace_forms[old.pk] = _replace_form(
        old, request.POST, request.FILES
    )
    if not form.is_valid():
        return None
    return _store_version(request, page, form, old)


def _replace_other(request, page: CorrectionsPage):
    """A new version of any document, chosen from a list."""
    form = page.failed = page.other_form = ReplaceDocumentForm(
        request.POST, request.FILES, application=page.application, prefix="other"
    )
    if not form.is_valid():
        return None
    return _store_version(request, page, form, form.cleaned_data["document"])


def _store_version(request, page: CorrectionsPage, form, old):
    try:
        new = documents.add_document(
            application=page.application,
            user=request.user,
            document_type=old.document_type,
            uploaded=form.cleaned_data["file"],
            replaces=old,
            issue_date=form.cleaned_data.get("issue_date"),
        )
    except DomainError as error:
        add_domain_error(form, error, default_field="file")
        return None
    messages.success(
        request,
        _("“%(old)s” has been replaced with “%(new)s”; the old version is kept.")
        % {"old": old.original_name, "new": new.original_name},
    )
    return redirect("corrections", task_pk=page.task.pk)


def _add(request, page: CorrectionsPage):
    form = page.failed = page.add_form = AddDocumentForm(
        request.POST, request.FILES, application=page.application, prefix="add"
    )
    if not form.is_valid():
        return None
    try:
        new = documents.add_document(
            application=page.application,
            user=request.user,
            document_type=form.cleaned_data["document_type"],
            item=form.cleaned_data["item"],
            uploaded=form.cleaned_data["file"],
            issue_date=form.cleaned_data.get("issue_date"),
        )
    except DomainError as error:
        add_domain_error(form, error, default_field="file")
        return None
    messages.success(request, _("“%(name)s” has been attached.") % {"name": new.original_name})
    return redirect("corrections", task_pk=page.task.pk)


def _nothing_changed(page: CorrectionsPage, answer: str) -> bool:
    """No answer, and no document uploaded since the reviewer asked for corrections."""
    if answer.strip() or page.review is None:
        return False
    return not page.application.documents.filter(uploaded_at__gte=page.review.created).exists()


def _send(request, page: CorrectionsPage):
    form = page.failed = page.answer_form = CorrectionsAnswerForm(request.POST, prefix="answer")
    if not form.is_valid():
        return None
    if _nothing_changed(page, form.cleaned_data["answer"]) and "confirmed" not in request.POST:
        # Sending back what the reviewer already refused is most often a slip: ask, and say
        # again what they asked for.
        page.failed = None
        return render(request, "applicant/corrections_confirm.html", page.context())
    try:
        services.answer_corrections(
            task_pk=page.task.pk, user=request.user, answer=form.cleaned_data["answer"]
        )
    except services.TaskNotAvailable:
        messages.info(request, _("The corrections have already been sent."))
        return redirect("application_detail", pk=page.application.pk)
    except DomainError as error:
        add_domain_error(form, error, default_field="answer")
        return None
    messages.success(
        request, _("The corrected application has been sent. ROPS will review it again.")
    )
    return redirect("application_detail", pk=page.application.pk)


def _save_answer(request, page: CorrectionsPage):
    """“Save and come back later”: keep the unsent answer; documents are saved on upload."""
    form = page.failed = page.answer_form = CorrectionsAnswerForm(request.POST, prefix="answer")
    if not form.is_valid():
        return None
    try:
        save_corrections_answer(
            application=page.application, user=request.user, answer=form.cleaned_data["answer"]
        )
    except DomainError as error:
        add_domain_error(form, error, default_field="answer")
        return None
    return saved_for_later(request)


HANDLERS = {
    "replace": _replace,
    "replace_other": _replace_other,
    "add": _add,
    "send": _send,
    "save_answer": _save_answer,
}


@login_required
def corrections(request, task_pk: int):
    try:
        task = services.open_task(
            task_pk=task_pk, user=request.user, node=CertificationFlow.corrections
        )
    except services.TaskNotAvailable:
        raise Http404 from None
    application = get_object_or_404(
        Application.objects.select_related("organization"), process__pk=task.process_id
    )
    page = CorrectionsPage(task, application)
    if request.method == "POST":
        handler = HANDLERS.get(request.POST.get("action", ""))
        response = handler(request, page) if handler else None
        if response is not None:
            return response
    return render(request, "applicant/corrections.html", page.context())
