"""Django admin: the administrator's configuration. Workflow state is changed only by the flow.

Every model here is either written with an audit event of its before and after values
(AuditedAdmin: configuration and people) or read-only (ReadOnlyAdmin: what has domain
functions, which keep search text, history and the audit log, or the flow).
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction

from .admin_audit import AuditedAdmin, ReadOnly, ReadOnlyAdmin, record_change, snapshot
from .domain import audit
from .models import (
    Application,
    AuditEvent,
    Certificate,
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
class ProjectUserAdmin(AuditedAdmin, UserAdmin):
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

    def user_change_password(self, request, id, form_url=""):
        # The admin's own password page saves outside the change form: record it here, in
        # the same transaction, when it succeeded (a redirect after a POST).
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                audit.record(
                    actor=request.user,
                    action="admin.password_changed",
                    message=str(user),
                    model=user._meta.label_lower,
                    object_id=str(user.pk),
                    usable=user.has_usable_password(),
                )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


# allauth registers its own; ours records every change and the "verified" bulk action.
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class AuditedEmailAddressAdmin(AuditedAdmin, EmailAddressAdmin):
    @admin.action(description=EmailAddressAdmin.make_verified.short_description)
    def make_verified(self, request, queryset):
        with transaction.atomic():
            before = {address.pk: snapshot(address) for address in queryset}
            super().make_verified(request, queryset)
            for address in EmailAddress.objects.filter(pk__in=before):
                record_change(request, address, before[address.pk])


@admin.register(SchemeRules)
class SchemeRulesAdmin(AuditedAdmin):
    def has_add_permission(self, request):
        return not SchemeRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = [
        "name_pl",
        "name_en",
        "code",
        "required",
        "per_item",
        "min_count",
        "issue_date_required",
        "max_age_months",
        "max_age_days",
        "position",
    ]


@admin.register(JuryMember)
class JuryMemberAdmin(AuditedAdmin):
    list_display = ["__str__", "is_chair", "term_start", "term_end", "active"]
    list_select_related = ["user"]


class MembershipInline(ReadOnly, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    """Members edit the profile on their own pages (certification.domain.organizations keeps
    the registry's search text and the audit log); an identity on a certificate changes only
    through a change request an officer approves. Members join by invitation."""

    list_display = ["name", "legal_form", "nip", "town"]
    search_fields = ["name", "nip"]
    inlines = [MembershipInline]


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


# Registered on import: the job queue's pages, the criteria and their versions, the texts of
# decision letters.
from . import admin_criteria, admin_jobs, admin_letters  # noqa: E402, F401
