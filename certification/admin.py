"""Django admin: the administrator's configuration. Workflow state is changed only by the flow."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm

from .models import (
    Application,
    AuditEvent,
    Certificate,
    Criterion,
    DocumentType,
    Invitation,
    JuryMember,
    Membership,
    Organization,
    SchemeRules,
    User,
)


class UserCreationWithEmailForm(AdminUserCreationForm):
    """Every person needs an e-mail address: confirming it is how they first log in."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    add_form = UserCreationWithEmailForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(SchemeRules)
class SchemeRulesAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SchemeRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "min_points", "max_points", "weight", "minimum_average", "active"]
    list_editable = ["active"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "required", "per_item", "min_count", "position"]


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_chair", "term_start", "term_end", "active"]
    list_select_related = ["user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "nip", "town"]
    search_fields = ["name", "nip"]
    inlines = [MembershipInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Workflow records are shown, never edited here: changes go through domain functions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["organization"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "organization", "issued_on", "valid_until", "status"]
    list_select_related = ["organization"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "actor", "action", "application", "from_state", "to_state"]
    list_filter = ["action"]
    list_select_related = ["actor", "application"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Members invite and cancel on their organisation's page; the token's hash stays hidden."""

    list_display = ["email", "organization", "invited_by", "created", "expires_at"]
    list_filter = ["accepted_at", "cancelled_at"]
    list_select_related = ["organization", "invited_by"]
    search_fields = ["email", "organization__name"]
    exclude = ["token_hash"]
