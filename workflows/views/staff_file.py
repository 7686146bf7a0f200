"""The application file as staff see it, and the pieces of it that task pages reuse."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certification.choices import ApplicationStatus, Declaration
from certification.domain import audit, decision, document_age, jury, paper
from certification.domain.certificates import number_to_slug
from certification.domain.jury import ApplicationSummary, ItemSummary
from certification.models import Application, SchemeRules, Scorecard
from certification.permissions import is_officer, staff_files_visible_to
from certification.templatetags.figures import figure_text

from .. import queries
from ..forms_deadlines import ExtendDeadlineForm
from ..nodes import HumanTask
from .staff import decision_clock
from .staff_common import staff_required
from .staff_labels import action_label, state_label


def application_summary(application: Application) -> dict:
    """Organisation, questionnaire and items: what every reader of the file starts with."""
    return {
        "application": application,
        "organization": application.organization,
        "items": list(application.items.prefetch_related("cpv_links__cpv")),
    }


def documents_of(application: Application) -> dict:
    documents = list(application.documents.select_related("document_type", "item", "superseded_by"))
    # Stale or undated documents, as on the day the application was last sent.
    flagged = {p.document.pk: p.message for p in document_age.date_problems(application)}
    for document in documents:
        document.date_problem = flagged.get(document.pk, "")
    return {
        "current_documents": [d for d in documents if d.is_current],
        "superseded_documents": [d for d in documents if not d.is_current],
    }


def outcome_reasons(summary: ApplicationSummary, item: ItemSummary) -> list[str]:
    """Why the outcome rule says an item fails, in words (empty when it passes)."""
    reasons = []
    if not summary.quorum_met:
        reasons.append(
            ngettext(
                "Only %(n)d scorecard of the %(quorum)d needed for a quorum.",
                "Only %(n)d scorecards of the %(quorum)d needed for a quorum.",
                summary.scorecards,
            )
            % {"n": summary.scorecards, "quorum": summary.quorum}
        )
    if item.weighted_percent is not None and not item.meets_threshold:
        reasons.append(
            _("The weighted average is %(got)s, below the pass threshold of %(need)s%%.")
            % {
                "got": figure_text(item.weighted_percent, item.weighted_percent_precise, unit="%"),
                "need": localize(summary.pass_threshold),
            }
        )
    for stats in item.failed_minimums:
        reasons.append(
            _("“%(c)s” averages %(got)s, below its minimum of %(need)s.")
            % {
                "c": stats.criterion.name,
                "got": figure_text(stats.mean, stats.mean_precise),
                "need": localize(stats.criterion.minimum_average),
            }
        )
    if summary.quorum_met and item.unscored:
        reasons.append(
            _("Not scored: %(names)s.")
            % {"names": ", ".join(s.criterion.name for s in item.unscored)}
        )
    return reasons


def scores_of(application: Application) -> dict:
    summary = jury.application_summary(application)
    scorecards = (
        Scorecard.objects.filter(assignment__application=application)
        .select_related("assignment__juror")
        .prefetch_related("scores__criterion", "scores__item")
        .order_by("submitted_at", "pk")
    )
    return {
        "summary": summary,
        "summary_items": [
            {"summary": item, "reasons": outcome_reasons(summary, item)} for item in summary.items
        ],
        "scorecards": scorecards,
    }


def history_of(application: Application, *, recusal_reasons: bool) -> list[dict]:
    events = application.audit_events.select_related("actor")
    return [
        {
            "event": event,
            "details": ""
            if event.action == "jury.recused" and not recusal_reasons
            else event.message,
            "label": action_label(event.action),
            "from_state": state_label(
                event.from_state, certificate=event.action.startswith("certificate.")
            ),
            "to_state": state_label(
                event.to_state, certificate=event.action.startswith("certificate.")
            ),
        }
        for event in events
    ]


def _one(application: Application, relation: str):
    try:
        return getattr(application, relation)
    except ObjectDoesNotExist:
        return None


def open_tasks_for(application: Application, user) -> list[dict]:
    rows = []
    for task in queries.open_tasks_of(application):
        if not isinstance(task.flow_task, HumanTask):
            continue  # a join waiting for its branches is nobody's to do
        rows.append({"task": task, "can_act": queries.may_open(user, task)})
    return rows


def viewable_file(user, **lookup) -> Application | None:
    """The application whose staff file this user may open, found by `lookup`, or None."""
    # Drafts belong to the applicant alone; a member of the applicant organisation never sees
    # its staff file, whatever staff role they also hold.
    application = staff_files_visible_to(user).filter(**lookup).first()
    if application is None or not user.has_perm("certification.view_staff_file", application):
        return None
    return application


@staff_required
def application_file(request, pk: int):
    user = request.user
    application = viewable_file(user, pk=pk)
    if application is None:
        raise Http404
    resolution = decision.in_force(application)
    certificate = _one(application, "certificate")
    can_see_recusal_reasons = user.has_perm("certification.view_recusal_reasons")
    assignments = list(application.assignments.select_related("juror", "scorecard"))
    officer = is_officer(user)
    context = {
        **application_summary(application),
        **documents_of(application),
        "clock": decision_clock(
            application, SchemeRules.current().decision_target_days, timezone.localdate()
        ),
        "reviews": application.reviews.select_related("officer").prefetch_related(
            "defects__document"
        ),
        "assignments": assignments,
        # The officer may move the due date of a scorecard not yet sent (deadlines.is_open).
        "change_due": {
            a.pk
            for a in assignments
            if a.declaration != Declaration.RECUSED and not hasattr(a, "scorecard")
        }
        if officer and application.status == ApplicationStatus.SCORING
        else set(),
        "can_see_scores": user.has_perm("certification.view_scorecards", application),
        "resolution": resolution,
        "granted_items": list(resolution.granted_items()) if resolution else [],
        "certificate": certificate,
        "certificate_slug": number_to_slug(certificate.number) if certificate else "",
        "letters": list(application.letters.exclude(pdf="").order_by("created", "pk")),
        "open_tasks": open_tasks_for(application, user),
        "reconsiderations": list(
            application.reconsiderations.select_related(
                "filed_by", "contested_resolution", "contested_review"
            ).prefetch_related("attachments")
        ),
        "can_see_recusal_reasons": can_see_recusal_reasons,
        "history": history_of(application, recusal_reasons=can_see_recusal_reasons),
        "paper_unclaimed": is_officer(user) and paper.unclaimed(application),
        "extend_form": ExtendDeadlineForm(current=application.corrections_deadline)
        if application.status == ApplicationStatus.CORRECTIONS and officer
        else None,
    }
    if context["can_see_scores"]:
        context.update(scores_of(application))
    # Once per opening of the file page; the documents it links to record their own downloads.
    audit.record(actor=user, action="application.file_viewed", application=application)
    return render(request, "staff/application.html", context)
