import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certification", "0011_criteria_version_one_and_item_decisions")]

    operations = [
        migrations.RemoveField(
            model_name="resolution",
            name="granted_items",
        ),
        migrations.AlterField(
            model_name="criterion",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="criteria",
                to="certification.criteriaversion",
                verbose_name="criteria version",
            ),
        ),
    ]
