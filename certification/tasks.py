"""Background jobs of the certification app (run by `manage.py run_worker`, see jobs/)."""

import io

from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskContext, task

from jobs.mail import forget_arguments, send_once, without_addresses
from jobs.once import do_once

from . import (
    notifications,
    notifications_certificate,
    notifications_staff,
    notifications_watch,
    session_mail,
    webhook_delivery,
)
from .domain import certificates, letter_decisions, letters, sessions, webhooks
from .letter_pdf import render_letter_pdf
from .minutes import render_minutes_pdf
from .models import Certificate, CertificateVersion, JurySession, WebhookDelivery
from .pdf import render_certificate_pdf

# Event name → the function composing its e-mails (notifications.py).
COMPOSERS = {
    "application_submitted": notifications.application_submitted,
    "returned_for_corrections": notifications.returned_for_corrections,
    "corrections_received": notifications_staff.corrections_received,  # and to the officers
    "formally_accepted": notifications.formally_accepted,
    "formally_rejected": notifications.formally_rejected,
    "jury_decision": notifications.jury_decision,
    "certificate_issued": notifications.certificate_issued,
    "renewal_reminder": notifications.renewal_reminder,
    "organization_change_decided": notifications.organization_change_decided,
    "location_decided": notifications.location_decided,
    "invitation": notifications.invitation,
    "session_agenda_sent": session_mail.agenda_sent,
    "reconsideration_filed": notifications.reconsideration_filed,
    "reconsideration_decided": notifications.reconsideration_decided,
    "certificate_items_added": notifications.certificate_items_added,
    "certificate_version_issued": notifications_certificate.certificate_version_issued,
    "certificate_suspended": notifications_certificate.certificate_suspended,
    "certificate_reinstated": notifications_certificate.certificate_reinstated,
    "certificate_revoked": notifications_certificate.certificate_revoked,
    "certificate_expired": notifications_certificate.certificate_expired,
    "corrections_deadline_near": notifications_certificate.corrections_deadline_near,
    "corrections_deadline_extended": notifications_certificate.corrections_deadline_extended,
    "jurors_assigned": notifications_staff.jurors_assigned,
    "scoring_overdue": notifications_staff.scoring_overdue,
    "decision_target_passed": notifications_staff.decision_target_passed,
    "session_due": notifications_staff.session_due,
    "watch_requested": notifications_watch.watch_requested,
}


@task(takes_context=True)
def notify(context: TaskContext, event: str, digest: list[str] | None = None, **data) -> int:
    """Compose the event's e-mails from what is committed now, and send each one once; none to
    the `digest` addresses (their daily digest tells them, notifications_digest.py)."""
    job_id = str(context.task_result.id)
    if "token" in data and data["token"] is None:  # sent, the secret forgotten: nothing to do
        return 0
    messages = without_addresses(COMPOSERS[event](**data), digest or [])
    sent = send_once(messages, job_id=job_id)
    if "token" in data:  # an invitation's raw token stays in the queue no longer than needed
        forget_arguments(job_id, "token")
    return sent


# Before the e-mail of the same event: the PDF its link points to is there by the time it is read.
@task(priority=10)
def make_certificate_pdf(certificate_id: int) -> str:
    """Render the issued certificate's PDF and store it; a retry while the store is down."""
    return _certificate_pdf(certificate_id)


def _certificate_pdf(certificate_id: int) -> str:
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf:
        return certificate.pdf.name
    return certificates.attach_pdf(
        certificate=certificate, pdf=render_certificate_pdf(certificate)
    ).pdf.name


@task
def make_version_pdf(version_id: int) -> str:
    """The PDF of a certificate's new version: the certificate's, if it is still the newest."""
    version = CertificateVersion.objects.get(pk=version_id)
    return _certificate_pdf(version.certificate_id)


@task
def make_minutes_pdf(session_id: int) -> str:
    """Render the minutes of a closed session and store them; a retry while the store is down."""
    session = JurySession.objects.select_related("scheduled_by", "closed_by").get(pk=session_id)
    if session.minutes:
        return session.minutes.name
    return sessions.attach_minutes(session=session, pdf=render_minutes_pdf(session)).minutes.name


def make_decision_letters(**decision_ids) -> tuple:
    """The decision and its letters by language, one per language of the organisation's
    e-mails: those made already, and the missing ones rendered and stored now."""
    decision = letter_decisions.decision_of(**decision_ids)
    if decision is None:
        return None, {}
    made = {}
    for language in letters.letter_languages(decision.application.organization):
        letter = letters.existing_letter(decision, language=language)
        if letter is None:
            content = letters.compose(decision, language=language)
            letter = letters.record_letter(content=content, pdf=render_letter_pdf(content))
        made[language] = letter
    return decision, made


def decision_letters(**decision_ids) -> list:
    """The decision's letters, each paired with the e-mail that carries it."""
    decision, made = make_decision_letters(**decision_ids)
    if decision is None:
        return []
    return notifications.decision_letter_mails(decision=decision, letters=made)


@task
def send_decision_letters(
    resolution_id: int | None = None, review_id: int | None = None, request_id: int | None = None
) -> int:
    """Make the decision's letters (PDF, kept in private storage) and send each once with the
    e-mail telling the applicant of the decision; a retry while the store or the mail server is
    down. Keyed by the letter, so running it again (or a second job for the same decision)
    makes and sends nothing new."""
    decision, made = make_decision_letters(
        resolution_id=resolution_id, review_id=review_id, request_id=request_id
    )
    if decision is None or all(letter.sent_at for letter in made.values()):
        return 0  # nothing to send: not even the store need answer
    sent = 0
    for letter, message in notifications.decision_letter_mails(decision=decision, letters=made):

        def send(letter=letter, message=message) -> None:
            message.send()
            letters.mark_sent(letter=letter)  # in the marker's transaction: sent ⇔ recorded

        sent += do_once(f"letter:{letter.pk}:mail", send)
    return sent


@task
def registry_changed(change_id: int) -> int:
    """Tell the buyers watching what changed (each e-mail once, keyed by the subscription) and
    queue the change for every active webhook endpoint (once)."""
    sent = sum(
        do_once(f"watch:{change_id}:{watch_id}", message.send)
        for watch_id, message in notifications_watch.registry_changed(change_id=change_id)
    )

    def queue() -> None:
        for delivery in webhooks.queue_deliveries(change_id=change_id):
            deliver_webhook.enqueue(delivery_id=delivery.pk)

    do_once(f"webhooks:{change_id}", queue)
    return sent


@task
def deliver_webhook(delivery_id: int) -> str:
    """POST one delivery; on failure record why and enqueue the next attempt at its time."""
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if delivery.delivered_at or delivery.gave_up_at or not delivery.endpoint.active:
        return "nothing to do"
    status, error = webhook_delivery.send(delivery)
    with transaction.atomic():
        delivery = webhooks.record_attempt(delivery=delivery, status=status, error=error)
        if delivery.next_attempt_at is not None:
            deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(
                delivery_id=delivery.pk
            )
    return f"attempt {delivery.attempts}: {status or error}"


def _command(name: str, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()[-2000:]


@task
def certificates_daily() -> str:
    """Expire certificates past their date; enqueue the renewal reminders due."""
    return _command("certificates_daily")


@task
def reminders_daily() -> str:
    """Remind jurors of overdue scorecards, officers of files past their decision target,
    chairs of sessions near with items to decide."""
    return _command("reminders_daily")


@task
def reconcile_storage() -> str:
    return _command("reconcile_storage")


@task
def clearsessions() -> str:
    return _command("clearsessions")
