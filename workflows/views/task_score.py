"""The juror's task: first the impartiality declaration, then (same URL) the scorecard.

Nothing about the application beyond who applied is shown before the declaration, and no
other juror's scores are shown on this page at all.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.choices import Declaration
from certification.domain.criteria import criteria_of
from certification.domain.errors import DomainError
from certification.domain.jury_drafts import draft_of

from .. import services
from ..forms_scorecard import ScorecardForm
from ..forms_staff import DeclarationForm
from ..services import TaskNotAvailable
from .staff_common import posted, task_form_page
from .staff_file import application_summary, documents_of


def score(request, task):
    assignment = services.assignment_of(task)
    if assignment.declaration == Declaration.PENDING:
        return _declare(request, task, assignment)
    return _scorecard(request, task, assignment)


def _declare(request, task, assignment):
    application = assignment.application
    form = DeclarationForm(posted(request))

    def done(result):
        if result.declaration == Declaration.IMPARTIAL:
            return _("Thank you. You can now read the application and score it.")
        return _("You have recused yourself from scoring %(number)s.") % {
            "number": application.number
        }

    impartial = form.is_valid() and form.impartial
    return task_form_page(
        request,
        form=form,
        action=lambda f: services.declare(
            task_pk=task.pk,
            user=request.user,
            impartial=f.impartial,
            reason=f.cleaned_data["reason"],
        ),
        success=done,
        template="staff/task_declare.html",
        context={
            "task": task,
            "application": application,
            "organization": application.organization,
        },
        # After declaring impartiality the juror goes on to the scorecard on this very page.
        success_url=reverse("staff_task", args=[task.pk]) if impartial else "staff_inbox",
    )


# The scorecard's buttons: keep a draft, see every answer before the final step, submit.
DRAFT, CHECK, SUBMIT = "draft", "check", "submit"


def _scorecard(request, task, assignment):
    """Fill in (and save as a draft as often as wanted), check the answers, then submit.

    Only SUBMIT, from the *Check your answers* page, is final; a POST that names no step is
    taken as CHECK, so nothing is ever submitted without that page.
    """
    application = assignment.application
    # The criteria of the round's version, never "the current ones": a version put in force
    # during the round does not change what this juror scores.
    criteria = list(criteria_of(application.criteria_version))
    documents = documents_of(application)
    draft = draft_of(assignment)
    form = ScorecardForm(
        posted(request),
        initial=draft.data if draft else None,
        criteria=criteria,
        items=list(application.items.all()),
        documents=documents["current_documents"],
    )
    context = {"task": task, "draft": draft, **application_summary(application), **documents}
    step = request.POST.get("step", CHECK) if request.method == "POST" else None
    if step == SUBMIT:
        return task_form_page(
            request,
            form=form,
            action=lambda f: services.score(
                task_pk=task.pk,
                user=request.user,
                scores=f.scores(),
                comment=f.cleaned_data["comment"],
            ),
            success=lambda _card: (
                _("Your scorecard for %(number)s has been submitted.")
                % {"number": application.number}
            ),
            template="staff/task_score.html",
            context=context,
        )
    if step == DRAFT:
        if _keep_draft(request, task, form):
            messages.success(
                request,
                _(
                    "Your draft has been saved. Nobody else can see it and it does not count "
                    "until you submit the scorecard."
                ),
            )
            return redirect("staff_task", task.pk)
        return redirect("staff_inbox")
    if step == CHECK and form.is_valid():
        if not _keep_draft(request, task, form):
            return redirect("staff_inbox")
        return render(request, "staff/task_score_check.html", {**context, "form": form})
    return render(request, "staff/task_score.html", {**context, "form": form})


def _keep_draft(request, task, form) -> bool:
    """Save the draft; False (with the message) when the task is no longer this juror's."""
    try:
        services.save_score_draft(task_pk=task.pk, user=request.user, data=form.draft_data())
    except TaskNotAvailable:
        messages.error(request, _("This task has already been completed by someone else."))
        return False
    except DomainError as error:
        messages.error(request, str(error))
        return False
    return True
