"""Widgets of the public forms."""

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe


class OneLoopSelect(forms.Select):
    """A select whose options are written in one Python loop, not one template include each.

    The registry's filters have about 140 options; rendered Django's way (an option dictionary
    and an included template per option) they took about half of the registry page's time,
    and a template loop over them still a third. No option groups and no attributes per
    option: the filters need neither.
    """

    template_name = "certification/widgets/select.html"

    def get_context(self, name, value, attrs):
        # forms.Widget's context, not ChoiceWidget's: that one builds the option dictionaries.
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = context["widget"]["value"]  # format_value: a list of strings
        selected = chosen[0] if chosen else None
        context["widget"]["options"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) == selected else "", label)
                for option, label in self.choices
            ),
        )
        return context
