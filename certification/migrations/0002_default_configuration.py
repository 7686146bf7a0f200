"""Seed the scheme's default configuration: document types, scoring criteria, rules row.

Administrators change these in the admin afterwards; this only gives a working start.
"""

from decimal import Decimal

from django.db import migrations

# Seeded in Polish, the scheme's language; administrators edit them in the admin.
DOCUMENT_TYPES = [
    # code, name, help, required, per_item, min_count
    ("krs_extract", "Odpis z KRS lub dokument założycielski",
     "Aktualny odpis z Krajowego Rejestru Sądowego, a dla podmiotów spoza KRS dokument, "
     "na podstawie którego działają.", True, False, 1),
    ("statute", "Statut", "Statut lub umowa obowiązujące obecnie.", True, False, 1),
    ("financial_statement", "Sprawozdanie finansowe za ostatni okres obrachunkowy",
     "Pokazuje udział przychodów własnych w przychodach ogółem.", True, False, 1),
    ("recommendation", "List polecający",
     "Listy od klientów lub partnerów potwierdzające jakość produktu lub usługi.",
     True, True, 2),
    ("photo", "Zdjęcia produktu lub usługi", "Nieobowiązkowe.", False, True, 0),
    ("other", "Inny dokument", "Wszystko, co dodatkowo wspiera wniosek.", False, False, 0),
]

CRITERIA = [
    ("Jakość produktu lub usługi", 10, "1.00", "4.00"),
    ("Wartość społeczna: zatrudnienie i reintegracja osób zagrożonych wykluczeniem", 10,
     "1.00", "4.00"),
    ("Renoma i rekomendacje", 5, "1.00", "2.00"),
    ("Stabilność ekonomiczna", 5, "1.00", "2.00"),
    ("Zakorzenienie lokalne i partnerstwa", 5, "1.00", "2.00"),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("certification", "DocumentType")
    Criterion = apps.get_model("certification", "Criterion")
    SchemeRules = apps.get_model("certification", "SchemeRules")
    for position, (code, name, help_text, required, per_item, min_count) in enumerate(
        DOCUMENT_TYPES
    ):
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "help_text": help_text,
                "required": required,
                "per_item": per_item,
                "min_count": min_count,
                "position": position,
            },
        )
    if not Criterion.objects.exists():
        for position, (name, max_points, weight, minimum) in enumerate(CRITERIA):
            Criterion.objects.create(
                name=name,
                min_points=0,
                max_points=max_points,
                weight=Decimal(weight),
                minimum_average=Decimal(minimum),
                position=position,
            )
    SchemeRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
