"""The certification flow: the one place that says which stage follows which."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock, nodes

from certification import stages
from certification.choices import ApplicationStatus, Declaration
from certification.domain import certificates, jury, reconsideration, versions
from certification.models import Application, JurorAssignment

from .models import CertificationProcess
from .nodes import HumanTask, PerItemSplit


def _status_is(*statuses):
    def condition(activation) -> bool:
        current = Application.objects.values_list("status", flat=True).get(
            pk=activation.process.application_id
        )
        return current in statuses

    return condition


def _became(status, *, after):
    """The condition that the domain has moved the application on to `status`, a move the
    table of stages (certification/stages.py) allows from each of the statuses `after`:
    checked when the flow is imported, so the flow cannot order stages the table does not."""
    for before in after:
        if not stages.allowed(before, status):
            raise ImproperlyConfigured(
                f"CertificationFlow: {before} -> {status} is not in certification/stages.py"
            )
    return _status_is(status)


def _application(activation) -> Application:
    return Application.objects.get(pk=activation.process.application_id)


def _contestable(activation) -> bool:
    """A first refusal, partial grant or formal rejection, not yet contested."""
    return reconsideration.contestable_decision(_application(activation)) is not None


def _contests_review(activation) -> bool:
    request = reconsideration.pending_request(_application(activation))
    return request is not None and request.contested_review_id is not None


def _extension_granted(activation) -> bool:
    """Granted, and an extension of a certificate: no certificate of its own, a new version."""
    return _granted(activation) and _application(activation).extension_of_id is not None


def _pending_jurors(activation) -> list[dict]:
    pending = JurorAssignment.objects.filter(
        application_id=activation.process.application_id, declaration=Declaration.PENDING
    ).order_by("pk")
    return [{"assignment": pk} for pk in pending.values_list("pk", flat=True)]


def _assigned_juror(activation):
    return JurorAssignment.objects.get(pk=activation.task.data["assignment"]).juror


S = ApplicationStatus
_granted = _became(S.GRANTED, after=[S.DECISION, S.RECONSIDERATION])


class CertificationFlow(flow.Flow):
    process_class = CertificationProcess
    # Block on the process row until the holder commits. viewflow's default NOWAIT lock makes a
    # concurrent caller (three jurors scoring at once, two officers on one task) fail and retry
    # after random sleeps of up to ~10 s in total, then raise FlowLockFailed.
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("Certification")

    start = nodes.StartHandle(this.start_process).Next(this.formal_review)

    formal_review = (
        HumanTask("certification.review_application")
        .Annotation(title=_("Formal review"))
        .Next(this.after_review)
    )
    # Rejected: the applicant may ask, once, for the rejection to be reconsidered.
    after_review = (
        nodes.Switch()
        .Case(this.corrections, _became(S.CORRECTIONS, after=[S.SUBMITTED]))
        .Case(this.assign_jury, _became(S.JURY_ASSIGNMENT, after=[S.SUBMITTED]))
        .Default(this.reconsideration_window)
    )
    corrections = (
        HumanTask("certification.respond_corrections")
        .Annotation(title=_("Corrections"))
        .Next(this.after_corrections)
    )
    # Sent back: reviewed again. Deadline missed (services.reject_missed_deadlines): rejected,
    # and that rejection may be contested like an officer's.
    after_corrections = (
        nodes.Switch()
        .Case(this.formal_review, _became(S.SUBMITTED, after=[S.CORRECTIONS]))
        .Default(this.reconsideration_window)
    )
    assign_jury = (
        HumanTask("certification.assign_jury")
        .Annotation(title=_("Jury assignment"))
        .Next(this.scoring_split)
    )
    scoring_split = PerItemSplit(_pending_jurors).Next(this.score)
    score = (
        HumanTask("certification.score_application")
        .Annotation(title=_("Scoring"))
        .Assign(_assigned_juror)
        .Next(this.scoring_join)
    )
    scoring_join = nodes.Join().Next(this.close_round)
    close_round = nodes.Function(this.close_scoring_round).Next(this.after_scoring)
    after_scoring = (
        nodes.Switch()
        .Case(this.resolution, _became(S.DECISION, after=[S.SCORING]))
        .Default(this.assign_jury)
    )
    resolution = (
        HumanTask("certification.record_resolution")
        .Annotation(title=_("Jury resolution"))
        .Next(this.after_resolution)
    )
    # The first resolution or the final one (on reconsideration; decision.record_resolution
    # sets the status). Granted (also finally): a certificate. Certified: the final resolution
    # of a partly certified application, whose certificate takes any newly granted items. A
    # first refusal may be contested; a final one ends it.
    # An extension application (zmiana zakresu) granted: its certificate's new version, at once.
    after_resolution = (
        nodes.Switch()
        .Case(this.add_to_certificate, _extension_granted)
        .Case(this.issue, _became(S.GRANTED, after=[S.DECISION, S.RECONSIDERATION]))
        .Case(this.extend_certificate, _became(S.CERTIFIED, after=[S.RECONSIDERATION]))
        .Case(this.reconsideration_window, _contestable)
        .Default(this.refused)
    )
    issue = (
        HumanTask("certification.issue_certificate")
        .Annotation(title=_("Certificate issue"))
        .Next(this.after_issue)
    )
    # A partial grant is contested once its certificate is out (the granted items need not
    # wait for the others); a full or final grant is the end.
    after_issue = (
        nodes.Switch().Case(this.reconsideration_window, _contestable).Default(this.certified)
    )
    extend_certificate = nodes.Function(this.add_granted_items).Next(this.certified)
    add_to_certificate = nodes.Function(this.grant_extension).Next(this.after_issue)

    # The applicant's one request to reconsider: filed (services.request_reconsideration), or
    # the days allowed pass (services.close_reconsideration_windows) and the decision stands.
    reconsideration_window = (
        HumanTask("certification.request_reconsideration")
        .Annotation(title=_("Reconsideration request"))
        .Next(this.after_window)
    )
    # A formal rejection goes back to an officer; a jury decision to the jury, whose second
    # resolution is final. No request: the end the decision already stands at.
    after_window = (
        nodes.Switch()
        .Case(this.reconsider_rejection, _contests_review)
        .Case(
            this.resolution,
            _became(S.RECONSIDERATION, after=[S.REFUSED, S.CERTIFIED, S.REJECTED]),
        )
        .Case(this.certified, _status_is(ApplicationStatus.CERTIFIED))
        .Case(this.refused, _status_is(ApplicationStatus.REFUSED))
        .Default(this.rejected)
    )
    # Upheld: rejected for good. Overturned: formally accepted, on to the jury.
    reconsider_rejection = (
        HumanTask("certification.reconsider_rejection")
        .Annotation(title=_("Reconsideration of a formal rejection"))
        .Next(this.after_reconsidered_rejection)
    )
    after_reconsidered_rejection = (
        nodes.Switch()
        .Case(this.assign_jury, _became(S.JURY_ASSIGNMENT, after=[S.RECONSIDERATION]))
        .Default(this.rejected)
    )

    certified = nodes.End()
    refused = nodes.End()
    rejected = nodes.End()

    def start_process(self, activation, application: Application):
        activation.process.application = application
        return activation.process

    def close_scoring_round(self, activation):
        jury.close_scoring_round(application=activation.process.application)

    def grant_extension(self, activation):
        versions.grant_extension(application=activation.process.application)

    def add_granted_items(self, activation):
        certificates.add_granted_items(application=activation.process.application)
