import django.utils.timezone
from django.db import migrations


def forward(apps, schema_editor):
    """Existing criteria become version 1, in force from the first scoring; existing
    resolutions get a decision per item (a refused item's reason is the resolution's)."""
    CriteriaVersion = apps.get_model("certification", "CriteriaVersion")
    Criterion = apps.get_model("certification", "Criterion")
    Application = apps.get_model("certification", "Application")
    Resolution = apps.get_model("certification", "Resolution")
    ItemDecision = apps.get_model("certification", "ItemDecision")
    ApplicationItem = apps.get_model("certification", "ApplicationItem")
    first = CriteriaVersion.objects.create(number=1, in_force_from=django.utils.timezone.now())
    Criterion.objects.filter(version__isnull=True).update(version=first)
    Application.objects.filter(assignments__isnull=False).update(criteria_version=first)
    for resolution in Resolution.objects.all():
        granted = set(resolution.granted_items.values_list("pk", flat=True))
        for item in ApplicationItem.objects.filter(application_id=resolution.application_id):
            ItemDecision.objects.create(
                resolution=resolution,
                item=item,
                granted=item.pk in granted,
                reason="" if item.pk in granted else resolution.justification or "-",
            )


class Migration(migrations.Migration):
    dependencies = [("certification", "0010_jury_sessions_items_letters")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
