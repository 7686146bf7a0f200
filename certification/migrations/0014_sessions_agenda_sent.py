from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certification", "0013_scoring_item_scopes")]

    operations = [
        migrations.AddField(
            model_name="jurysession",
            name="agenda_sent_count",
            field=models.PositiveIntegerField(default=0, verbose_name="times the agenda was sent"),
        ),
        migrations.AddField(
            model_name="jurysession",
            name="agenda_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="agenda last sent"),
        ),
    ]
