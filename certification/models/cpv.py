"""The Common Procurement Vocabulary (CPV 2008) and the codes of each product or service.

The vocabulary is loaded from the EU's official file by `manage.py import_cpv FILE`
(certification.domain.cpv_import). A code's hierarchy is read from its digits: 55521200 is
under 55520000 because it starts with 5552, the digits of 55520000 left of its trailing zeros.
So "a code and its descendants" is a range of the 8-digit code (55520000–55529999), which the
primary key's index answers; certification.domain.cpv builds those ranges.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .application import ApplicationItem


class CpvCode(models.Model):
    """One code of the CPV 2008 main vocabulary, with its Polish and English wording."""

    code = models.CharField(_("CPV code"), max_length=8, primary_key=True)
    # As the official file gives it: the check digit is part of the code, not computed here.
    check_digit = models.CharField(_("check digit"), max_length=1)
    label_pl = models.CharField(_("Polish wording"), max_length=400)
    label_en = models.CharField(_("English wording"), max_length=400)
    # Significant digits: 2 a division (55000000), 3 a group, 4 a class, 5 a category, 6–8 finer.
    level = models.PositiveSmallIntegerField(_("significant digits"))
    # Folded code and both wordings, one per line, which the suggestions search.
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self) -> str:
        return f"{self.full_code} {self.label}"

    @property
    def full_code(self) -> str:
        """As in a tender notice: 55520000-1."""
        return f"{self.code}-{self.check_digit}"

    @property
    def label(self) -> str:
        """The wording in the language of the request (Polish unless English was chosen)."""
        return self.label_en if (get_language() or "pl").startswith("en") else self.label_pl


class ItemCpvCode(models.Model):
    """A CPV code of a product or service: proposed by the applicant, confirmed by an officer.

    An officer who confirms or corrects an item's codes at formal review confirms all of them;
    an applicant who changes them in a draft leaves them unconfirmed.
    """

    item = models.ForeignKey(ApplicationItem, on_delete=models.CASCADE, related_name="cpv_links")
    # The 8-digit code itself is the stored value: the registry's range filter reads this
    # column alone (with the index below), never the vocabulary table.
    cpv = models.ForeignKey(
        CpvCode,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("CPV code"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["item", "cpv"]
        constraints = [
            models.UniqueConstraint(fields=["item", "cpv"], name="one_link_per_item_and_code")
        ]
        # "Items coded 5552…": a range scan of the code, giving the items without the table.
        indexes = [models.Index(fields=["cpv", "item"], name="item_cpv_code_idx")]
        verbose_name = _("CPV code of a product or service")
        verbose_name_plural = _("CPV codes of products and services")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.cpv_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
