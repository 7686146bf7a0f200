"""Each certificate's place in the Bitstring Status Lists of its verifiable credential, given
once (existing certificates in the order of their numbers), and the lists' version rows."""

from django.db import migrations, models
from django.utils import timezone

LIST_SIZE = 131_072  # certification.models.STATUS_LIST_SIZE, as it was when this was written


def allocate(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    StatusList = apps.get_model("certification", "StatusList")
    pks = list(Certificate.objects.order_by("year", "sequence").values_list("pk", flat=True))
    for index, pk in enumerate(pks):
        Certificate.objects.filter(pk=pk).update(status_list_index=index)
    lists = range((len(pks) - 1) // LIST_SIZE + 1) if pks else range(1)
    now = timezone.now()
    StatusList.objects.bulk_create(StatusList(number=n, version=0, changed=now) for n in lists)


class Migration(migrations.Migration):
    dependencies = [("certification", "0016_cpv_codes")]

    operations = [
        migrations.CreateModel(
            name="StatusList",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True, verbose_name="list number")),
                ("version", models.PositiveBigIntegerField(default=0, verbose_name="version")),
                ("changed", models.DateTimeField(verbose_name="last changed")),
            ],
            options={
                "verbose_name": "credential status list",
                "verbose_name_plural": "credential status lists",
                "ordering": ["number"],
            },
        ),
        migrations.AddField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="status list index"
            ),
        ),
        migrations.RunPython(allocate, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(
                editable=False, unique=True, verbose_name="status list index"
            ),
        ),
    ]
