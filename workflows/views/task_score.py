"""The juror's task: first the impartiality declaration, then (same URL) the scorecard.

Nothing about the application beyond who applied is shown before the declaration, and no
other juror's scores are shown on this page at all.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from certification.choices import Declaration
from certification.domain.criteria import criteria_of

from .. import services
from ..forms_scorecard import ScorecardForm
from ..forms_staff import DeclarationForm
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


def _scorecard(request, task, assignment):
    application = assignment.application
    # The criteria of the round's version, never "the current ones": a version put in force
    # during the round does not change what this juror scores.
    criteria = list(criteria_of(application.criteria_version))
    documents = documents_of(application)
    form = ScorecardForm(
        posted(request),
        criteria=criteria,
        items=list(application.items.all()),
        documents=documents["current_documents"],
    )
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
            _("Your scorecard for %(number)s has been submitted.") % {"number": application.number}
        ),
        template="staff/task_score.html",
        context={
            "task": task,
            **application_summary(application),
            **documents,
        },
    )
