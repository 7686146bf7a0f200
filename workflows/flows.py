"""The certification flow: the one place that says which stage follows which."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock, nodes

from certification.choices import ApplicationStatus, Declaration
from certification.domain import jury
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


def _pending_jurors(activation) -> list[dict]:
    pending = JurorAssignment.objects.filter(
        application_id=activation.process.application_id, declaration=Declaration.PENDING
    ).order_by("pk")
    return [{"assignment": pk} for pk in pending.values_list("pk", flat=True)]


def _assigned_juror(activation):
    return JurorAssignment.objects.get(pk=activation.task.data["assignment"]).juror


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
    after_review = (
        nodes.Switch()
        .Case(this.corrections, _status_is(ApplicationStatus.CORRECTIONS))
        .Case(this.assign_jury, _status_is(ApplicationStatus.JURY_ASSIGNMENT))
        .Default(this.rejected)
    )
    corrections = (
        HumanTask("certification.respond_corrections")
        .Annotation(title=_("Corrections"))
        .Next(this.after_corrections)
    )
    # Sent back: reviewed again. Deadline missed (services.reject_missed_deadlines): rejected.
    after_corrections = (
        nodes.Switch()
        .Case(this.formal_review, _status_is(ApplicationStatus.SUBMITTED))
        .Default(this.rejected)
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
        .Case(this.resolution, _status_is(ApplicationStatus.DECISION))
        .Default(this.assign_jury)
    )
    resolution = (
        HumanTask("certification.record_resolution")
        .Annotation(title=_("Jury resolution"))
        .Next(this.after_resolution)
    )
    after_resolution = (
        nodes.Switch().Case(this.issue, _status_is(ApplicationStatus.GRANTED)).Default(this.refused)
    )
    issue = (
        HumanTask("certification.issue_certificate")
        .Annotation(title=_("Certificate issue"))
        .Next(this.certified)
    )
    certified = nodes.End()
    refused = nodes.End()
    rejected = nodes.End()

    def start_process(self, activation, application: Application):
        activation.process.application = application
        return activation.process

    def close_scoring_round(self, activation):
        jury.close_scoring_round(application=activation.process.application)
