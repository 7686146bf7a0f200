"""What a browser would submit from an admin page's form: its fields with their current values."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # The change form or the changelist's, not the header's log-out form.
        if tag == "form" and (
            a.get("id", "").endswith("_form") or a.get("id") == "changelist-form"
        ):
            self._in_form = True
        if not self._in_form or "name" not in a and tag in ("input", "textarea", "select"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._add(a["name"], a.get("value", default))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += (
                data.lstrip("\n") if not self.fields[self._textarea][-1] else data
            )


def form_data(html: str, **changes) -> dict:
    """The form's fields as the page shows them, with `changes` applied (None removes one)."""
    parser = _FormFields()
    parser.feed(html)
    data = {
        name: values if len(values) > 1 else values[0] for name, values in parser.fields.items()
    }
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
