"""Documents that go stale: an issue date, and the age a document type allows at submission.

A document type may ask for the date a document was issued and limit its age (a KRS extract no
older than 3 months). The age counts on the day the application is submitted, and again on the
day corrections are sent; the officer sees it as it was on the last of those days.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import ApplicationStatus
from ..models import Application, Document, DocumentType
from .errors import DomainError


def _months_back(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def oldest_allowed(document_type: DocumentType, on: datetime.date) -> datetime.date | None:
    """The earliest issue date the type accepts on the given day; None without a limit."""
    if not document_type.has_max_age:
        return None
    day = _months_back(on, document_type.max_age_months or 0)
    return day - datetime.timedelta(days=document_type.max_age_days or 0)


def max_age_text(document_type: DocumentType) -> str:
    parts = []
    if document_type.max_age_months:
        months = document_type.max_age_months
        parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    if document_type.max_age_days:
        days = document_type.max_age_days
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    return _(" and ").join(parts)


def age_text(issued: datetime.date, on: datetime.date) -> str:
    days = (on - issued).days
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def check_issue_date(
    *, document_type: DocumentType, issue_date: datetime.date | None, today: datetime.date
) -> None:
    """At upload: the date is there when the type asks for it, not in the future, not stale."""
    if issue_date is None:
        if document_type.issue_date_required:
            raise DomainError(
                _("Give the date “%(type)s” was issued.") % {"type": document_type.name},
                field="issue_date",
            )
        return
    if issue_date > today:
        raise DomainError(
            _("The issue date %(date)s is in the future; give the date printed on the document.")
            % {"date": date_format(issue_date, "SHORT_DATE_FORMAT")},
            field="issue_date",
        )
    oldest = oldest_allowed(document_type, today)
    if oldest is not None and issue_date < oldest:
        raise DomainError(
            _(
                "“%(type)s” may be at most %(limit)s old when the application is sent; this one "
                "was issued on %(date)s, %(age)s ago. Attach a recent one."
            )
            % {
                "type": document_type.name,
                "limit": max_age_text(document_type),
                "date": date_format(issue_date, "SHORT_DATE_FORMAT"),
                "age": age_text(issue_date, today),
            },
            field="issue_date",
        )


def measured_on(application: Application) -> datetime.date:
    """The day ages count on: today while the applicant edits, else the last sending."""
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTIONS):
        return timezone.localdate()
    sent = [application.submitted_at] + [
        review.answered_at for review in application.reviews.all() if review.answered_at
    ]
    sent = [moment for moment in sent if moment is not None]
    return timezone.localdate(max(sent)) if sent else timezone.localdate()


@dataclass(frozen=True)
class DateProblem:
    document: Document
    message: str


def date_problems(application: Application, on: datetime.date | None = None) -> list[DateProblem]:
    """Current documents whose issue date is missing or too old on the given day."""
    on = on or measured_on(application)
    problems = []
    current = application.documents.filter(superseded_by__isnull=True).select_related(
        "document_type", "item"
    )
    for document in current:
        doc_type = document.document_type
        if not doc_type.issue_date_required:
            continue
        names = {"name": document.original_name, "type": doc_type.name}
        if document.issue_date is None:
            problems.append(
                DateProblem(
                    document,
                    _(
                        "“%(name)s” (%(type)s) has no issue date; attach it again with the date "
                        "it was issued."
                    )
                    % names,
                )
            )
            continue
        oldest = oldest_allowed(doc_type, on)
        if oldest is not None and document.issue_date < oldest:
            problems.append(
                DateProblem(
                    document,
                    _(
                        "“%(name)s” (%(type)s) was issued on %(date)s, %(age)s before %(on)s; it "
                        "may be at most %(limit)s old. Attach a recent one."
                    )
                    % {
                        **names,
                        "date": date_format(document.issue_date, "SHORT_DATE_FORMAT"),
                        "on": date_format(on, "SHORT_DATE_FORMAT"),
                        "age": age_text(document.issue_date, on),
                        "limit": max_age_text(doc_type),
                    },
                )
            )
    return problems
