"""Background jobs of the workflow layer (run by `manage.py run_worker`, see jobs/)."""

import io

from django.core.management import call_command
from django.tasks import task


@task
def applications_daily() -> str:
    """Formally reject the applications whose corrections deadline passed; close the
    reconsideration windows whose time passed."""
    out = io.StringIO()
    call_command("applications_daily", stdout=out)
    return out.getvalue()[-2000:]
