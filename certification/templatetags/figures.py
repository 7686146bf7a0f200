"""Scores as people read them: two decimals rounded half up, in the language's number format,
and the exact figure beside them when the rounding would contradict the verdict.

    {% load figures %}{% figure r.mean r.mean_precise %}  →  8,67 (dokładnie 8,666…)
"""

from decimal import Decimal

from django import template
from django.utils.formats import get_format
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: Decimal, separator: str) -> str:
    return str(value).replace(".", separator)


def figure_text(
    value: Decimal | None, precise=None, *, unit: str = "", separator: str | None = None
) -> str:
    """`value` (already rounded by the summary); with `precise` (a jury_summary.Precise) when
    the rounded figure alone would seem to meet a limit it does not."""
    if value is None:
        return "—"
    separator = separator or get_format("DECIMAL_SEPARATOR")
    text = _number(value, separator) + unit
    if precise is None:
        return text
    more = _number(precise.value, separator) + ("" if precise.exact else "…") + unit
    return _("%(shown)s (exactly %(precise)s)") % {"shown": text, "precise": more}


@register.simple_tag
def figure(value, precise=None, unit="") -> str:
    return figure_text(value, precise, unit=unit)
