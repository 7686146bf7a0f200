"""Who may do what: django-rules predicates, and one "visible to user" queryset per model.

Objects outside a user's visible queryset answer 404, never 403.

Roles come from membership (applicant), the officers group, and jury membership; never from
`is_superuser`, which only opens the Django admin for configuration (DESIGN.md §4: "admin" is a
role of its own). User.has_perm lets these rules alone decide, without Django's superuser pass.
A member of the applicant organisation is in conflict: no staff role reaches its application.
"""

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import ApplicationStatus, Declaration, ReconsiderationStatus, SessionStatus
from .models import (
    AgendaItem,
    Application,
    DecisionLetter,
    Document,
    JurorAssignment,
    ReconsiderationAttachment,
    Resolution,
)

OFFICERS_GROUP = "officers"


@rules.predicate
def is_officer(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=OFFICERS_GROUP).exists()


@rules.predicate
def is_juror(user) -> bool:
    member = getattr(user, "jury_member", None) if user.is_authenticated else None
    if not (member and member.active):
        return False
    today = timezone.localdate()
    return member.term_start <= today and (member.term_end is None or member.term_end >= today)


@rules.predicate
def is_chair(user) -> bool:
    return is_juror(user) and user.jury_member.is_chair


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_authenticated and user.organizations.exists()


@rules.predicate
def is_member(user, application) -> bool:
    return (
        application is not None
        and user.is_authenticated
        and application.organization.members.filter(pk=user.pk).exists()
    )


@rules.predicate
def acts_for_paper_applicant(user, application) -> bool:
    """An officer acts for a PES on the application it sent on paper: while registering it, and
    afterwards until someone of the organisation has an account (an invitation's take-over)."""
    return (
        application is not None
        and application.received_on_paper is not None
        and is_officer(user)
        and (
            application.status == ApplicationStatus.DRAFT
            or not application.organization.members.exists()
        )
    )


@rules.predicate
def is_impartial_juror_of(user, application) -> bool:
    return (
        application is not None
        and user.is_authenticated
        and application.assignments.filter(juror=user, declaration=Declaration.IMPARTIAL).exists()
    )


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == ApplicationStatus.DRAFT


@rules.predicate
def awaits_decision(user, application) -> bool:
    return application is not None and (
        application.status == ApplicationStatus.DECISION
        or (
            # A jury decision the applicant asked to reconsider: the jury decides again.
            application.status == ApplicationStatus.RECONSIDERATION
            and application.reconsiderations.filter(
                status=ReconsiderationStatus.PENDING, contested_resolution__isnull=False
            ).exists()
        )
    )


@rules.predicate
def recorded_its_resolution(user, application) -> bool:
    """The chair who recorded the resolution may look back at what they signed."""
    return (
        application is not None
        and user.is_authenticated
        and Resolution.objects.filter(application=application, recorded_by=user).exists()
    )


@rules.predicate
def recused_from(user, application) -> bool:
    """A conflict of interest keeps a juror, the chair included, out of this application."""
    return (
        application is not None
        and user.is_authenticated
        and application.assignments.filter(juror=user, declaration=Declaration.RECUSED).exists()
    )


# The chair sees an application to record the jury's resolution on it, and afterwards if they
# recorded it; never one they recused themselves from.
chair_of = is_chair & ~recused_from & (awaits_decision | recorded_its_resolution)


@rules.predicate
def on_open_agenda(user, application) -> bool:
    """On the agenda of a scheduled session: every member of the jury reads it beforehand."""
    return (
        application is not None
        and AgendaItem.objects.filter(
            application=application, session__status=SessionStatus.SCHEDULED
        ).exists()
    )


# A member of the jury reads the files on the agenda of the coming session, unless recused.
juror_before_session = is_juror & ~recused_from & on_open_agenda


@rules.predicate
def owes_scorecard(user, application) -> bool:
    """An assigned juror who has not scored yet: must not see anyone else's scores."""
    return (
        application is not None
        and user.is_authenticated
        and application.assignments.filter(juror=user, scorecard__isnull=True)
        .exclude(declaration=Declaration.RECUSED)
        .exists()
    )


# Staff powers over one application. A member of the applicant organisation has none over it,
# whatever else they are (juror, chair, officer): they would judge their own organisation.
staff_of = (is_officer | is_impartial_juror_of | chair_of | juror_before_session) & ~is_member

rules.add_perm("certification.staff_area", is_officer | is_juror)
rules.add_perm("certification.edit_application", is_member & is_draft)
rules.add_perm("certification.view_application_file", is_member | staff_of)
# The staff file: jurors' names, recusals, scorecards, history. Never for the applicant's members.
rules.add_perm("certification.view_staff_file", staff_of)
# Submitted scorecards and their averages (the resolution task shows them too).
rules.add_perm("certification.view_scorecards", staff_of & ~owes_scorecard)
# A juror's reasons for recusing may be personal: only the officers who reassign need them.
rules.add_perm("certification.view_recusal_reasons", is_officer)
# Workflow tasks, by role. The flow's task nodes test these.
rules.add_perm("certification.review_application", is_officer & ~is_member)
# A PES that applied on paper and has no account yet: the officer records what it sends.
rules.add_perm("certification.respond_corrections", is_member | acts_for_paper_applicant)
rules.add_perm("certification.assign_jury", is_officer & ~is_member)
rules.add_perm(
    "certification.record_resolution", (is_officer | (is_chair & ~recused_from)) & ~is_member
)
rules.add_perm("certification.score_application", is_juror & ~is_member)
rules.add_perm("certification.issue_certificate", is_officer & ~is_member)
# Jury sessions: officers prepare them; the chair, or an officer as secretary, records them.
rules.add_perm("certification.prepare_sessions", is_officer)
rules.add_perm("certification.run_sessions", is_officer | is_chair)
# The minutes: a private record of the jury, never a public URL.
rules.add_perm("certification.view_minutes", is_officer | is_chair)
# Reconsideration: the applicant's one request, and an officer's second look at a formal
# rejection (the jury's second look is certification.record_resolution).
rules.add_perm("certification.request_reconsideration", is_member)
rules.add_perm("certification.reconsider_rejection", is_officer & ~is_member)


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("organization")
    if not user.is_authenticated:
        return qs.none()
    if is_officer(user):
        return qs.exclude(status=ApplicationStatus.DRAFT) | qs.filter(organization__members=user)
    visible = Q(organization__members=user)
    if is_juror(user):
        visible |= Q(assignments__juror=user, assignments__declaration=Declaration.IMPARTIAL)
        recused = JurorAssignment.objects.filter(juror=user, declaration=Declaration.RECUSED)
        on_agenda = AgendaItem.objects.filter(session__status=SessionStatus.SCHEDULED)
        visible |= Q(pk__in=on_agenda.values("application_id")) & ~Q(
            pk__in=recused.values("application_id")
        )
        if is_chair(user):
            jury_reconsideration = Q(
                status=ApplicationStatus.RECONSIDERATION,
                reconsiderations__status=ReconsiderationStatus.PENDING,
                reconsiderations__contested_resolution__isnull=False,
            )
            visible |= (
                Q(status=ApplicationStatus.DECISION)
                | jury_reconsideration
                | Q(resolutions__recorded_by=user)
            ) & ~Q(pk__in=recused.values("application_id"))
    return qs.filter(visible).distinct()


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(application__in=applications_visible_to(user).values("pk"))


def reconsideration_attachments_visible_to(user) -> QuerySet[ReconsiderationAttachment]:
    """Files of a reconsideration request: for whoever may open the application's file."""
    return ReconsiderationAttachment.objects.filter(
        request__application__in=applications_visible_to(user).values("pk")
    )


def letters_visible_to(user) -> QuerySet[DecisionLetter]:
    """Decision letters, as the application file they belong to: its members and its staff."""
    return DecisionLetter.objects.filter(
        application__in=applications_visible_to(user).values("pk")
    ).exclude(pdf="")


def staff_files_visible_to(user) -> QuerySet[Application]:
    """Applications whose staff file the user may open: never a draft, never their own."""
    return (
        applications_visible_to(user)
        .exclude(status=ApplicationStatus.DRAFT)
        .exclude(organization__members=user)
    )
