"""Document types and scoring criteria in both languages (issue 11: English pages showed Polish).

The existing texts become the Polish ones (a column rename keeps them); the English columns
are new. English is filled in for the defaults the scheme was seeded with (migrations 0002,
0011, 0013) where the Polish text is still the seeded one; anything an administrator wrote
keeps an empty English field, and the English pages show its Polish text until someone
translates it. Translating a criterion of a version already in force is allowed: the wording
in another language does not change what is scored.
"""

import importlib

from django.db import migrations, models

# The defaults as migration 0002 seeded them, in Polish: code -> (name, explanation).
SEEDED_PL = {
    code: (name, help_text)
    for code, name, help_text, *_rest in importlib.import_module(
        "certification.migrations.0002_default_configuration"
    ).DOCUMENT_TYPES
}
# Code -> (English name, English explanation).
DOCUMENT_TYPES = {
    "krs_extract": (
        "KRS extract or founding document",
        "A current extract from the National Court Register (KRS) or, for an organisation "
        "outside the KRS, the document under which it operates.",
    ),
    "statute": ("Statute", "The statute or articles of association currently in force."),
    "financial_statement": (
        "Financial statement for the last accounting period",
        "It shows the share of own revenue in total revenue.",
    ),
    "recommendation": (
        "Recommendation letter",
        "Letters from customers or partners confirming the quality of the product or service.",
    ),
    "photo": ("Photos of the product or service", "Optional."),
    "other": ("Other document", "Anything else that supports the application."),
}
# The seeded Polish name of a criterion -> its English name.
CRITERIA = {
    "Jakość produktu lub usługi": "Quality of the product or service",
    "Wartość społeczna: zatrudnienie i reintegracja osób zagrożonych wykluczeniem": (
        "Social value: employment and reintegration of people at risk of exclusion"
    ),
    "Renoma i rekomendacje": "Reputation and recommendations",
    "Stabilność ekonomiczna": "Economic stability",
    "Zakorzenienie lokalne i partnerstwa": "Local roots and partnerships",
}


def fill_english(apps, schema_editor):
    """English for the seeded defaults left as seeded; never overwrites an English text."""
    DocumentType = apps.get_model("certification", "DocumentType")
    Criterion = apps.get_model("certification", "Criterion")
    for doc_type in DocumentType.objects.filter(code__in=DOCUMENT_TYPES):
        name_pl, help_pl = SEEDED_PL[doc_type.code]
        name_en, help_en = DOCUMENT_TYPES[doc_type.code]
        changed = []
        if not doc_type.name_en and doc_type.name_pl == name_pl:
            doc_type.name_en = name_en
            changed.append("name_en")
        if not doc_type.help_text_en and doc_type.help_text_pl == help_pl:
            doc_type.help_text_en = help_en
            changed.append("help_text_en")
        if changed:
            doc_type.save(update_fields=changed)
    for name_pl, name_en in CRITERIA.items():
        Criterion.objects.filter(name_pl=name_pl, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("certification", "0022_versions_certificate_versions")]

    operations = [
        migrations.RenameField("documenttype", "name", "name_pl"),
        migrations.RenameField("documenttype", "help_text", "help_text_pl"),
        migrations.RenameField("criterion", "name", "name_pl"),
        migrations.RenameField("criterion", "description", "description_pl"),
        migrations.AlterField(
            model_name="documenttype",
            name="name_pl",
            field=models.CharField(max_length=200, verbose_name="name (Polish)"),
        ),
        migrations.AlterField(
            model_name="documenttype",
            name="help_text_pl",
            field=models.TextField(
                blank=True, verbose_name="explanation for the applicant (Polish)"
            ),
        ),
        migrations.AddField(
            model_name="documenttype",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Shown on the English pages; when empty, they show the Polish name.",
                max_length=200,
                verbose_name="name (English)",
            ),
        ),
        migrations.AddField(
            model_name="documenttype",
            name="help_text_en",
            field=models.TextField(
                blank=True,
                help_text="When empty, the English pages show the Polish explanation.",
                verbose_name="explanation for the applicant (English)",
            ),
        ),
        migrations.AlterField(
            model_name="criterion",
            name="name_pl",
            field=models.CharField(max_length=200, verbose_name="name (Polish)"),
        ),
        migrations.AlterField(
            model_name="criterion",
            name="description_pl",
            field=models.TextField(blank=True, verbose_name="what the juror looks at (Polish)"),
        ),
        migrations.AddField(
            model_name="criterion",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Shown on the English pages; when empty, they show the Polish name.",
                max_length=200,
                verbose_name="name (English)",
            ),
        ),
        migrations.AddField(
            model_name="criterion",
            name="description_en",
            field=models.TextField(
                blank=True,
                help_text="When empty, the English pages show the Polish text.",
                verbose_name="what the juror looks at (English)",
            ),
        ),
        migrations.RunPython(fill_english, migrations.RunPython.noop),
    ]
