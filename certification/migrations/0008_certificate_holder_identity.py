"""Certificates state the identity they were issued to; officer-approved change requests.

Existing certificates take their organisation's details as they are now: the best record there
is of what they were issued to (no change of them was possible through a request before).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


IDENTITY_FIELDS = (
    "name",
    "legal_form",
    "nip",
    "regon",
    "krs",
    "street",
    "postal_code",
    "town",
    "powiat",
)


def fill_holders(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    batch = []
    for certificate in Certificate.objects.select_related("organization").iterator(chunk_size=1000):
        for name in IDENTITY_FIELDS:
            setattr(certificate, f"holder_{name}", getattr(certificate.organization, name))
        batch.append(certificate)
        if len(batch) == 1000:
            Certificate.objects.bulk_update(batch, [f"holder_{n}" for n in IDENTITY_FIELDS])
            batch = []
    Certificate.objects.bulk_update(batch, [f"holder_{n}" for n in IDENTITY_FIELDS])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0007_existing_users_email_confirmed"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganizationChangeRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting an officer's decision"),
                            ("approved", "Approved"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("before", models.JSONField(verbose_name="values before")),
                ("after", models.JSONField(verbose_name="requested values")),
                (
                    "requested_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="requested at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                ("refusal_reason", models.TextField(blank=True, verbose_name="reason for refusal")),
            ],
            options={
                "verbose_name": "change request of an organisation's details",
                "verbose_name_plural": "change requests of organisations' details",
                "ordering": ["-requested_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_krs",
            field=models.CharField(blank=True, max_length=10, verbose_name="holder's KRS number"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_legal_form",
            field=models.CharField(
                choices=[
                    ("social_cooperative", "Social cooperative"),
                    ("cis", "Social integration centre (CIS)"),
                    ("kis", "Social integration club (KIS)"),
                    ("zaz", "Vocational activity establishment (ZAZ)"),
                    ("wtz", "Occupational therapy workshop (WTZ)"),
                    ("disabled_cooperative", "Cooperative of disabled or blind people"),
                    ("nonprofit_company", "Non-profit company"),
                    ("foundation", "Foundation"),
                    ("association", "Association"),
                    ("other_ngo", "Other non-governmental organisation"),
                    ("church_entity", "Church legal person"),
                    ("other_cooperative", "Other cooperative (e.g. worker cooperative)"),
                ],
                default="",
                max_length=40,
                verbose_name="holder's legal form",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_name",
            field=models.CharField(default="", max_length=300, verbose_name="holder's full name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_nip",
            field=models.CharField(default="", max_length=10, verbose_name="holder's NIP"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_postal_code",
            field=models.CharField(default="", max_length=6, verbose_name="holder's postal code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_powiat",
            field=models.CharField(
                blank=True,
                choices=[
                    ("2401", "powiat będziński"),
                    ("2402", "powiat bielski"),
                    ("2403", "powiat cieszyński"),
                    ("2404", "powiat częstochowski"),
                    ("2405", "powiat gliwicki"),
                    ("2406", "powiat kłobucki"),
                    ("2407", "powiat lubliniecki"),
                    ("2408", "powiat mikołowski"),
                    ("2409", "powiat myszkowski"),
                    ("2410", "powiat pszczyński"),
                    ("2411", "powiat raciborski"),
                    ("2412", "powiat rybnicki"),
                    ("2413", "powiat tarnogórski"),
                    ("2414", "powiat bieruńsko-lędziński"),
                    ("2415", "powiat wodzisławski"),
                    ("2416", "powiat zawierciański"),
                    ("2417", "powiat żywiecki"),
                    ("2461", "Bielsko-Biała"),
                    ("2462", "Bytom"),
                    ("2463", "Chorzów"),
                    ("2464", "Częstochowa"),
                    ("2465", "Dąbrowa Górnicza"),
                    ("2466", "Gliwice"),
                    ("2467", "Jastrzębie-Zdrój"),
                    ("2468", "Jaworzno"),
                    ("2469", "Katowice"),
                    ("2470", "Mysłowice"),
                    ("2471", "Piekary Śląskie"),
                    ("2472", "Ruda Śląska"),
                    ("2473", "Rybnik"),
                    ("2474", "Siemianowice Śląskie"),
                    ("2475", "Sosnowiec"),
                    ("2476", "Świętochłowice"),
                    ("2477", "Tychy"),
                    ("2478", "Zabrze"),
                    ("2479", "Żory"),
                ],
                max_length=4,
                verbose_name="holder's powiat",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_regon",
            field=models.CharField(default="", max_length=14, verbose_name="holder's REGON"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_street",
            field=models.CharField(
                default="", max_length=200, verbose_name="holder's street and number"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_town",
            field=models.CharField(default="", max_length=100, verbose_name="holder's town"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_holders, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["holder_nip"], name="certificate_holder_nip_idx"),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("holder_name", ""), _negated=True),
                    models.Q(("holder_nip", ""), _negated=True),
                ),
                name="certificate_states_its_holder",
            ),
        ),
        migrations.AddField(
            model_name="organizationchangerequest",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="organizationchangerequest",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="change_requests",
                to="certification.organization",
            ),
        ),
        migrations.AddField(
            model_name="organizationchangerequest",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="organizationchangerequest",
            index=models.Index(fields=["status", "requested_at"], name="change_request_queue"),
        ),
        migrations.AddConstraint(
            model_name="organizationchangerequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("organization",),
                name="one_pending_change_request",
            ),
        ),
        migrations.AddConstraint(
            model_name="organizationchangerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "refused"), _negated=True),
                    models.Q(("refusal_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="refused_change_request_has_reason",
            ),
        ),
    ]
