"""Background jobs of the certification app (run by `manage.py run_worker`, see jobs/)."""

import io

from django.core.management import call_command
from django.tasks import TaskContext, task

from jobs.mail import forget_arguments, send_once

from . import notifications, session_mail
from .domain import certificates, sessions
from .minutes import render_minutes_pdf
from .models import Certificate, JurySession
from .pdf import render_certificate_pdf

# Event name → the function composing its e-mails (notifications.py).
COMPOSERS = {
    "application_submitted": notifications.application_submitted,
    "returned_for_corrections": notifications.returned_for_corrections,
    "corrections_received": notifications.corrections_received,
    "formally_accepted": notifications.formally_accepted,
    "formally_rejected": notifications.formally_rejected,
    "jury_decision": notifications.jury_decision,
    "certificate_issued": notifications.certificate_issued,
    "renewal_reminder": notifications.renewal_reminder,
    "organization_change_decided": notifications.organization_change_decided,
    "invitation": notifications.invitation,
    "session_agenda_sent": session_mail.agenda_sent,
    "reconsideration_filed": notifications.reconsideration_filed,
    "reconsideration_decided": notifications.reconsideration_decided,
    "certificate_items_added": notifications.certificate_items_added,
}


@task(takes_context=True)
def notify(context: TaskContext, event: str, **data) -> int:
    """Compose the event's e-mails from what is committed now, and send each one once."""
    job_id = str(context.task_result.id)
    if "token" in data and data["token"] is None:  # sent, the secret forgotten: nothing to do
        return 0
    sent = send_once(COMPOSERS[event](**data), job_id=job_id)
    if "token" in data:  # an invitation's raw token stays in the queue no longer than needed
        forget_arguments(job_id, "token")
    return sent


# Before the e-mail of the same event: the PDF its link points to is there by the time it is read.
@task(priority=10)
def make_certificate_pdf(certificate_id: int) -> str:
    """Render the issued certificate's PDF and store it; a retry while the store is down."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf:
        return certificate.pdf.name
    return certificates.attach_pdf(
        certificate=certificate, pdf=render_certificate_pdf(certificate)
    ).pdf.name


@task
def make_minutes_pdf(session_id: int) -> str:
    """Render the minutes of a closed session and store them; a retry while the store is down."""
    session = JurySession.objects.select_related("scheduled_by", "closed_by").get(pk=session_id)
    if session.minutes:
        return session.minutes.name
    return sessions.attach_minutes(session=session, pdf=render_minutes_pdf(session)).minutes.name


def _command(name: str, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()[-2000:]


@task
def certificates_daily() -> str:
    """Expire certificates past their date; enqueue the renewal reminders due."""
    return _command("certificates_daily")


@task
def reconcile_storage() -> str:
    return _command("reconcile_storage")


@task
def clearsessions() -> str:
    return _command("clearsessions")
