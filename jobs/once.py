"""Effects outside the database done at most once per key, however often a job runs."""

from collections.abc import Callable

from django.db import transaction

from .models import Done


def do_once(key: str, effect: Callable[[], object]) -> bool:
    """Run `effect` unless `key` was done before; False when it had been.

    The marker row and the effect share one transaction: an effect that raises leaves no marker
    (the retry does it), and a second worker with the same key waits on the unique index until
    the first commits, then finds the marker. Only a crash between a successful effect and the
    commit repeats it (at-least-once at that single point).
    """
    with transaction.atomic():
        _marker, created = Done.objects.get_or_create(key=key)
        if created:
            effect()
        return created
