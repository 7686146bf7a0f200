"""The jury's sessions: the list (and scheduling), a juror's coming sessions, the minutes.

Sessions outlive the flow of any one application, so these pages call
certification.domain.sessions directly; only recording a resolution moves a flow
(services.record_session_resolution, on the agenda item's page).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from certification.choices import Declaration, SessionStatus
from certification.domain import audit, sessions
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.models import AgendaItem, JurorAssignment, JurySession, Membership
from certification.permissions import is_juror
from certification.storage import STORAGE_ERRORS

from ..forms_sessions import ScheduleSessionForm
from .staff_common import posted


def permission_required(permission: str):
    """Logged-in users holding `permission`; anyone else is told the page does not exist."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


run_sessions_required = permission_required("certification.run_sessions")


@run_sessions_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_list(request):
    """Coming and past sessions; officers schedule new ones here."""
    may_prepare = request.user.has_perm("certification.prepare_sessions")
    if request.method == "POST" and not may_prepare:
        raise Http404
    form = ScheduleSessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.schedule_session(officer=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Session %(number)s has been scheduled. Put applications on its agenda.")
                % {"number": session.number},
            )
            return redirect("staff_session", pk=session.pk)
    listed = JurySession.objects.annotate(items=Count("agenda")).order_by("-starts_at", "-pk")
    return render(
        request,
        "staff/sessions.html",
        {
            "form": form,
            "may_prepare": may_prepare,
            "upcoming": [s for s in listed if s.status == SessionStatus.SCHEDULED][::-1],
            "past": [s for s in listed if s.status == SessionStatus.CLOSED],
            "may_see_minutes": request.user.has_perm("certification.view_minutes"),
        },
    )


@login_required
@require_safe
def my_sessions(request):
    """A member of the jury's coming sessions, with the files to read before each."""
    user = request.user
    if not is_juror(user):
        raise Http404
    own_organizations = set(
        Membership.objects.filter(user=user).values_list("organization_id", flat=True)
    )
    recused = set(
        JurorAssignment.objects.filter(juror=user, declaration=Declaration.RECUSED).values_list(
            "application_id", flat=True
        )
    )
    upcoming = JurySession.objects.filter(status=SessionStatus.SCHEDULED).prefetch_related(
        Prefetch(
            "agenda",
            queryset=AgendaItem.objects.select_related("application__organization").order_by(
                "position", "pk"
            ),
        )
    )
    rows = [
        {
            "session": session,
            "items": [
                {
                    "item": item,
                    "conflict": item.application.organization_id in own_organizations,
                    "recused": item.application_id in recused,
                }
                for item in session.agenda.all()
            ],
        }
        for session in upcoming.order_by("starts_at", "pk")
    ]
    return render(request, "staff/my_sessions.html", {"rows": rows, "now": timezone.now()})


@permission_required("certification.view_minutes")
@require_safe
def minutes_download(request, pk: int):
    session = get_object_or_404(JurySession, pk=pk, status=SessionStatus.CLOSED)
    if not session.minutes:
        raise Http404("The minutes are still being made.")
    try:
        response = FileResponse(
            session.minutes.open("rb"),
            as_attachment=True,
            filename=f"protokol-{session.sequence}-{session.year}.pdf",
            content_type="application/pdf",
        )
    except FileNotFoundError:
        raise Http404("The minutes are missing from storage.") from None
    except STORAGE_ERRORS:
        messages.error(
            request,
            _(
                "The minutes cannot be downloaded: the document store is unavailable at the "
                "moment. Please try again in a few minutes."
            ),
        )
        return redirect("staff_session", pk=session.pk)
    audit.record(actor=request.user, action="session.minutes_downloaded", message=session.number)
    response["Cache-Control"] = "private, no-store"
    return response
