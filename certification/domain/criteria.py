"""Versions of the scoring criteria: a round scores by the version in force when it started."""

from ..models import CriteriaVersion, Criterion


def current_version() -> CriteriaVersion:
    """The newest version put in force."""
    return CriteriaVersion.objects.filter(in_force_from__isnull=False).order_by("-number").first()


def criteria_of(version: CriteriaVersion):
    return Criterion.objects.filter(version=version, active=True)
