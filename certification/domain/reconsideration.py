"""Reconsideration of a refusal, partial grant or formal rejection: the applicant's one request."""

import datetime

from ..models import SchemeRules


def deadline_for(*, decided_on: datetime.date) -> datetime.date:
    """The last day a request may be filed: the scheme's number of days after the decision."""
    return decided_on + datetime.timedelta(days=SchemeRules.current().reconsideration_days)
