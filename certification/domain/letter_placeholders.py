"""The administrator's letter texts: a few named placeholders in braces, nothing else.

Not the Django template language on purpose: what an administrator types can neither reach
objects nor run code. `{organization}` is replaced by a plain string, which the PDF template
escapes like any other text.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import LetterKind

# name → what it stands for (shown to the administrator beside the text).
PLACEHOLDERS = {
    "organization": gettext_lazy("the applicant organisation's name"),
    "application_number": gettext_lazy("the application's number"),
    "decision_date": gettext_lazy("the date of the decision"),
    "resolution_number": gettext_lazy("the number of the jury's resolution"),
    "deadline": gettext_lazy("the last day to request reconsideration"),
    "reconsideration_days": gettext_lazy("the number of days to request reconsideration"),
    "issuer": gettext_lazy("the name of the issuing body (ROPS)"),
}

# What has no value in some letters: a formal rejection has no resolution; a grant or a final
# decision cannot be reconsidered.
_NO_RESOLUTION = {"resolution_number"}
_NO_RECONSIDERATION = {"deadline", "reconsideration_days"}

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z_]+")


def available(*, kind: str, final: bool) -> list[str]:
    """The placeholders that have a value in this kind of letter, in PLACEHOLDERS' order."""
    missing = set()
    if kind == LetterKind.FORMAL_REJECTION:
        missing |= _NO_RESOLUTION
    if final or kind == LetterKind.GRANT:
        missing |= _NO_RECONSIDERATION
    return [name for name in PLACEHOLDERS if name not in missing]


def problems(text: str, *, kind: str, final: bool) -> list[str]:
    """What is wrong with the placeholders of `text`, each in a sentence; empty if nothing."""
    usable = available(kind=kind, final=final)
    listed = ", ".join(f"{{{name}}}" for name in usable)
    found = []
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name in usable:
            continue
        if name in PLACEHOLDERS:
            message = _(
                "“%(placeholder)s” has no value in this kind of letter. You can use: %(known)s."
            )
        else:
            message = _(
                "“%(placeholder)s” is not a placeholder the letter knows. You can use: %(known)s."
            )
        found.append(message % {"placeholder": match.group(0), "known": listed})
    if "{" in _PLACEHOLDER.sub("", text) or "}" in _PLACEHOLDER.sub("", text):
        found.append(
            _(
                "A brace without its pair. Braces mark placeholders only, one on each side: "
                "{organization}."
            )
        )
    return list(dict.fromkeys(found))  # each problem once, in the order found


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known placeholder replaced; anything else is left as written."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if _NAME.fullmatch(name) and name in values:
            return values[name]
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text)
