"""`manage.py audit_verify`: is the audit log as it was written?

Walks the hash chain from the first event to the last and names the first broken link, and
checks that the database still refuses changes to the append-only tables. Exits non-zero when
either fails. Keep the printed count and last hash somewhere else (a daily log): removing the
newest events leaves a shorter chain that is intact in itself.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from certification.db_guards import missing_guards
from certification.domain import audit


class Command(BaseCommand):
    help = "Check the audit log's hash chain and that the database refuses changes to it."

    def handle(self, *args, **options):
        state = audit.verify_chain()
        if state.broken is not None:
            raise CommandError(
                f"Audit log broken at event #{state.broken.event_id}: {state.broken.problem}."
            )
        missing = missing_guards(connection)
        if missing:
            raise CommandError(
                "The database no longer refuses changes to append-only tables; missing or "
                "disabled triggers: " + ", ".join(missing) + "."
            )
        last = f", the last #{state.last_id} with hash {state.last_hash}" if state.events else ""
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {state.events} events{last}."))
