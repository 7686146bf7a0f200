"""The queue in the admin: what waits, what failed and why, and a retry action (audited).

Here rather than in `jobs/`: the job engine sits below `certification` and may not write its
audit log. Imported by certification/admin.py.
"""

from importlib import import_module

from django.contrib import admin, messages
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from jobs.models import PeriodicRun

from .domain import audit

# Its own admin first (certification's is discovered before it), then ours instead.
import_module("django_tasks_db.admin")
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "task_path",
        "status",
        "attempts",
        "error",
        "enqueued_at",
        "run_after",
        "finished_at",
    )
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "exception_class_path")
    ordering = ["-enqueued_at"]
    readonly_fields = [f.name for f in DBTaskResult._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("attempts"))
    def attempts(self, job: DBTaskResult) -> int:
        return len(job.worker_ids)

    @admin.display(description=_("last error"))
    def error(self, job: DBTaskResult) -> str:
        if not job.exception_class_path:
            return ""
        last_line = (job.traceback.strip().splitlines() or [""])[-1]
        return last_line[:200]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # prune_jobs forgets finished jobs; a waiting one must not vanish

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Run the selected failed jobs again"), permissions=["retry"])
    def retry(self, request, queryset):
        # Only failed jobs: a ready or running one is already in hand. Idempotent jobs make a
        # retry safe even when part of the work had been done.
        with transaction.atomic():
            failed = queryset.filter(status=TaskResultStatus.FAILED)
            ids = [str(pk) for pk in failed.values_list("pk", flat=True)]
            count = failed.update(
                status=TaskResultStatus.READY,
                run_after=timezone.now(),
                finished_at=None,
                worker_ids=[],  # a fresh round of attempts
            )
            if count:
                audit.record(actor=request.user, action="jobs.retried", jobs=ids)
        self.message_user(
            request,
            ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("name", "slot", "enqueued_at", "job_id")
    list_filter = ("name",)
    ordering = ["-enqueued_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
