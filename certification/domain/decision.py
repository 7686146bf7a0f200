"""Which resolution decides an application, and who may record one.

Resolutions are taken at the jury's sessions: certification/domain/sessions.py.
"""

from django.utils.translation import gettext as _

from ..choices import Declaration
from ..models import Application, Membership, Resolution
from .errors import DomainError


def in_force(application: Application) -> Resolution | None:
    """The resolution that now decides the application: the newest one not corrected since."""
    return (
        Resolution.objects.filter(application=application, superseded_by__isnull=True)
        .order_by("-date", "-pk")
        .first()
    )


def check_impartial(application: Application, user) -> None:
    """Whoever records the resolution has no conflict with the applicant."""
    if Membership.objects.filter(organization_id=application.organization_id, user=user).exists():
        raise DomainError(
            _("You are a member of the applicant organisation: you cannot record its resolution.")
        )
    if application.assignments.filter(juror=user, declaration=Declaration.RECUSED).exists():
        raise DomainError(
            _("You recused yourself from this application: you cannot record its resolution.")
        )
