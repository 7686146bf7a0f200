"""Officer tasks before the jury scores: the formal review and the jury assignment."""

from django.utils.translation import gettext as _

from certification.choices import Declaration
from certification.domain import deadlines
from certification.domain.applications import completeness_problems
from certification.domain.jury import active_jurors, members_of_applicant, seats_taken
from certification.domain.review import document_checklists
from certification.models import SchemeRules, User

from .. import services
from ..forms_staff import AssignJuryForm, FormalReviewForm, person_name
from . import task_review_cpv
from .staff_common import posted, task_form_page
from .staff_file import application_summary, documents_of


def formal_review(request, task):
    application = task.process.coerced.application
    # The officer may confirm an item's CPV codes first, with a form of its own.
    confirming = request.method == "POST" and task_review_cpv.CONFIRM in request.POST
    if confirming:
        done, cpv_forms = task_review_cpv.confirm_codes(request, task, application)
        if done:
            return done
    else:
        cpv_forms = task_review_cpv.code_forms(application)
    documents = application.documents.filter(superseded_by__isnull=True).select_related(
        "document_type", "item"
    )
    form = FormalReviewForm(
        None if confirming else posted(request),
        documents=documents,
        corrections_days=SchemeRules.current().corrections_days,
    )
    return task_form_page(
        request,
        form=form,
        action=lambda f: services.formal_review(
            task_pk=task.pk,
            user=request.user,
            outcome=f.cleaned_data["outcome"],
            note=f.cleaned_data["note"],
            defects=f.defects(),
            deadline=f.cleaned_data["deadline"],
        ),
        success=lambda review: (
            _("Formal review of %(number)s recorded: %(outcome)s.")
            % {"number": application.number, "outcome": review.result_display}
        ),
        template="staff/task_formal_review.html",
        context={
            "task": task,
            **application_summary(application),
            **documents_of(application),
            "problems": completeness_problems(application),
            "checklists": document_checklists(documents),
            "reviews": application.reviews.select_related("officer").prefetch_related(
                "defects__document"
            ),
            "cpv_forms": cpv_forms,
            "cpv_confirm": task_review_cpv.CONFIRM,
        },
        field_map={"defects": "defect_1"},
    )


def assign_jury(request, task):
    application = task.process.coerced.application
    assignments = list(application.assignments.select_related("juror", "scorecard"))
    jurors = (
        User.objects.filter(pk__in=[m.user_id for m in active_jurors()])
        .exclude(pk__in=[a.juror_id for a in assignments])
        .select_related("jury_member")
        .order_by("last_name", "first_name", "username")
    )
    # Members of the applicant organisation are not offered; the page says why they are missing.
    conflicted = members_of_applicant(application)
    candidates = deadlines.with_open_assignments(jurors.exclude(pk__in=conflicted))
    form = AssignJuryForm(posted(request), candidates=candidates)
    return task_form_page(
        request,
        form=form,
        action=lambda f: services.assign_jury(
            task_pk=task.pk, user=request.user, jurors=f.cleaned_data["jurors"]
        ),
        success=lambda created: (
            _("Jurors assigned to %(number)s: %(names)s.")
            % {
                "number": application.number,
                "names": ", ".join(person_name(a.juror) for a in created),
            }
        ),
        template="staff/task_assign_jury.html",
        context={
            "task": task,
            **application_summary(application),
            "needed": max(SchemeRules.current().min_jurors - seats_taken(application), 1),
            "assignments": assignments,
            "recused": [a for a in assignments if a.declaration == Declaration.RECUSED],
            "unavailable": [person_name(j) for j in jurors.filter(pk__in=conflicted)],
            "can_see_recusal_reasons": request.user.has_perm("certification.view_recusal_reasons"),
        },
    )
