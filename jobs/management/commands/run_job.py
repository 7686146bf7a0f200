"""Run a periodic job now instead of waiting for its time (settings.JOBS_PERIODIC)."""

from django.core.management.base import BaseCommand, CommandError

from jobs import schedule
from jobs.worker import drain


class Command(BaseCommand):
    help = "Enqueue a periodic job now (e.g. certificates_daily); --wait runs the queue here."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job; without it, list them.")
        parser.add_argument(
            "--wait", action="store_true", help="Run the ready jobs in this process, then exit."
        )

    def handle(self, *args, name=None, wait=False, **options):
        jobs = schedule.periodic_jobs()
        if not name:
            for job, spec in jobs.items():
                self.stdout.write(f"{job}\tdaily at {spec['at']}\t{spec['task']}")
            return
        if name not in jobs:
            raise CommandError(f"No periodic job {name!r}; known: {', '.join(sorted(jobs))}.")
        job_id = schedule.enqueue_now(name)
        self.stdout.write(f"Enqueued {name} as job {job_id}.")
        if wait:
            self.stdout.write(f"{drain()} job(s) run.")
