"""Jury sessions (posiedzenia Kapituły): the jury decides applications only at a session.

An officer schedules a session, puts applications whose scoring is finished on its agenda and
sends the agenda to the jury. At the session the chair (or an officer, as its secretary)
records who is present, then one numbered resolution per agenda item ("Uchwała nr 12/2026"),
its votes checked against the members present who may vote. Closing the session freezes its
resolutions and makes the minutes (protokół). A mistake found later is corrected by a new
resolution at an open session that names the old one; it may correct the record, never the
outcome (that changes only through reconsideration).

One application decided alone is a session with one item on its agenda.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import (
    ApplicationStatus,
    Declaration,
    ReconsiderationStatus,
    ResolutionOutcome,
    SessionStatus,
)
from ..models import (
    AgendaItem,
    Application,
    Attendance,
    Certificate,
    ItemDecision,
    JurySession,
    ReconsiderationRequest,
    Resolution,
    SchemeRules,
)
from ..permissions import is_chair, is_officer
from ..storage import discard, store
from . import audit, decision, jury
from .errors import DomainError

# Statuses in which an application waits for the jury's resolution at a session.
AWAITING_RESOLUTION = (ApplicationStatus.DECISION, ApplicationStatus.RECONSIDERATION)


def format_number(*, sequence: int, year: int) -> str:
    """A session's or a resolution's number: "12/2026", the twelfth of 2026."""
    return f"{sequence}/{year}"


def quorum_needed(*, active: int, percent: int) -> int:
    """More than `percent` per cent of the active jury: 50 % of 7 is 3.5, so 4 must be there."""
    return active * percent // 100 + 1


@dataclass(frozen=True)
class Quorum:
    active: int  # active members of the jury now
    percent: int
    needed: int
    present: int

    @property
    def met(self) -> bool:
        return self.present >= self.needed


def present_members(session: JurySession) -> set[int]:
    return set(session.attendance.filter(present=True).values_list("member_id", flat=True))


def quorum_of(session: JurySession, *, present: int | None = None) -> Quorum:
    active = jury.active_jurors().count()
    percent = SchemeRules.current().session_quorum_percent
    return Quorum(
        active=active,
        percent=percent,
        needed=quorum_needed(active=active, percent=percent),
        present=len(present_members(session)) if present is None else present,
    )


def recused_members(application: Application) -> set[int]:
    return set(
        application.assignments.filter(declaration=Declaration.RECUSED).values_list(
            "juror_id", flat=True
        )
    )


def entitled_voters(session: JurySession, application: Application) -> set[int]:
    """Members present who may vote on this application: not recused, not of the applicant."""
    return (
        present_members(session)
        - recused_members(application)
        - jury.members_of_applicant(application)
    )


def open_agenda_item(application: Application) -> AgendaItem | None:
    """The application's undecided item on the agenda of a scheduled session, if any."""
    return (
        AgendaItem.objects.select_related("session")
        .filter(
            application=application,
            session__status=SessionStatus.SCHEDULED,
            resolution__isnull=True,
        )
        .first()
    )


def is_correction(agenda_item: AgendaItem) -> bool:
    """An item that corrects a resolution of a closed session rather than deciding anew."""
    return agenda_item.application.status not in AWAITING_RESOLUTION


# --- who may act ------------------------------------------------------------------------------


def _check_officer(user) -> None:
    if user is None or not is_officer(user):
        raise DomainError(_("Only a ROPS officer can prepare the jury's sessions."))


def _check_secretary(user) -> None:
    """The chair records the session; an officer may do it too, as the session's secretary."""
    if user is None or not (is_officer(user) or is_chair(user)):
        raise DomainError(_("Only the jury's chair or a ROPS officer can record a session."))


def _locked(session: JurySession) -> JurySession:
    return JurySession.objects.select_for_update().get(pk=session.pk)


def _check_scheduled(session: JurySession) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError(
            _("Session %(number)s is closed: its record can no longer change.")
            % {"number": session.number}
        )


def _next_sequence(model, year: int) -> int:
    # The scheme-rules row is the lock that keeps numbering gap-free under concurrency (the
    # certificates' numbering takes the same one, for a moment).
    SchemeRules.objects.select_for_update().get_or_create(pk=1)
    last = model.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
    return last + 1


# --- preparing a session ----------------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *, officer, starts_at: datetime.datetime, place: str = "", online_link: str = ""
) -> JurySession:
    """A new session, numbered within the year it takes place in ("3/2026")."""
    _check_officer(officer)
    if starts_at is None:
        raise DomainError(_("Give the date and time of the session."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    place, online_link = (place or "").strip(), (online_link or "").strip()
    if not place and not online_link:
        raise DomainError(
            _("Give the place of the session or the link to the online meeting."), field="place"
        )
    year = timezone.localtime(starts_at).year
    sequence = _next_sequence(JurySession, year)
    session = JurySession.objects.create(
        number=format_number(sequence=sequence, year=year),
        year=year,
        sequence=sequence,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        scheduled_by=officer,
    )
    audit.record(
        actor=officer,
        action="session.scheduled",
        message=session.number,
        session=session.pk,
        starts_at=starts_at.isoformat(),
    )
    return session


def _pending_reconsideration(application: Application) -> ReconsiderationRequest | None:
    return (
        ReconsiderationRequest.objects.select_for_update()
        .filter(
            application=application,
            status=ReconsiderationStatus.PENDING,
            contested_resolution__isnull=False,
        )
        .first()
    )


def _next_position(session: JurySession) -> int:
    return (session.agenda.aggregate(m=Max("position"))["m"] or 0) + 1


def _check_not_member(application: Application, user) -> None:
    if application.organization.members.filter(pk=user.pk).exists():
        raise DomainError(
            _("You are a member of the applicant organisation: another officer must do this."),
            field="application",
        )


@transaction.atomic
def add_to_agenda(*, officer, session: JurySession, application: Application) -> AgendaItem:
    """Put an application whose scoring is finished (or whose refusal is being reconsidered)
    on the agenda of a scheduled session."""
    _check_officer(officer)
    locked_session = _locked(session)
    _check_scheduled(locked_session)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _check_not_member(locked, officer)
    reconsideration = None
    if locked.status == ApplicationStatus.RECONSIDERATION:
        reconsideration = _pending_reconsideration(locked)
        if reconsideration is None:
            raise DomainError(
                _("Application %(number)s has no pending request to reconsider a resolution.")
                % {"number": locked.number},
                field="application",
            )
    elif locked.status != ApplicationStatus.DECISION and decision.in_force(locked) is not None:
        raise DomainError(
            _("Application %(number)s has already been decided by resolution %(resolution)s.")
            % {"number": locked.number, "resolution": decision.in_force(locked).number},
            field="application",
        )
    elif locked.status != ApplicationStatus.DECISION:
        raise DomainError(
            _(
                "Application %(number)s is not ready for the jury's decision: its scoring is not "
                "finished."
            )
            % {"number": locked.number},
            field="application",
        )
    already = open_agenda_item(locked)
    if already is not None:
        raise DomainError(
            _("Application %(number)s is already on the agenda of session %(session)s.")
            % {"number": locked.number, "session": already.session.number},
            field="application",
        )
    if locked_session.agenda.filter(application=locked).exists():
        raise DomainError(
            _(
                "Application %(number)s was already decided at session %(session)s: put it on "
                "the agenda of another session."
            )
            % {"number": locked.number, "session": locked_session.number},
            field="application",
        )
    return _append(
        officer=officer,
        session=locked_session,
        application=locked,
        action="session.agenda_added",
        reconsideration=reconsideration,
    )


def _append(
    *,
    officer,
    session: JurySession,
    application: Application,
    action: str,
    reconsideration=None,
    **details,
) -> AgendaItem:
    """The application last on the session's agenda, and the audit event saying so."""
    item = AgendaItem.objects.create(
        session=session,
        application=application,
        position=_next_position(session),
        reconsideration=reconsideration,
        added_by=officer,
    )
    audit.record(
        actor=officer,
        action=action,
        application=application,
        message=session.number,
        session=session.pk,
        **details,
    )
    return item


@transaction.atomic
def add_correction_to_agenda(
    *, officer, session: JurySession, resolution: Resolution
) -> AgendaItem:
    """Put a resolution of a closed session on the agenda, to be corrected by a new one."""
    _check_officer(officer)
    locked_session = _locked(session)
    _check_scheduled(locked_session)
    locked = Application.objects.select_for_update().get(pk=resolution.application_id)
    _check_not_member(locked, officer)
    if decision.in_force(locked) != resolution:
        raise DomainError(
            _(
                "Resolution %(number)s has already been corrected or replaced: correct the one "
                "in force."
            )
            % {"number": resolution.number},
            field="resolution",
        )
    old_item = AgendaItem.objects.select_related("session").filter(resolution=resolution).first()
    if old_item is not None and old_item.session.status != SessionStatus.CLOSED:
        raise DomainError(
            _(
                "Session %(session)s, which took resolution %(number)s, is still open: its "
                "resolutions are corrected after it is closed."
            )
            % {"session": old_item.session.number, "number": resolution.number},
            field="resolution",
        )
    if locked.status in AWAITING_RESOLUTION:
        raise DomainError(
            _("Application %(number)s awaits a new decision: put it on the agenda to decide it.")
            % {"number": locked.number},
            field="resolution",
        )
    if (
        open_agenda_item(locked) is not None
        or locked_session.agenda.filter(application=locked).exists()
    ):
        raise DomainError(
            _("Application %(number)s is already on the agenda of an open session.")
            % {"number": locked.number},
            field="resolution",
        )
    item = _append(
        officer=officer,
        session=locked_session,
        application=locked,
        action="session.correction_added",
        corrects=resolution.number,
    )
    return item


@transaction.atomic
def remove_from_agenda(*, officer, agenda_item: AgendaItem) -> None:
    """Take an undecided application off the agenda."""
    _check_officer(officer)
    locked_session = _locked(agenda_item.session)
    _check_scheduled(locked_session)
    item = AgendaItem.objects.select_related("application").filter(pk=agenda_item.pk).first()
    if item is None:
        raise DomainError(_("This application is no longer on the agenda."))
    if Resolution.objects.filter(agenda_item=item).exists():
        raise DomainError(
            _(
                "The jury has already decided application %(number)s at this session: it stays on "
                "the agenda."
            )
            % {"number": item.application.number}
        )
    item.delete()
    audit.record(
        actor=officer,
        action="session.agenda_removed",
        application=item.application,
        message=locked_session.number,
        session=locked_session.pk,
    )


@transaction.atomic
def send_agenda(*, officer, session: JurySession) -> JurySession:
    """E-mail the agenda, with a calendar invitation, to every active member of the jury.

    Sent again after a change, the invitation replaces the earlier one in their calendars.
    """
    _check_officer(officer)
    locked = _locked(session)
    _check_scheduled(locked)
    if not locked.agenda.exists():
        raise DomainError(_("The agenda is empty: put applications on it first."))
    locked.agenda_sent_count += 1
    locked.agenda_sent_at = timezone.now()
    locked.save(update_fields=["agenda_sent_count", "agenda_sent_at"])
    audit.record(
        actor=officer,
        action="session.agenda_sent",
        message=locked.number,
        session=locked.pk,
        sending=locked.agenda_sent_count,
    )
    events.announce(
        events.SESSION_AGENDA_SENT, session_id=locked.pk, sending=locked.agenda_sent_count
    )
    return locked


# --- at the session ---------------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, user, session: JurySession, present: Iterable[int]) -> list[Attendance]:
    """Who of the active jury is present; everyone else is recorded absent."""
    _check_secretary(user)
    locked = _locked(session)
    _check_scheduled(locked)
    present = {int(pk) for pk in present}
    members = {m.user_id: m for m in jury.active_jurors()}
    if present - set(members):
        raise DomainError(
            _("Only active members of the jury can be recorded as present."), field="present"
        )
    if Resolution.objects.filter(agenda_item__session=locked).exists():
        raise DomainError(
            _("The session has recorded resolutions: its attendance can no longer change."),
            field="present",
        )
    rows = []
    for member_id in members:
        row, _created = Attendance.objects.update_or_create(
            session=locked,
            member_id=member_id,
            defaults={"present": member_id in present, "recorded_by": user},
        )
        rows.append(row)
    # Someone recorded before whose term has ended since is no longer counted as present.
    Attendance.objects.filter(session=locked).exclude(member_id__in=members).update(present=False)
    audit.record(
        actor=user,
        action="session.attendance",
        message=locked.number,
        session=locked.pk,
        present=sorted(present),
    )
    return rows


def _clean_votes(
    *, votes_for: int, votes_against: int, votes_abstaining: int, entitled: int, present: int
) -> None:
    votes = (votes_for, votes_against, votes_abstaining)
    if any(v is None or v < 0 for v in votes):
        raise DomainError(_("Votes cannot be negative."), field="votes_for")
    total = sum(votes)
    if total == 0:
        raise DomainError(_("Record the votes cast."), field="votes_for")
    if total > entitled:
        raise DomainError(
            _(
                "%(total)d votes recorded, but only %(entitled)d members present may vote on "
                "this application (%(present)d present, less those who recused themselves or "
                "belong to the applicant organisation)."
            )
            % {"total": total, "entitled": entitled, "present": present},
            field="votes_for",
        )


def _resolution_date(session: JurySession, date: datetime.date | None) -> datetime.date:
    date = date or timezone.localdate(session.starts_at)
    if date > timezone.localdate():
        raise DomainError(
            _(
                "The resolution's date cannot be in the future: session %(number)s takes place "
                "on %(day)s."
            )
            % {"number": session.number, "day": timezone.localdate(session.starts_at)},
            field="date",
        )
    return date


def _check_quorum(session: JurySession) -> None:
    if not session.attendance.exists():
        raise DomainError(_("Record the attendance of the session first."), field="present")
    quorum = quorum_of(session)
    if not quorum.met:
        raise DomainError(
            _(
                "No quorum: %(present)d members present, %(needed)d needed (more than "
                "%(percent)d%% of the %(active)d active members of the jury)."
            )
            % {
                "present": quorum.present,
                "needed": quorum.needed,
                "percent": quorum.percent,
                "active": quorum.active,
            }
        )


def _locked_item(agenda_item: AgendaItem, user) -> tuple[AgendaItem, JurySession, Application]:
    _check_secretary(user)
    session = _locked(agenda_item.session)
    _check_scheduled(session)
    item = AgendaItem.objects.filter(pk=agenda_item.pk, session=session).first()
    if item is None:
        raise DomainError(_("This application is not on the agenda of the session."))
    application = Application.objects.select_for_update().get(pk=item.application_id)
    if Resolution.objects.filter(agenda_item=item).exists():
        raise DomainError(
            _("The jury has already decided application %(number)s at this session.")
            % {"number": application.number}
        )
    decision.check_impartial(application, user)
    return item, session, application


def _clean_decisions(
    application: Application, decisions: dict[int, tuple[bool, str]]
) -> dict[int, tuple[bool, str]]:
    items = {item.pk: item for item in application.items.all()}
    foreign = set(decisions) - set(items)
    if foreign:
        raise DomainError(
            _("Only products and services of this application can be decided."),
            field="decisions",
        )
    cleaned = {}
    for pk, item in items.items():
        if pk not in decisions or decisions[pk][0] is None:
            raise DomainError(
                _("Decide whether “%(item)s” is granted the mark.") % {"item": item.name},
                field=f"decision_{pk}",
            )
        granted, reason = decisions[pk]
        reason = (reason or "").strip()
        if not granted and not reason:
            raise DomainError(
                _("Give the reason for refusing “%(item)s”.") % {"item": item.name},
                field=f"reason_{pk}",
            )
        cleaned[pk] = (bool(granted), "" if granted else reason)
    return cleaned


def _outcome(cleaned: dict[int, tuple[bool, str]]) -> str:
    granted = sum(1 for g, _r in cleaned.values() if g)
    if granted == 0:
        return ResolutionOutcome.REFUSED
    if granted == len(cleaned):
        return ResolutionOutcome.GRANTED
    return ResolutionOutcome.PARTIALLY_GRANTED


def _new_resolution(
    *,
    application: Application,
    item: AgendaItem,
    user,
    date: datetime.date,
    votes: tuple[int, int, int],
    outcome: str,
    justification: str,
    decisions: dict[int, tuple[bool, str]],
    is_final: bool,
    supersedes: Resolution | None = None,
) -> Resolution:
    sequence = _next_sequence(Resolution, date.year)
    resolution = Resolution.objects.create(
        application=application,
        agenda_item=item,
        number=format_number(sequence=sequence, year=date.year),
        year=date.year,
        sequence=sequence,
        date=date,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstaining=votes[2],
        outcome=outcome,
        justification=justification,
        is_final=is_final,
        supersedes=supersedes,
        recorded_by=user,
    )
    ItemDecision.objects.bulk_create(
        ItemDecision(resolution=resolution, item_id=pk, granted=granted, reason=reason)
        for pk, (granted, reason) in sorted(decisions.items())
    )
    return resolution


@transaction.atomic
def record_resolution(
    *,
    user,
    agenda_item: AgendaItem,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    decisions: dict[int, tuple[bool, str]],
    justification: str,
    date: datetime.date | None = None,
) -> Resolution:
    """The jury's resolution on one agenda item: per product or service granted or refused
    (a refusal with its reason), the votes of the members present who may vote."""
    item, session, application = _locked_item(agenda_item, user)
    if application.status not in AWAITING_RESOLUTION:
        raise DomainError(_("This application is not awaiting the jury's decision."))
    _check_quorum(session)
    date = _resolution_date(session, date)
    _clean_votes(
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstaining=votes_abstaining,
        entitled=len(entitled_voters(session, application)),
        present=len(present_members(session)),
    )
    if not (justification or "").strip():
        raise DomainError(_("Give the justification of the decision."), field="justification")
    cleaned = _clean_decisions(application, decisions)
    outcome = _outcome(cleaned)
    if outcome != ResolutionOutcome.REFUSED and votes_for <= votes_against:
        raise DomainError(
            _("Granting the mark needs more votes for than against."), field="votes_for"
        )
    reconsideration = None
    if item.reconsideration_id:
        reconsideration = ReconsiderationRequest.objects.select_for_update().get(
            pk=item.reconsideration_id
        )
        if reconsideration.status != ReconsiderationStatus.PENDING:
            raise DomainError(_("This reconsideration request has already been decided."))
    resolution = _new_resolution(
        application=application,
        item=item,
        user=user,
        date=date,
        votes=(votes_for, votes_against, votes_abstaining),
        outcome=outcome,
        justification=justification.strip(),
        decisions=cleaned,
        is_final=reconsideration is not None,
    )
    if reconsideration is not None:
        reconsideration.status = ReconsiderationStatus.DECIDED
        reconsideration.decided_at = timezone.now()
        contested = Resolution.objects.get(pk=reconsideration.contested_resolution_id)
        reconsideration.upheld = contested.outcome == outcome
        reconsideration.save(update_fields=["status", "decided_at", "upheld"])
    application.decided_at = timezone.now()
    application.save(update_fields=["decided_at"])
    details = {"message": resolution.number, "session": session.number}
    if Certificate.objects.filter(application=application).exists():
        # Decided again after a certificate was issued (a partial grant reconsidered): the
        # certificate stands; the application stays certified.
        audit.change_status(
            application=application,
            actor=user,
            action=f"resolution.{outcome}",
            to_state=ApplicationStatus.CERTIFIED,
            **details,
        )
    else:
        audit.change_status(
            application=application,
            actor=user,
            action=f"resolution.{outcome}",
            to_state=ApplicationStatus.REFUSED
            if outcome == ResolutionOutcome.REFUSED
            else ApplicationStatus.GRANTED,
            **details,
        )
    events.announce(events.JURY_DECISION, resolution_id=resolution.pk)
    return resolution


@transaction.atomic
def correct_resolution(
    *,
    user,
    agenda_item: AgendaItem,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    reasons: dict[int, str],
    justification: str,
    date: datetime.date | None = None,
) -> Resolution:
    """A new resolution that corrects the record of the one in force (taken at a closed
    session): its votes, justification and reasons for refused items. The outcome and what
    was granted stay as they were: those change only through reconsideration."""
    item, session, application = _locked_item(agenda_item, user)
    if not is_correction(item):
        raise DomainError(
            _("Application %(number)s awaits a decision, not a correction.")
            % {"number": application.number}
        )
    old = decision.in_force(application)
    if old is None:
        raise DomainError(_("This application has no resolution to correct."))
    _check_quorum(session)
    date = _resolution_date(session, date)
    old_item = AgendaItem.objects.select_related("session").filter(resolution=old).first()
    old_session = old_item.session if old_item else None
    present = len(present_members(old_session)) if old_session else None
    if old_session is not None:
        entitled = len(entitled_voters(old_session, application))
    else:  # taken before sessions were kept: nothing to check the votes against
        entitled = votes_for + votes_against + votes_abstaining
    _clean_votes(
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstaining=votes_abstaining,
        entitled=entitled,
        present=present or entitled,
    )
    if not (justification or "").strip():
        raise DomainError(_("Give the justification of the decision."), field="justification")
    granted = dict(old.item_decisions.values_list("item_id", "granted"))
    cleaned = _clean_decisions(
        application,
        {pk: (granted.get(pk, False), (reasons or {}).get(pk, "")) for pk in granted},
    )
    if old.outcome != ResolutionOutcome.REFUSED and votes_for <= votes_against:
        raise DomainError(
            _("Granting the mark needs more votes for than against."), field="votes_for"
        )
    resolution = _new_resolution(
        application=application,
        item=item,
        user=user,
        date=date,
        votes=(votes_for, votes_against, votes_abstaining),
        outcome=old.outcome,
        justification=justification.strip(),
        decisions=cleaned,
        is_final=old.is_final,
        supersedes=old,
    )
    audit.record(
        actor=user,
        action="resolution.corrected",
        application=application,
        message=resolution.number,
        corrects=old.number,
        session=session.number,
    )
    return resolution


@transaction.atomic
def close_session(*, user, session: JurySession) -> JurySession:
    """Close the session once every agenda item is decided: its resolutions are then final
    records, and a job makes the minutes."""
    _check_secretary(user)
    locked = _locked(session)
    if locked.status == SessionStatus.CLOSED:
        raise DomainError(
            _("Session %(number)s has already been closed.") % {"number": locked.number}
        )
    if not locked.attendance.exists():
        raise DomainError(_("Record the attendance of the session first."), field="present")
    undecided = list(
        locked.agenda.filter(resolution__isnull=True)
        .select_related("application")
        .order_by("position", "pk")
    )
    if undecided:
        raise DomainError(
            _(
                "The session cannot be closed: no resolution yet on %(numbers)s. Record them, "
                "or take these applications off the agenda."
            )
            % {"numbers": ", ".join(i.application.number for i in undecided)}
        )
    locked.status = SessionStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=user,
        action="session.closed",
        message=locked.number,
        session=locked.pk,
        resolutions=list(
            Resolution.objects.filter(agenda_item__session=locked)
            .order_by("sequence")
            .values_list("number", flat=True)
        ),
    )
    events.announce(events.SESSION_CLOSED, session_id=locked.pk)
    return locked


@transaction.atomic
def attach_minutes(*, session: JurySession, pdf: bytes) -> JurySession:
    """Store the minutes made by a job after the session closed; once only."""
    locked = _locked(session)
    if locked.status != SessionStatus.CLOSED:
        raise DomainError(_("The minutes are made when the session is closed."))
    if locked.minutes:  # a second run of the job finds it done
        return locked
    store(locked.minutes, f"protokol-{locked.year}-{locked.sequence}.pdf", ContentFile(pdf))
    try:
        locked.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.save(update_fields=["minutes", "minutes_sha256"])
    except BaseException:
        discard(locked.minutes.storage, locked.minutes.name)
        raise
    return locked
