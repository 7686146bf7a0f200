"""The minutes (protokół) of a closed jury session as a PDF: WeasyPrint from an HTML template."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from .choices import Declaration
from .domain import jury, sessions
from .models import AgendaItem, ItemDecision, JurorAssignment, JurySession, Membership, User
from .permissions import is_officer


def _name(user: User) -> str:
    return user.get_full_name() or user.username


@dataclass
class MinutesItem:
    item: AgendaItem
    resolution: object  # Resolution
    decisions: list = field(default_factory=list)
    recused: list[str] = field(default_factory=list)  # recused from this application
    in_conflict: list[str] = field(default_factory=list)  # present members of the applicant
    entitled: int = 0


def minutes_context(session: JurySession) -> dict:
    """What the minutes say, read in a fixed number of queries whatever the agenda's length."""
    attendance = list(session.attendance.select_related("member__jury_member"))
    present = {a.member_id for a in attendance if a.present}
    items = list(
        session.agenda.select_related(
            "application__organization",
            "resolution__supersedes",
            "resolution__recorded_by",
            "reconsideration",
        )
        .prefetch_related(
            Prefetch(
                "resolution__item_decisions",
                queryset=ItemDecision.objects.select_related("item"),
            ),
            Prefetch(
                "application__assignments",
                queryset=JurorAssignment.objects.filter(
                    declaration=Declaration.RECUSED
                ).select_related("juror"),
                to_attr="recusals",
            ),
        )
        .order_by("position", "pk")
    )
    members_of = {}
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in={i.application.organization_id for i in items}, user_id__in=present
    ).values_list("organization_id", "user_id"):
        members_of.setdefault(organization_id, set()).add(user_id)
    names = {a.member_id: _name(a.member) for a in attendance}
    rows = []
    for item in items:
        recused = {a.juror_id: _name(a.juror) for a in item.application.recusals}
        conflicted = members_of.get(item.application.organization_id, set())
        resolution = getattr(item, "resolution", None)
        rows.append(
            MinutesItem(
                item=item,
                resolution=resolution,
                decisions=list(resolution.item_decisions.all()) if resolution else [],
                recused=sorted(recused.values()),
                in_conflict=sorted(names[pk] for pk in conflicted if pk in names),
                entitled=len(present - set(recused) - conflicted),
            )
        )
    chair = next((a.member for a in attendance if _is_chair(a.member)), None)
    if chair is None:
        chair = next((m.user for m in jury.active_jurors() if m.is_chair), None)
    # The officer who closed the session kept its record; else the one who called it.
    secretary = session.closed_by if _is_officer(session.closed_by) else session.scheduled_by
    return {
        "session": session,
        "attendance": attendance,
        "present_count": len(present),
        "quorum": sessions.quorum_of(session, present=len(present)),
        "items": rows,
        "chair": _name(chair) if chair else "",
        "secretary": _name(secretary),
        "issuer": settings.CERTIFICATE_ISSUER,
        "font_family": settings.CERTIFICATE_FONT_FAMILY,
    }


def _is_officer(user: User | None) -> bool:
    return user is not None and is_officer(user)


def _is_chair(user: User) -> bool:
    member = getattr(user, "jury_member", None)
    return bool(member and member.is_chair)


def render_minutes_pdf(session: JurySession) -> bytes:
    from weasyprint import HTML  # imported late: loading it costs ~0.4 s

    # The minutes are an official Polish record whatever the language of who closed the session.
    with translation.override("pl"):
        html = render_to_string("sessions/minutes_pdf.html", minutes_context(session))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
