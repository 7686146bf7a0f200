import datetime

from django.db import migrations, models
from django.utils import timezone


def fill_due_dates(apps, schema_editor):
    """Existing assignments: the day reminders.scoring_due computed from the current rules."""
    JurorAssignment = apps.get_model("certification", "JurorAssignment")
    SchemeRules = apps.get_model("certification", "SchemeRules")
    rules = SchemeRules.objects.filter(pk=1).first()
    days = rules.scoring_days if rules is not None else 21
    for assignment in JurorAssignment.objects.filter(due_on__isnull=True).iterator():
        assignment.due_on = timezone.localdate(assignment.assigned_at) + datetime.timedelta(
            days=days
        )
        assignment.save(update_fields=["due_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0026_paper_received_on_paper"),
    ]

    operations = [
        migrations.AddField(
            model_name="jurorassignment",
            name="due_on",
            field=models.DateField(blank=True, null=True, verbose_name="scorecard due on"),
        ),
        migrations.RunPython(fill_due_dates, migrations.RunPython.noop),
    ]
