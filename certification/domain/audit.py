from typing import Any

from ..models import Application, AuditEvent, Certificate


def record(
    *,
    actor,
    action: str,
    application: Application | None = None,
    certificate: Certificate | None = None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    **details: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        application=application,
        certificate=certificate,
        from_state=from_state,
        to_state=to_state,
        message=str(message),
        details=details,
    )


def change_status(*, application: Application, actor, action: str, to_state: str, **details):
    """Move the application to a new status and write it to the audit log."""
    from_state = application.status
    application.status = to_state
    application.save(update_fields=["status"])
    record(
        actor=actor,
        action=action,
        application=application,
        from_state=from_state,
        to_state=to_state,
        **details,
    )
