"""CPV codes as people type and paste them, the vocabulary's hierarchy as ranges, suggestions.

A tender notice lists its codes as "55520000-1 Usługi dorywczego gastronomii, 55521200-0 …":
`read_codes` takes such a paste (commas, semicolons, spaces or new lines between codes; the
wording beside them is skipped), looks the codes up in one query and says which are not codes,
which are not in the vocabulary and which have a wrong check digit.

The hierarchy is in the digits: a code's descendants are the codes that start with its digits
left of the trailing zeros (at least the two of its division). So "55520000-1 and below" is
the range 55520000–55529999 of the 8-digit code, which an index answers at any registry size
(`within`).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import CpvCode
from .errors import DomainError
from .search import fold

# A paste longer than this is not a tender notice's list; each code costs a range in the query.
MAX_CODES = 50
MAX_TEXT_LENGTH = 2000
SUGGESTIONS = 10
# 8 digits, then the check digit after a dash (the dash may be missing, as in some exports).
_CODE = re.compile(r"^(\d{8})-?(\d)?$")
_SEPARATORS = re.compile(r"[\s,;]+")
# Brackets and full stops around a code in running text: "(55520000-1)." is 55520000-1.
_AROUND = "()[]{}.:\"'„”“"


def significant(code: str) -> str:
    """The digits that place a code in the tree: 55520000 → 5552; a division keeps two."""
    digits = code.rstrip("0")
    return digits if len(digits) >= 2 else code[:2]


def level_of(code: str) -> int:
    return len(significant(code))


def descendant_range(code: str) -> tuple[str, str]:
    """The 8-digit codes of `code` and everything below it: 55520000 → (55520000, 55529999)."""
    prefix = significant(code)
    return prefix.ljust(8, "0"), prefix.ljust(8, "9")


def within(codes: list[str], *, field: str) -> Q:
    """`field` (an 8-digit code column) is one of `codes` or below one of them.

    A code below another one asked for adds nothing: its range lies inside the other's.
    """
    prefixes = sorted({significant(code) for code in codes})
    kept = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    condition = Q()
    for prefix in kept:
        low, high = prefix.ljust(8, "0"), prefix.ljust(8, "9")
        # gte and lte, not range: a foreign key to the code (ItemCpvCode.cpv) takes only these.
        condition |= (
            Q(**{field: low}) if low == high else Q(**{f"{field}__gte": low, f"{field}__lte": high})
        )
    return condition


@dataclass
class ReadCodes:
    """What a typed or pasted list of codes turned out to be."""

    found: list[CpvCode] = field(default_factory=list)  # in the order given, each once
    malformed: list[str] = field(default_factory=list)  # not a code at all
    unknown: list[str] = field(default_factory=list)  # 8 digits the vocabulary does not have
    wrong_check: list[str] = field(default_factory=list)  # known code, other check digit

    @property
    def problems(self) -> list[str]:
        """One sentence per kind of wrong code, naming them as typed."""
        messages = []
        if self.malformed:
            messages.append(
                _(
                    "Not CPV codes: %(codes)s. A CPV code has 8 digits, a dash and a check "
                    "digit, for example 55520000-1."
                )
                % {"codes": ", ".join(self.malformed)}
            )
        if self.unknown:
            messages.append(
                _("Not in the CPV 2008 vocabulary: %(codes)s.") % {"codes": ", ".join(self.unknown)}
            )
        if self.wrong_check:
            messages.append(
                _("Wrong check digit (the digit after the dash): %(codes)s.")
                % {"codes": ", ".join(self.wrong_check)}
            )
        return messages

    @property
    def codes(self) -> list[str]:
        return [code.code for code in self.found]


def split_codes(text: str, *, strict: bool = False) -> list[str]:
    """The code-like words of a paste: words with a digit in them, as typed.

    Words without a digit are the codes' wording ("Usługi", "catering") and are skipped,
    unless `strict` (a field for codes alone): then every word must be a code.
    """
    words = (w.strip(_AROUND) for w in _SEPARATORS.split(text or ""))
    return list(dict.fromkeys(w for w in words if w and (strict or any(c.isdigit() for c in w))))


def read_codes(text: str, *, strict: bool = False) -> ReadCodes:
    """Look up every code in `text` (one query). Raises DomainError for a paste too long to be
    a tender notice's list; wrong codes are reported in the answer, not raised. `strict`: see
    `split_codes`."""
    if len(text or "") > MAX_TEXT_LENGTH:
        raise DomainError(
            _("Paste at most %(max)d characters of codes.") % {"max": MAX_TEXT_LENGTH},
            field="cpv",
        )
    words = split_codes(text, strict=strict)
    if len(words) > MAX_CODES:
        raise DomainError(
            _("Give at most %(max)d CPV codes at a time.") % {"max": MAX_CODES}, field="cpv"
        )
    result = ReadCodes()
    wanted: list[tuple[str, str, str | None]] = []  # (as typed, code, check digit)
    for word in words:
        match = _CODE.match(word)
        if match is None:
            result.malformed.append(word)
        else:
            wanted.append((word, match.group(1), match.group(2)))
    known = CpvCode.objects.in_bulk([code for _, code, _ in wanted]) if wanted else {}
    seen = set()
    for word, code, check in wanted:
        found = known.get(code)
        if found is None:
            result.unknown.append(word)
        elif check is not None and check != found.check_digit:
            result.wrong_check.append(word)
        elif code not in seen:
            seen.add(code)
            result.found.append(found)
    return result


def codes_or_error(text: str, *, field_name: str = "cpv") -> list[CpvCode]:
    """Every code of `text`, or a DomainError naming the wrong ones (nothing is half-taken)."""
    read = read_codes(text)
    if read.problems:
        raise DomainError(" ".join(read.problems), field=field_name)
    return read.found


def suggestions(text: str, *, limit: int = SUGGESTIONS) -> list[CpvCode]:
    """Codes for an autocomplete: by the start of the code if digits are typed, else codes
    whose Polish or English wording has every word typed (case and accents ignored)."""
    text = (text or "").strip()[:100]
    digits = text.replace("-", "").replace(" ", "")
    if digits.isdigit():
        return list(CpvCode.objects.filter(code__startswith=digits[:8])[:limit])
    words = [_stem(word) for word in fold(text).split()[:5]]
    if not words or all(len(w) < 2 for w in words):
        return []
    queryset = CpvCode.objects.all()
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    # Broader codes first: "catering" should offer 55520000 before its descendants.
    return list(queryset.order_by("level", "code")[:limit])


def _stem(word: str) -> str:
    """A long word without its last two letters: Polish endings vary ("sprzątanie" should find
    "sprzątania", "meble" "mebli"), and the start of a word still finds it in English."""
    return word[:-2] if len(word) >= 6 else word


def search_text_for(code: str, label_pl: str, label_en: str) -> str:
    return "\n".join([code, fold(label_pl), fold(label_en)])
