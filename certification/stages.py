"""The stages of an application: one table that the flow, the domain and the pages read.

For every ApplicationStatus: its label (the status's own), who acts in it, what the applicant
and the staff are told happens next, and the statuses it may move to. The domain refuses any
other change (audit.change_status), the flow's switches name their targets from here
(workflows/flows.py checks them against `allowed` when it is imported), and the pages take
their texts from here. Low in the layers: it imports only the choices.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus

S = ApplicationStatus


class Actor(models.TextChoices):
    """Who moves an application on from a stage."""

    APPLICANT = "applicant", _("The applicant")
    OFFICER = "officer", _("ROPS")
    JURORS = "jurors", _("The assigned jurors")
    JURY = "jury", _("The jury at a session")
    NOBODY = "nobody", _("Nobody: the application is closed")


@dataclass(frozen=True)
class Stage:
    status: ApplicationStatus
    acts: tuple[Actor, ...]
    # What happens next, in the applicant's words and in the staff's.
    applicant_next: Promise
    staff_next: Promise
    # The statuses this one may change to; nothing else is allowed.
    to: frozenset[ApplicationStatus]
    # The applicant's text with the detail the page fills in (a date, a number), if it has one.
    applicant_next_detailed: Promise | None = None

    @property
    def label(self):
        return self.status.label


def _stage(status, acts, applicant_next, staff_next, to=(), detailed=None) -> Stage:
    return Stage(status, tuple(acts), applicant_next, staff_next, frozenset(to), detailed)


STAGES: dict[ApplicationStatus, Stage] = {
    stage.status: stage
    for stage in [
        _stage(
            S.DRAFT,
            [Actor.APPLICANT],
            _("Complete the application and submit it."),
            _("The applicant is preparing the application."),
            [S.SUBMITTED],
        ),
        _stage(
            S.SUBMITTED,
            [Actor.OFFICER],
            _("ROPS is checking that the application is complete and eligible."),
            _("An officer reviews the file formally: accept, return for corrections or reject."),
            [S.CORRECTIONS, S.JURY_ASSIGNMENT, S.REJECTED],
        ),
        _stage(
            S.CORRECTIONS,
            [Actor.APPLICANT],
            _("Correct the application."),
            _(
                "The applicant is correcting the application; a missed deadline rejects it "
                "formally."
            ),
            [S.SUBMITTED, S.REJECTED],
            detailed=_("Correct the application by %(date)s."),
        ),
        _stage(
            S.JURY_ASSIGNMENT,
            [Actor.OFFICER],
            _("The jury is assessing the application."),
            _("An officer assigns jurors to score the application."),
            [S.SCORING],
        ),
        _stage(
            S.SCORING,
            [Actor.JURORS],
            _("The jury is assessing the application."),
            _("The assigned jurors declare impartiality and score the application."),
            # Too few scorecards for the quorum: jurors are assigned again.
            [S.DECISION, S.JURY_ASSIGNMENT],
        ),
        _stage(
            S.DECISION,
            [Actor.JURY],
            _("The jury is assessing the application."),
            _("The jury adopts its resolution at a session."),
            [S.GRANTED, S.REFUSED],
        ),
        _stage(
            S.GRANTED,
            [Actor.OFFICER],
            _("The jury has granted the mark; ROPS is preparing the certificate."),
            _("An officer issues the certificate."),
            [S.CERTIFIED],
        ),
        _stage(
            S.CERTIFIED,
            [Actor.NOBODY],
            _("The certificate has been issued."),
            _(
                "Closed with a certificate; after a partial grant the applicant may ask once for "
                "reconsideration."
            ),
            # A partial grant contested.
            [S.RECONSIDERATION],
            detailed=_("Certificate %(number)s has been issued."),
        ),
        _stage(
            S.REFUSED,
            [Actor.NOBODY],
            _("The jury did not grant the mark. Nothing more to do."),
            _("Closed: refused; a first refusal may be contested once by the applicant."),
            [S.RECONSIDERATION],
        ),
        _stage(
            S.REJECTED,
            [Actor.NOBODY],
            _("The application was rejected in the formal review. Nothing more to do."),
            _(
                "Closed: formally rejected; a first rejection may be contested once by the "
                "applicant."
            ),
            [S.RECONSIDERATION],
        ),
        _stage(
            S.RECONSIDERATION,
            [Actor.OFFICER, Actor.JURY],
            _(
                "You have asked for the decision to be reconsidered; the second, final decision "
                "is awaited."
            ),
            _(
                "A contested formal rejection is decided again by an officer; a contested jury "
                "decision by the jury's final resolution at a session."
            ),
            # A jury decision taken again (certified: the certificate was already out), or a
            # formal rejection upheld or overturned.
            [S.GRANTED, S.REFUSED, S.CERTIFIED, S.REJECTED, S.JURY_ASSIGNMENT],
        ),
    ]
}

if set(STAGES) != set(ApplicationStatus):
    raise ImproperlyConfigured("certification/stages.py: every application status needs a stage")


def stage(status: str) -> Stage:
    return STAGES[ApplicationStatus(status)]


def allowed(from_status: str, to_status: str) -> bool:
    return ApplicationStatus(to_status) in stage(from_status).to


def transitions() -> list[tuple[ApplicationStatus, ApplicationStatus]]:
    """Every allowed (from, to) pair, in the order of the statuses."""
    return [(s.status, to) for s in STAGES.values() for to in sorted(s.to)]
