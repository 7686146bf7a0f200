"""viewflow's processes and tasks in the admin: to look at, never to change or delete.

viewflow registers them with delete (and some editing) allowed; a deleted process would take
an application's workflow with it. The flow alone moves them.
"""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from certification.admin_audit import ReadOnly

admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ReadOnly, ProcessAdmin):
    pass


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnly, TaskAdmin):
    pass
