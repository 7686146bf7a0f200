"""Texts an administrator writes in both languages: a Polish and an English field side by side.

Document types and scoring criteria are configured in the database, so gettext cannot translate
them. Each such text is a pair of fields, `<name>_pl` and `<name>_en`, and a read-only property
`<name>` gives the one for the language of the request: English when English was chosen and an
English wording exists, otherwise Polish (the scheme's language, always filled in). Code that
writes names the language (`name_pl=...`); code that shows reads `name` as before.

A pair of plain fields rather than django-modeltranslation: no dependency, the admin edits both
fields on one form without JavaScript, and the CPV vocabulary already works this way
(CpvCode.label_pl / label_en).
"""

from django.utils.translation import get_language


def english_requested() -> bool:
    return (get_language() or "pl").startswith("en")


def translated(field: str, doc: str = "") -> property:
    """A property reading `<field>_en` in English when it is not blank, else `<field>_pl`."""

    def read(instance) -> str:
        if english_requested():
            english = getattr(instance, f"{field}_en")
            if english and english.strip():
                return english
        return getattr(instance, f"{field}_pl")

    return property(read, doc=doc or f"The {field} in the language of the request.")
