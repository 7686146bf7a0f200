import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import events
from ..choices import ApplicationStatus, LegalForm
from ..models import (
    Application,
    ApplicationItem,
    DocumentType,
    ItemCpvCode,
    Organization,
    SchemeRules,
)
from . import audit
from .document_age import date_problems
from .errors import DomainError
from .membership import check_acts_for_applicant
from .validity import unchangeable_because

QUESTIONNAIRE_FIELDS = (
    "social_goals",
    "employees_total",
    "employees_at_risk",
    "own_revenue_percent",
)


@dataclass(frozen=True)
class Problem:
    """Something that stops submission, said in plain words, with where to fix it."""

    section: str  # "questionnaire", "items", "documents", "organization"
    message: str


def _locked_draft(application: Application, user) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_acts_for_applicant(
        application=locked,
        user=user,
        message=_("Only a member of the organisation can edit its application."),
    )
    if locked.status != ApplicationStatus.DRAFT:
        raise DomainError(_("This application has been submitted and can no longer be edited."))
    return locked


@transaction.atomic
def create_application(*, organization: Organization, user) -> Application:
    if not organization.members.filter(pk=user.pk).exists():
        raise DomainError(_("You can apply only on behalf of your own organisation."))
    application = Application.objects.create(
        organization=organization, created_by=user, social_goals=""
    )
    audit.record(
        actor=user,
        action="application.created",
        application=application,
        to_state=application.status,
    )
    return application


@transaction.atomic
def update_questionnaire(*, application: Application, user, **answers) -> Application:
    unknown = set(answers) - set(QUESTIONNAIRE_FIELDS)
    if unknown:
        raise ValueError(f"Not questionnaire fields: {sorted(unknown)}")
    locked = _locked_draft(application, user)
    # Only what differs is written: an autosave of unchanged answers leaves no row behind.
    changed = [name for name, value in answers.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, answers[name])
    if locked.employees_at_risk > locked.employees_total:
        raise DomainError(
            _("People at risk of exclusion cannot outnumber all employed people."),
            field="employees_at_risk",
        )
    locked.save(update_fields=changed)
    audit.record(actor=user, action="application.questionnaire_saved", application=locked)
    return locked


@transaction.atomic
def add_item(
    *, application: Application, user, name: str, kind: str, description: str
) -> ApplicationItem:
    locked = _locked_draft(application, user)
    if not name.strip() or not description.strip():
        raise DomainError(_("Give the product or service a name and a description."))
    item = ApplicationItem.objects.create(
        application=locked, name=name.strip(), kind=kind, description=description.strip()
    )
    audit.record(actor=user, action="application.item_added", application=locked, message=name)
    return item


@transaction.atomic
def remove_item(*, item: ApplicationItem, user) -> None:
    locked = _locked_draft(item.application, user)
    for document in item.documents.all():
        storage, name = document.file.storage, document.file.name
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    item.delete()
    audit.record(
        actor=user, action="application.item_removed", application=locked, message=item.name
    )


def months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def eligibility_problems(application: Application, rules: SchemeRules) -> list[Problem]:
    organization = application.organization
    problems = []
    if organization.legal_form not in LegalForm.values:
        problems.append(
            Problem("organization", _("Your organisation's legal form is not eligible."))
        )
    months = months_between(organization.registration_date, timezone.localdate())
    if months < rules.min_activity_months:
        problems.append(
            Problem(
                "organization",
                ngettext(
                    "The mark is for organisations active for at least %(min)d months; "
                    "yours was registered %(months)d month ago.",
                    "The mark is for organisations active for at least %(min)d months; "
                    "yours was registered %(months)d months ago.",
                    max(months, 0),
                )
                % {"min": rules.min_activity_months, "months": max(months, 0)},
            )
        )
    share = application.own_revenue_percent
    if share is not None and share < rules.min_own_revenue_percent:
        problems.append(
            Problem(
                "questionnaire",
                _(
                    "Own revenue must be at least %(min)s%% of total revenue; you declared "
                    "%(share)s%%."
                )
                % {"min": rules.min_own_revenue_percent, "share": share},
            )
        )
    return problems


def completeness_problems(application: Application) -> list[Problem]:
    """Everything that still stops the application from being submitted."""
    rules = SchemeRules.current()
    problems = []
    if not application.social_goals.strip():
        problems.append(Problem("questionnaire", _("Describe your social goals.")))
    if application.own_revenue_percent is None:
        problems.append(Problem("questionnaire", _("Give your own-revenue share.")))
    items = list(application.items.all())
    if not items:
        problems.append(Problem("items", _("Name at least one product or service to certify.")))
    coded = set(
        ItemCpvCode.objects.filter(item__in=items).values_list("item_id", flat=True).distinct()
    )
    for item in items:
        if item.pk not in coded:
            problems.append(
                Problem(
                    "items",
                    _("Give at least one CPV code for “%(item)s”.") % {"item": item.name},
                )
            )
    current = [d for d in application.documents.all() if d.superseded_by_id is None]
    for doc_type in DocumentType.objects.filter(required=True):
        if application.extension_of_id is not None and not doc_type.per_item:
            continue  # an extension asks only for the new items' documents
        if doc_type.per_item:
            needed = max(doc_type.min_count, rules.min_recommendations_per_item)
            for item in items:
                count = sum(
                    1 for d in current if d.document_type_id == doc_type.pk and d.item_id == item.pk
                )
                if count < needed:
                    problems.append(
                        Problem(
                            "documents",
                            _("%(type)s for “%(item)s”: %(count)d of %(needed)d attached.")
                            % {
                                "type": doc_type.name,
                                "item": item.name,
                                "count": count,
                                "needed": needed,
                            },
                        )
                    )
        else:
            count = sum(1 for d in current if d.document_type_id == doc_type.pk)
            if count < doc_type.min_count:
                problems.append(
                    Problem("documents", _("Attach: %(type)s.") % {"type": doc_type.name})
                )
    problems.extend(Problem("documents", p.message) for p in date_problems(application))
    problems.extend(eligibility_problems(application, rules))
    return problems


@transaction.atomic
def submit_application(*, application: Application, user) -> Application:
    """Draft → submitted. The caller (the workflow) starts the process in the same transaction."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.DRAFT:
        raise DomainError(_("This application has already been submitted."))
    check_acts_for_applicant(
        application=locked,
        user=user,
        message=_("Only a member of the organisation can submit its application."),
    )
    if locked.extension_of_id is not None:
        problem = unchangeable_because(locked.extension_of, today=timezone.localdate())
        if problem:
            raise DomainError(problem)
    problems = completeness_problems(locked)
    if problems:
        raise DomainError(
            _("The application is not complete yet: %(problems)s")
            % {"problems": " ".join(p.message for p in problems)}
        )
    now = timezone.now()
    locked.submitted_at = now
    locked.number = f"W/{now.year}/{locked.pk:05d}"
    locked.save(update_fields=["submitted_at", "number"])
    audit.change_status(
        application=locked,
        actor=user,
        action="application.submitted",
        to_state=ApplicationStatus.SUBMITTED,
    )
    events.announce(events.APPLICATION_SUBMITTED, application_id=locked.pk)
    return locked
