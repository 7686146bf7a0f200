"""An officer's second look at a formal rejection the applicant asked to reconsider."""

from django.utils.translation import gettext as _

from certification.domain import reconsideration
from certification.forms.reconsideration import RejectionReconsiderationForm

from .. import services
from .staff_common import posted, task_form_page
from .staff_file import application_summary, documents_of


def reconsider_rejection(request, task):
    application = task.process.coerced.application
    form = RejectionReconsiderationForm(posted(request))
    return task_form_page(
        request,
        form=form,
        action=lambda f: services.decide_rejection_reconsideration(
            task_pk=task.pk,
            user=request.user,
            uphold=f.uphold,
            answer=f.cleaned_data["answer"],
        ),
        success=lambda decided: (
            (
                _("The formal rejection of %(number)s stands; the applicant has been told.")
                if decided.upheld
                else _("The formal rejection of %(number)s is overturned; it goes to the jury.")
            )
            % {"number": application.number}
        ),
        template="staff/task_reconsider_rejection.html",
        context={
            "task": task,
            **application_summary(application),
            **documents_of(application),
            "pending": reconsideration.pending_request(application),
            "reviews": application.reviews.select_related("officer").prefetch_related(
                "defects__document"
            ),
        },
        field_map={"uphold": "decision"},
    )
