"""The juror's scorecard: the organisation's criteria once, then each item's criteria."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.choices import CriterionScope
from certification.models import ApplicationItem, Criterion


@dataclass
class Row:
    criterion: Criterion
    points: forms.BoundField
    justification: forms.BoundField


@dataclass
class Answer:
    """One score as the juror gave it, for the *Check your answers* page."""

    criterion: Criterion
    item: ApplicationItem | None
    points: int
    justification: str
    field_id: str


@dataclass
class ItemSection:
    item: ApplicationItem
    documents: list
    rows: list[Row]


def _suffix(criterion: Criterion, item: ApplicationItem | None) -> str:
    return f"{criterion.pk}" if item is None else f"{criterion.pk}_{item.pk}"


class ScorecardForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        items: list[ApplicationItem],
        documents: list | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.items = items
        self.documents = documents or []
        comment = self.fields.pop("comment")
        for criterion, item in self.keys():
            self._add_fields(criterion, item)
        self.fields["comment"] = comment

    def keys(self) -> list[tuple[Criterion, ApplicationItem | None]]:
        keys = [(c, None) for c in self.criteria if c.scope != CriterionScope.ITEM]
        for item in self.items:
            keys.extend((c, item) for c in self.criteria if c.scope == CriterionScope.ITEM)
        return keys

    def _add_fields(self, c: Criterion, item: ApplicationItem | None) -> None:
        suffix = _suffix(c, item)
        # The error summary names the criterion (and item): "Points" alone says nothing there.
        context = c.name if item is None else f"{c.name} ({item.name})"
        points = forms.IntegerField(
            label=gettext("Points"),
            min_value=c.min_points,
            max_value=c.max_points,
            help_text=gettext("From %(lo)d to %(hi)d points.")
            % {"lo": c.min_points, "hi": c.max_points},
        )
        points.summary_label = gettext("Points for “%(c)s”") % {"c": context}
        justification = forms.CharField(
            label=gettext("Justification"), widget=forms.Textarea(attrs={"rows": 3})
        )
        justification.summary_label = gettext("Justification for “%(c)s”") % {"c": context}
        self.fields[f"points_{suffix}"] = points
        self.fields[f"justification_{suffix}"] = justification

    def _row(self, c: Criterion, item: ApplicationItem | None) -> Row:
        suffix = _suffix(c, item)
        return Row(c, self[f"points_{suffix}"], self[f"justification_{suffix}"])

    def organization_rows(self) -> list[Row]:
        return [self._row(c, None) for c in self.criteria if c.scope != CriterionScope.ITEM]

    def item_sections(self) -> list[ItemSection]:
        item_criteria = [c for c in self.criteria if c.scope == CriterionScope.ITEM]
        if not item_criteria:
            return []
        return [
            ItemSection(
                item=item,
                documents=[d for d in self.documents if d.item_id == item.pk],
                rows=[self._row(c, item) for c in item_criteria],
            )
            for item in self.items
        ]

    def scores(self) -> dict[tuple[int, int | None], tuple[int, str]]:
        data = self.cleaned_data
        return {
            (c.pk, item.pk if item else None): (
                data[f"points_{_suffix(c, item)}"],
                data[f"justification_{_suffix(c, item)}"],
            )
            for c, item in self.keys()
        }

    def answers(self) -> list[Answer]:
        """The valid form's scores, in the order of the scorecard (call after is_valid)."""
        data = self.cleaned_data
        return [
            Answer(
                criterion=c,
                item=item,
                points=data[f"points_{_suffix(c, item)}"],
                justification=data[f"justification_{_suffix(c, item)}"],
                field_id=self[f"points_{_suffix(c, item)}"].id_for_label,
            )
            for c, item in self.keys()
        ]

    def draft_data(self) -> dict[str, str]:
        """What the juror typed in this form's fields, valid or not: a draft to come back to."""
        return {
            name: self.data.get(name, "")
            for name in self.fields
            if str(self.data.get(name, "")).strip()
        }
