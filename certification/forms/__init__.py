"""Forms: parse and shape user input; the rules themselves live in certification.domain."""

from django import forms
from django.core.exceptions import ValidationError

from ..domain.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError, *, default_field: str | None = None):
    """Show a domain error beside its field when the form has that field, else at the top."""
    field = error.field if error.field in form.fields else default_field
    form.add_error(field if field in form.fields else None, str(error))


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Put a model's ValidationError (from full_clean) on the form's matching fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
