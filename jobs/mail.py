"""E-mails sent by jobs: each message once, whatever the retries."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from .once import do_once


def send_once(messages: list[EmailMessage], *, job_id: str) -> int:
    """Send each message unless this job sent it already; the number sent now.

    Messages are keyed by their position: a job composes the same messages in the same order
    each time it runs, so a retry after the second of three failed sends the second and third.
    """
    return sum(
        do_once(f"mail:{job_id}:{index}", message.send) for index, message in enumerate(messages)
    )  # (send_message below keys its one message the same way)


def without_addresses(messages: list[EmailMessage], addresses: list[str]) -> list[EmailMessage]:
    """The messages with these addresses (any case) taken out of To and Bcc; a message left with
    no addressee dropped. The same inputs give the same list, so send_once's keys hold."""
    held = {address.strip().lower() for address in addresses}
    if not held:
        return messages
    kept = []
    for message in messages:
        to = [a for a in message.to if a.strip().lower() not in held]
        bcc = [a for a in message.bcc if a.strip().lower() not in held]
        if not to:
            to, bcc = bcc[:1], bcc[1:]
        if to:
            message.to, message.bcc = to, bcc
            kept.append(message)
    return kept


def forget_arguments(job_id: str, *names: str) -> None:
    """Drop secrets (a reset link, an invitation token) from a finished job's stored arguments."""
    job = DBTaskResult.objects.filter(pk=job_id).first()
    if job is None:
        return
    kwargs = {k: (None if k in names else v) for k, v in job.args_kwargs["kwargs"].items()}
    # (Other keys, the request that caused the job among them, are kept.)
    DBTaskResult.objects.filter(pk=job_id).update(
        args_kwargs={**job.args_kwargs, "args": [], "kwargs": kwargs}
    )


def serialize(message: EmailMessage) -> dict:
    """A message as JSON for a job's arguments (text, HTML alternative, addresses, headers)."""
    alternatives = getattr(message, "alternatives", [])
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "html": next((str(c) for c, kind in alternatives if kind == "text/html"), None),
    }


def _message(data: dict) -> EmailMessage:
    html = data.get("html")
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


@task(takes_context=True)
def send_message(context: TaskContext, message: dict | None = None) -> int:
    """Send a message composed at enqueue time (allauth's e-mails); its text is then forgotten."""
    if message is None:  # sent and forgotten: a retry from the admin has nothing to do
        return 0
    job_id = str(context.task_result.id)
    email = _message(message)

    def send_and_forget() -> None:
        email.send()
        forget_arguments(job_id, "message")  # in the marker's transaction: sent ⇔ forgotten

    return int(do_once(f"mail:{job_id}:0", send_and_forget))
