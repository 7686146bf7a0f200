# The registry's diacritics-insensitive search and sorting: folded search_text and sort_name
# columns, filled here for existing certificates, and on PostgreSQL a trigram index that makes
# `LIKE '%…%'` on search_text fast.

import unicodedata

from django.db import migrations, models

TRGM_INDEX = "certificate_search_trgm"

# A frozen copy of certification.domain.search.fold as it was when this migration was written:
# a migration must give the same result whatever the code becomes later.
_EXTRA = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})
_QUOTES = str.maketrans(dict.fromkeys("\"'„”“‟«»‚‘’‛`´", " "))


def _fold(text):
    text = (text or "").casefold().translate(_EXTRA).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def fill_search_text(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    batch = []
    queryset = Certificate.objects.select_related("organization").prefetch_related("items")
    for certificate in queryset.order_by("pk").iterator(chunk_size=1000):
        number = _fold(certificate.number)
        certificate.search_text = "\n".join(
            [
                number,
                number.replace("/", "-"),
                certificate.organization.nip,
                _fold(certificate.organization.name),
                *(_fold(item.name) for item in certificate.items.all()),
            ]
        )
        certificate.sort_name = _fold(certificate.organization.name)[:300]
        batch.append(certificate)
        if len(batch) == 1000:
            Certificate.objects.bulk_update(batch, ["search_text", "sort_name"])
            batch = []
    Certificate.objects.bulk_update(batch, ["search_text", "sort_name"])


def create_trigram_index(apps, schema_editor):
    # django.contrib.postgres's TrigramExtension and GinIndex would fail on SQLite, where a
    # plain scan of the column is what runs (and is fast enough for a regional registry).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON certification_certificate "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_certificate_lifecycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="certificate",
            name="sort_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=300),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                fields=["sort_name", "year", "sequence"], name="certificate_sort_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["issued_on"], name="certificate_issued_idx"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["valid_until"], name="certificate_valid_until_idx"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
