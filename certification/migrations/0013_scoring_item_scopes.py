"""Quality and reputation are judged for each product or service, not for the organisation.

The certificate is granted per item, so the chair needs those two criteria per item. A version
already used by an application is never edited: then a new version with the new scopes is made
and put in force; otherwise the version in force is changed in place.
"""

import django.utils.timezone
from django.db import migrations

ITEM_SCOPED = ["Jakość produktu lub usługi", "Renoma i rekomendacje"]
FIELDS = [
    "name",
    "description",
    "min_points",
    "max_points",
    "weight",
    "minimum_average",
    "position",
    "active",
]


def forward(apps, schema_editor):
    CriteriaVersion = apps.get_model("certification", "CriteriaVersion")
    Criterion = apps.get_model("certification", "Criterion")
    Application = apps.get_model("certification", "Application")
    current = (
        CriteriaVersion.objects.filter(in_force_from__isnull=False).order_by("-number").first()
    )
    if current is None:
        return
    criteria = list(Criterion.objects.filter(version=current))
    if not any(c.name in ITEM_SCOPED and c.scope != "item" for c in criteria):
        return  # renamed or already per item: the administrator's choice stands
    if not Application.objects.filter(criteria_version=current).exists():
        Criterion.objects.filter(version=current, name__in=ITEM_SCOPED).update(scope="item")
        return
    newest = CriteriaVersion.objects.order_by("-number").first()
    version = CriteriaVersion.objects.create(
        number=newest.number + 1,
        in_force_from=django.utils.timezone.now(),
        note="Jakość oraz renoma i rekomendacje są oceniane dla każdego produktu lub usługi.",
    )
    for c in criteria:
        Criterion.objects.create(
            version=version,
            scope="item" if c.name in ITEM_SCOPED else c.scope,
            **{name: getattr(c, name) for name in FIELDS},
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0012_resolution_items_by_decision")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
