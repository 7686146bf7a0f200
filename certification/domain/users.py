"""A person's own settings."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import User
from . import audit
from .errors import DomainError


@transaction.atomic
def set_language(*, user: User, language: str) -> User:
    """Remember the interface language the person chose: their e-mails are written in it."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("This language is not available."), field="language")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.language != language:
        previous = locked.language
        locked.language = language
        locked.save(update_fields=["language"])
        audit.record(actor=locked, action="user.language", from_state=previous, to_state=language)
    user.language = language
    return user
