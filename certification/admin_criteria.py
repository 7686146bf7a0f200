"""The scoring criteria in the admin, by version.

A version in force, or used by any application, is shown read-only: changing it would change
the basis of rounds already scored. The administrator makes a new version from one (a draft
copying its criteria), edits the draft with its criteria inline, and puts it in force. Each
write is audited: the admin's changes by AuditedAdmin, the two actions by the domain.

One exception: the English wording of a criterion (name_en, description_en) stays editable on
a criterion's own page even when its version is in force or used. A translation does not
change what is scored, and the administrator can then translate the criteria in force without
making a new version; the Polish wording, the points and the weights stay read-only.
"""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_audit import AuditedAdmin
from .domain import criteria
from .domain.errors import DomainError
from .models import Application, CriteriaVersion, Criterion

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def _editable(version) -> bool:
    return criteria.is_editable(version)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = [
        "position",
        "name_pl",
        "name_en",
        "scope",
        "min_points",
        "max_points",
        "weight",
        "minimum_average",
        "active",
        "description_pl",
        "description_en",
    ]

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaVersion)
class CriteriaVersionAdmin(AuditedAdmin):
    list_display = ["__str__", "state", "in_force_from", "note"]
    fields = ["number", "state", "in_force_from", "note"]
    readonly_fields = ["number", "state", "in_force_from"]
    inlines = [CriterionInline]
    actions = ["make_new_version", "put_in_force"]

    @admin.display(description=gettext_lazy("state"))
    def state(self, version: CriteriaVersion) -> str:
        current = criteria.current_version()
        if version.in_force_from is None:
            return _("draft (editable)")
        if current is not None and current.pk == version.pk:
            return _("in force")
        return _("replaced by a newer version")

    def has_add_permission(self, request):
        return False  # a version is made from another one: the action below

    def has_change_permission(self, request, obj=None):
        if obj is not None and not _editable(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not _editable(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # No bulk delete: it would not ask each version whether it may go. A draft is deleted
        # from its own page.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def _one(self, request, queryset) -> CriteriaVersion | None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return None
        return queryset.get()

    # On the list and on each version's own page, read-only or not.
    @admin.action(
        description=gettext_lazy("Make a new version from this one"),
        permissions=["change"],
        location=BOTH,
    )
    def make_new_version(self, request, queryset):
        source = self._one(request, queryset)
        if source is None:
            return None
        try:
            draft = criteria.new_version(
                user=request.user,
                note=_("Made from version %(n)d.") % {"n": source.number},
                source=source,
            )
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(
            request,
            _("%(version)s is a draft: edit its criteria, then put it in force.")
            % {"version": draft},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:certification_criteriaversion_change", args=[draft.pk])
        )

    @admin.action(description=gettext_lazy("Put in force"), permissions=["change"], location=BOTH)
    def put_in_force(self, request, queryset):
        version = self._one(request, queryset)
        if version is None:
            return
        try:
            criteria.put_in_force(version=version, user=request.user)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            _("%(version)s is in force: new scoring rounds use it.") % {"version": version},
            messages.SUCCESS,
        )


TRANSLATION_FIELDS = ["name_en", "description_en"]


@admin.register(Criterion)
class CriterionAdmin(AuditedAdmin):
    """One criterion at a time; only a draft version's criteria can be changed, except their
    English wording (see the module's docstring)."""

    list_display = [
        "name_pl",
        "name_en",
        "version",
        "scope",
        "min_points",
        "max_points",
        "weight",
        "active",
    ]
    list_filter = ["version", "scope"]
    list_select_related = ["version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CriteriaVersion.objects.filter(in_force_from__isnull=True).exclude(
                pk__in=_used_version_pks()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not _editable(obj.version):
            return [
                f.name
                for f in Criterion._meta.fields
                if f.editable and not f.primary_key and f.name not in TRANSLATION_FIELDS
            ]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not _editable(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # see CriteriaVersionAdmin.get_actions
        return actions


def _used_version_pks():
    return Application.objects.exclude(criteria_version=None).values("criteria_version")
