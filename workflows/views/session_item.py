"""One item of a session's agenda: the score summary and the resolution's form (votes, and per
product or service granted or refused with the reason), or the resolution once recorded. An
item that corrects a resolution of a closed session gets the correction's form instead."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certification.choices import SessionStatus
from certification.domain import decision, sessions
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.models import AgendaItem

from .. import services
from ..forms_sessions import CorrectionForm, ItemResolutionForm
from .sessions import run_sessions_required
from .staff_common import posted
from .staff_file import application_summary, scores_of, viewable_file

FIELD_MAP = {"present": None, "decisions": None}


@run_sessions_required
@require_http_methods(["GET", "HEAD", "POST"])
def agenda_item_page(request, pk: int, item_pk: int):
    item = get_object_or_404(
        AgendaItem.objects.select_related(
            "session", "application__organization", "reconsideration"
        ),
        pk=item_pk,
        session_id=pk,
    )
    # Conflicted or recused: the item does not exist for this user (the secretary records it).
    application = viewable_file(request.user, pk=item.application_id)
    if application is None:
        raise Http404
    session = item.session
    resolution = getattr(item, "resolution", None)
    open_item = session.status == SessionStatus.SCHEDULED and resolution is None
    correction = open_item and sessions.is_correction(item)
    scores = scores_of(application)
    form = None
    old = None
    if correction:
        old = decision.in_force(application)
        form = CorrectionForm(posted(request), old=old)
    elif open_item:
        form = ItemResolutionForm(
            posted(request),
            items=application.items.all(),
            suggested={s.item.pk: s.passes for s in scores["summary"].items},
        )
    elif request.method == "POST":
        messages.error(request, _("The jury has already decided this item."))
        return redirect("staff_session", pk=session.pk)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if correction:
                result = sessions.correct_resolution(
                    user=request.user, agenda_item=item, reasons=form.reasons(), **form.votes()
                )
            else:
                result = services.record_session_resolution(
                    user=request.user, agenda_item=item, decisions=form.decisions(), **form.votes()
                )
        except services.TaskNotAvailable as error:
            messages.error(request, str(error))
            return redirect("staff_session", pk=session.pk)
        except DomainError as error:
            add_domain_error(form, error, field_map=FIELD_MAP)
        else:
            messages.success(
                request,
                _("Resolution No. %(number)s recorded: %(outcome)s.")
                % {"number": result.number, "outcome": result.get_outcome_display()},
            )
            return redirect("staff_session", pk=session.pk)
    present = sessions.present_members(session)
    return render(
        request,
        "staff/session_item.html",
        {
            **application_summary(application),
            **scores,
            "agenda_item": item,
            "session": session,
            "resolution": resolution,
            "decisions": list(resolution.item_decisions.select_related("item"))
            if resolution
            else [],
            "form": form,
            "correction": correction,
            "old": old,
            "quorum": sessions.quorum_of(session, present=len(present)),
            "entitled": len(sessions.entitled_voters(session, application)),
        },
    )
