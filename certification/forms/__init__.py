"""Forms: parse and shape user input; the rules themselves live in certification.domain."""

from django import forms
from django.core.exceptions import ValidationError

from ..domain.errors import DomainError


def add_domain_error(
    form: forms.Form,
    error: DomainError,
    *,
    default_field: str | None = None,
    field_map: dict[str, str] | None = None,
):
    """Show a domain error beside its field when the form has that field, else at the top.

    field_map: the form's name for a field the domain calls otherwise ("defects" → "defect_1").
    """
    field = (field_map or {}).get(error.field, error.field)
    if field not in form.fields:
        field = default_field
    form.add_error(field if field in form.fields else None, str(error))


def no_maxlength_attribute(form: forms.Form) -> None:
    """Drop the fields' maxlength attributes: the length is still checked on the server.

    A browser cuts a long paste silently at maxlength; a message after sending is clearer.
    """
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Put a model's ValidationError (from full_clean) on the form's matching fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
