"""The generator's plan: which certificates, when issued, and what happened to each since.

Pure Python, no database: the command (generate_certificates) turns the plan into rows. Not a
command itself (leading underscore).
"""

import datetime
import functools
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from certification.choices import CertificateStatus, CertificateTransition
from certification.domain import lifecycle

from . import _registry_vocabulary as words

# The domain's own, remembered: a few thousand days recur a million times in a big plan.
start_of_day = functools.lru_cache(maxsize=None)(lifecycle.start_of_day)

VALID, SUSPENDED = CertificateStatus.VALID, CertificateStatus.SUSPENDED
REVOKED, EXPIRED = CertificateStatus.REVOKED, CertificateStatus.EXPIRED
CERTIFICATES_PER_ORGANIZATION = 5


@dataclass(eq=False)
class Planned:
    """One certificate to create, with its application, items and status history."""

    org: int
    issued_on: datetime.date
    valid_until: datetime.date
    items: list[dict]
    predecessor: "Planned | None" = None
    status: str = VALID
    reason: str = ""
    # (transition, status after it, effective, public reason, end of correction period)
    events: list[tuple] = field(default_factory=list)
    pk: int | None = None


def _moment(day: datetime.date, rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """Some time during office hours on `day`, never later than now."""
    at = start_of_day(day) + datetime.timedelta(minutes=rng.randrange(8 * 60, 16 * 60))
    return min(at, now)


def _live(plan: Planned, today, now, rng: random.Random) -> None:
    """Give the certificate a life: mostly quiet, sometimes suspended, reinstated, revoked."""

    def change(transition, status, day, reason="", correction_until=None):
        plan.status, plan.reason = status, reason
        plan.events.append((transition, status, _moment(day, rng, now), reason, correction_until))

    change(CertificateTransition.ISSUE, VALID, plan.issued_on)
    last_day = min(plan.valid_until, today)
    roll = rng.random()
    if last_day > plan.issued_on and roll < 0.07:
        day = plan.issued_on + datetime.timedelta(
            days=rng.randint(1, (last_day - plan.issued_on).days)
        )
        if roll < 0.025:
            change(CertificateTransition.REVOKE, REVOKED, day, rng.choice(words.REVOCATION_REASONS))
        else:
            until = day + datetime.timedelta(days=30)
            reason = rng.choice(words.SUSPENSION_REASONS)
            change(CertificateTransition.SUSPEND, SUSPENDED, day, reason, until)
            if until < last_day:  # the correction period is over: it went one way or the other
                if rng.random() < 0.6:
                    back = min(day + datetime.timedelta(days=rng.randint(5, 30)), last_day)
                    change(CertificateTransition.REINSTATE, VALID, back, words.REINSTATEMENT_NOTE)
                else:
                    reason = words.REVOCATION_REASONS[2]
                    change(
                        CertificateTransition.REVOKE, REVOKED, until + datetime.timedelta(1), reason
                    )
    if plan.status in (VALID, SUSPENDED) and plan.valid_until < today:
        day_after = plan.valid_until + datetime.timedelta(days=1)
        plan.status, plan.reason = EXPIRED, ""
        plan.events.append(
            (CertificateTransition.EXPIRE, EXPIRED, start_of_day(day_after), "", None)
        )


def plan_certificates(*, count: int, years: int, validity: int, rng: random.Random) -> tuple:
    """The certificates to create, oldest first, and how many organisations hold them."""
    today, now = timezone.localdate(), timezone.now()
    first_day = datetime.date(today.year - years + 1, 1, 1)
    span = (today - first_day).days
    organizations = max(1, count // CERTIFICATES_PER_ORGANIZATION)
    held = Counter(range(organizations))
    held.update(rng.randrange(organizations) for _ in range(count - organizations))
    plans: list[Planned] = []
    for org in range(organizations):
        remaining = held[org]
        while remaining:
            # A line of renewals, each about a year after the last; recent years are busier.
            dates = [today - datetime.timedelta(days=int(span * rng.random() ** 1.6))]
            while len(dates) < min(remaining, rng.randint(1, years)):
                earlier = dates[-1] - datetime.timedelta(
                    days=rng.randint(validity - 30, validity + 20)
                )
                if earlier < first_day:
                    break
                dates.append(earlier)
            items = [words.item_fields(rng) for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0])]
            previous = None
            for issued_on in reversed(dates):
                plan = Planned(
                    org,
                    issued_on,
                    issued_on + datetime.timedelta(days=validity - 1),
                    items,
                    previous,
                )
                _live(plan, today, now, rng)
                plans.append(plan)
                remaining -= 1
                if plan.status == REVOKED:
                    break  # a revoked certificate is not renewed
                previous = plan
    plans.sort(key=lambda p: p.events[0][2])
    return plans, organizations
