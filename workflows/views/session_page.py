"""One session of the jury: its agenda with the score summaries side by side, attendance and
quorum, and the actions — officers prepare the agenda and send it; the chair (or an officer, as
the session's secretary) records attendance and closes the session."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certification.choices import Declaration, SessionStatus
from certification.domain import jury, sessions
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.models import (
    AgendaItem,
    Application,
    JurorAssignment,
    JurySession,
    Membership,
    Resolution,
    User,
)
from certification.templatetags.figures import figure_text

from ..forms_sessions import AddCorrectionForm, AddToAgendaForm, AttendanceForm
from .sessions import run_sessions_required


def _session(pk: int) -> JurySession:
    return get_object_or_404(JurySession.objects.select_related("scheduled_by", "closed_by"), pk=pk)


def ready_applications(user):
    """Applications waiting for the jury's decision and on no open agenda yet."""
    on_agenda = AgendaItem.objects.filter(
        session__status=SessionStatus.SCHEDULED, resolution__isnull=True
    ).values("application_id")
    return (
        Application.objects.filter(status__in=sessions.AWAITING_RESOLUTION)
        .exclude(pk__in=on_agenda)
        .exclude(organization__members=user)
        .select_related("organization")
        .order_by("complete_at", "pk")
    )


def correctable_resolutions(user):
    """Resolutions in force taken at a closed session: what a correction may name."""
    on_agenda = AgendaItem.objects.filter(session__status=SessionStatus.SCHEDULED).values(
        "application_id"
    )
    return (
        Resolution.objects.filter(
            superseded_by__isnull=True, agenda_item__session__status=SessionStatus.CLOSED
        )
        .exclude(application__status__in=sessions.AWAITING_RESOLUTION)
        .exclude(application__in=on_agenda)
        .exclude(application__organization__members=user)
        .select_related("application")
        .order_by("-year", "-sequence")
    )


@dataclass(frozen=True)
class Cell:
    text: str  # "8,00 (7–9)": the mean, then the spread
    below_minimum: bool
    far_from_median: bool


def _cell(stats, decimal_separator: str) -> Cell | None:
    if stats.mean is None:
        return None
    # Formatted here, not by the template's localisation: a page of 30 applications has some
    # 1,000 cells, and the template's number formatting took half its render time.
    mean = figure_text(stats.mean, stats.mean_precise, separator=decimal_separator)
    return Cell(f"{mean} ({stats.low}–{stats.high})", not stats.meets_minimum, bool(stats.outliers))


def side_by_side(summary) -> list[dict]:
    """The criteria as rows and the products or services as columns (every item is scored on
    the same criteria, in the same order)."""
    if not summary.items:
        return []
    separator = get_format("DECIMAL_SEPARATOR")
    return [
        {
            "criterion": stats.criterion,
            "cells": [_cell(item.criteria[n], separator) for item in summary.items],
        }
        for n, stats in enumerate(summary.items[0].criteria)
    ]


def agenda_rows(user, session: JurySession) -> list[dict]:
    """The agenda, each item with what this user may see of it; constant queries."""
    items = list(
        session.agenda.select_related(
            "application__organization", "resolution", "reconsideration"
        ).order_by("position", "pk")
    )
    own_organizations = set(
        Membership.objects.filter(user=user).values_list("organization_id", flat=True)
    )
    recused = set(
        JurorAssignment.objects.filter(
            juror=user,
            declaration=Declaration.RECUSED,
            application__in=[i.application for i in items],
        ).values_list("application_id", flat=True)
    )
    visible = [
        i.application
        for i in items
        if i.application.organization_id not in own_organizations
        and i.application_id not in recused
    ]
    summaries = jury.summaries_for(visible)
    rows = []
    for item in items:
        summary = summaries.get(item.application_id)
        resolution = getattr(item, "resolution", None)
        rows.append(
            {
                "item": item,
                "application": item.application,
                "conflict": item.application.organization_id in own_organizations,
                "recused": item.application_id in recused,
                "summary": summary,
                "grid": side_by_side(summary) if summary else [],
                "resolution": resolution,
                "correction": resolution is None and sessions.is_correction(item),
            }
        )
    return rows


def session_context(request, session: JurySession, **forms) -> dict:
    user = request.user
    may_prepare = user.has_perm("certification.prepare_sessions")
    scheduled = session.status == SessionStatus.SCHEDULED
    members = User.objects.filter(pk__in=jury.active_jurors().values("user_id")).select_related(
        "jury_member"
    )
    present = sessions.present_members(session)
    context = {
        "session": session,
        "rows": agenda_rows(user, session),
        "scheduled": scheduled,
        "may_prepare": may_prepare and scheduled,
        "quorum": sessions.quorum_of(session, present=len(present)),
        "attendance_recorded": session.attendance.exists(),
        "attendance": session.attendance.select_related("member").order_by(
            "member__last_name", "member__first_name"
        ),
        "may_see_minutes": user.has_perm("certification.view_minutes"),
        "extra_errors": forms.pop("extra_errors", []),
        # The one error summary at the top of the page: of the form just sent, if any.
        "error_form": next((f for f in forms.values() if f is not None and f.errors), None),
    }
    if scheduled:
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            members=members, initial={"present": list(present)}
        )
    if may_prepare and scheduled:
        context["add_form"] = forms.get("add_form") or AddToAgendaForm(
            ready=ready_applications(user)
        )
        context["correction_form"] = forms.get("correction_form") or AddCorrectionForm(
            resolutions=correctable_resolutions(user)
        )
    return context


def _render(request, session: JurySession, **forms):
    return render(request, "staff/session.html", session_context(request, session, **forms))


@run_sessions_required
@require_http_methods(["GET", "HEAD"])
def session_page(request, pk: int):
    return _render(request, _session(pk))


def _officer_only(request) -> None:
    if not request.user.has_perm("certification.prepare_sessions"):
        raise Http404


@run_sessions_required
@require_POST
def add_to_agenda(request, pk: int):
    _officer_only(request)
    session = _session(pk)
    form = AddToAgendaForm(request.POST, ready=ready_applications(request.user))
    if form.is_valid():
        try:
            item = sessions.add_to_agenda(
                officer=request.user, session=session, application=form.cleaned_data["application"]
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="application")
        else:
            messages.success(
                request,
                _("Application %(number)s is on the agenda of session %(session)s.")
                % {"number": item.application.number, "session": session.number},
            )
            return redirect("staff_session", pk=session.pk)
    return _render(request, session, add_form=form)


@run_sessions_required
@require_POST
def add_correction(request, pk: int):
    _officer_only(request)
    session = _session(pk)
    form = AddCorrectionForm(request.POST, resolutions=correctable_resolutions(request.user))
    if form.is_valid():
        try:
            item = sessions.add_correction_to_agenda(
                officer=request.user, session=session, resolution=form.cleaned_data["resolution"]
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="resolution")
        else:
            messages.success(
                request,
                _("The correction of a resolution on application %(number)s is on the agenda.")
                % {"number": item.application.number},
            )
            return redirect("staff_session", pk=session.pk)
    return _render(request, session, correction_form=form)


@run_sessions_required
@require_POST
def remove_from_agenda(request, pk: int, item_pk: int):
    _officer_only(request)
    session = _session(pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("application"), pk=item_pk, session=session
    )
    try:
        sessions.remove_from_agenda(officer=request.user, agenda_item=item)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Application %(number)s has been taken off the agenda.")
            % {"number": item.application.number},
        )
    return redirect("staff_session", pk=session.pk)


@run_sessions_required
@require_POST
def send_agenda(request, pk: int):
    _officer_only(request)
    session = _session(pk)
    try:
        sessions.send_agenda(officer=request.user, session=session)
    except DomainError as error:
        return _render(request, session, extra_errors=[str(error)])
    messages.success(
        request,
        _(
            "The agenda is on its way to every active member of the jury, with a calendar "
            "invitation."
        ),
    )
    return redirect("staff_session", pk=session.pk)


@run_sessions_required
@require_POST
def record_attendance(request, pk: int):
    session = _session(pk)
    members = User.objects.filter(pk__in=jury.active_jurors().values("user_id"))
    form = AttendanceForm(request.POST, members=members)
    if form.is_valid():
        try:
            sessions.record_attendance(
                user=request.user,
                session=session,
                present=[u.pk for u in form.cleaned_data["present"]],
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="present")
        else:
            messages.success(request, _("The attendance has been recorded."))
            return redirect("staff_session", pk=session.pk)
    return _render(request, session, attendance_form=form)


@run_sessions_required
@require_POST
def close_session(request, pk: int):
    session = _session(pk)
    try:
        sessions.close_session(user=request.user, session=session)
    except DomainError as error:
        return _render(request, session, extra_errors=[str(error)])
    messages.success(
        request,
        _("Session %(number)s is closed; its minutes are being prepared.")
        % {"number": session.number},
    )
    return redirect("staff_session", pk=session.pk)
