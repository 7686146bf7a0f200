"""Every write through the Django admin goes into the audit log with the values before and
after: configuration (criteria, thresholds, document types, the jury and its chair) and people
(users, groups, e-mail addresses).

A ModelAdmin mixin: the admin saves as it always does, and the event is written in the same
transaction. Secrets (password hashes) are shown only as a fingerprint that tells a change.
"""

import hashlib
import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from .domain import audit

SECRET_FIELDS = {"password"}


def _plain(value):
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj) -> dict:
    """The object's stored values, as the database holds them now (many-to-many by name)."""
    values = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if field.name in SECRET_FIELDS:
            digest = hashlib.sha256(str(value).encode()).hexdigest()[:12]
            value = f"(hidden; fingerprint {digest})" if value else ""
        values[field.name] = _plain(value)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(str(related) for related in getattr(obj, field.name).all())
    return values


def _stored(obj) -> dict:
    return snapshot(type(obj)._default_manager.get(pk=obj.pk))


def _changes(before: dict, after: dict) -> dict:
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def _record(request, action: str, obj, object_id, **details) -> None:
    audit.record(
        actor=request.user,
        action=action,
        message=str(obj),
        model=obj._meta.label_lower,
        object_id=str(object_id),
        **details,
    )


def record_change(request, obj, before: dict) -> None:
    """admin.changed for `obj` if its stored values differ from `before`."""
    changes = _changes(before, _stored(obj))
    if changes:
        _record(request, "admin.changed", obj, obj.pk, changes=changes)


class AuditedAdmin(admin.ModelAdmin):
    """Adds, changes (the change form and list_editable alike) and deletes, one by one or by the
    bulk action, each write an audit event: admin.added / admin.changed / admin.deleted."""

    def save_model(self, request, obj, form, change):
        # Read before saving: the form has already put the new values on `obj`.
        form._audit_before = _stored(obj) if change and obj.pk is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # many-to-many are saved here
        obj, before = form.instance, getattr(form, "_audit_before", None)
        if before is None:
            _record(request, "admin.added", obj, obj.pk, after=_stored(obj))
        else:
            record_change(request, obj, before)

    def save_formset(self, request, form, formset, change):
        # Inline rows (the criteria of a draft version) are written here, each one audited.
        before = {
            id(f.instance): (f.instance.pk, _stored(f.instance))
            for f in formset.initial_forms
            if f.instance.pk is not None
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _record(request, "admin.added", obj, obj.pk, after=_stored(obj))
        for obj, _fields in formset.changed_objects:
            record_change(request, obj, before[id(obj)][1])
        for obj in formset.deleted_objects:
            object_id, values = before[id(obj)]
            _record(request, "admin.deleted", obj, object_id, before=values)

    def delete_model(self, request, obj):
        before, object_id = _stored(obj), obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            _record(request, "admin.deleted", obj, object_id, before=before)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            gone = [(obj, obj.pk, snapshot(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for obj, object_id, before in gone:
                _record(request, "admin.deleted", obj, object_id, before=before)


class ReadOnly:
    """Shown, never written in the admin (before the ModelAdmin or inline among the bases)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """These records change only through domain functions (which keep search text and the
    audit log) or the flow."""
