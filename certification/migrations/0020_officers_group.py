"""The `officers` group the roles come from (certification.permissions.OFFICERS_GROUP): a fresh
installation had none, and an administrator had to create it by its exact name first."""

from django.db import migrations


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="officers")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("certification", "0019_watching"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
