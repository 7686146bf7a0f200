"""The admin: every write of configuration and people is audited with its before and after
values; what has domain functions or belongs to the flow is read-only there."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from certification.admin_audit import AuditedAdmin
from certification.domain import criteria
from certification.models import AuditEvent, Criterion, DocumentType, JuryMember

from . import factories, stages
from .admin_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def save_change(client, obj, **changes):
    page = client.get(change_url(obj))
    assert page.status_code == 200
    response = client.post(change_url(obj), form_data(page.content.decode(), **changes))
    errors = re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    assert response.status_code == 302, errors
    return response


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def draft_criterion() -> Criterion:
    """A criterion of a draft version: the only kind the admin lets anyone change."""
    return criteria.new_version(user=None).criteria.order_by("pk").first()


def test_changing_a_criterion_records_before_and_after(admin_client, admin_user):
    criterion = draft_criterion()
    old_max = criterion.max_points

    save_change(admin_client, criterion, max_points=str(old_max + 5), weight="2.50")

    event = last_event("admin.changed")
    assert event.actor == admin_user
    assert event.details["model"] == "certification.criterion"
    assert event.details["object_id"] == str(criterion.pk)
    assert event.details["changes"] == {
        "max_points": {"before": old_max, "after": old_max + 5},
        "weight": {"before": str(criterion.weight), "after": "2.50"},
    }


def test_inline_change_is_recorded(admin_client):
    criterion = draft_criterion()
    url = change_url(criterion.version)
    page = admin_client.get(url).content.decode()
    data = form_data(page, _save="Save")
    # Untick "in use" of this criterion's row only.
    row = next(
        k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(criterion.pk)
    )
    data.pop(f"criteria-{row}-active", None)

    assert admin_client.post(url, data).status_code == 302

    event = last_event("admin.changed")
    assert event.details["object_id"] == str(criterion.pk)
    assert event.details["changes"] == {"active": {"before": True, "after": False}}


def test_inline_add_and_delete_are_recorded(admin_client):
    criterion = draft_criterion()
    url = change_url(criterion.version)
    data = form_data(admin_client.get(url).content.decode(), _save="Save")
    row = next(
        k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == str(criterion.pk)
    )
    new = int(data["criteria-TOTAL_FORMS"])
    data.update(
        {
            f"criteria-{row}-DELETE": "on",
            "criteria-TOTAL_FORMS": str(new + 1),
            f"criteria-{new}-name_pl": "Innowacyjność",
            f"criteria-{new}-scope": "item",
            f"criteria-{new}-min_points": "0",
            f"criteria-{new}-max_points": "5",
            f"criteria-{new}-weight": "1",
            f"criteria-{new}-minimum_average": "0",
            f"criteria-{new}-position": "9",
            f"criteria-{new}-active": "on",
            f"criteria-{new}-version": str(criterion.version_id),
        }
    )

    assert admin_client.post(url, data).status_code == 302

    added = Criterion.objects.get(version=criterion.version, name_pl="Innowacyjność")
    assert last_event("admin.added").details["object_id"] == str(added.pk)
    deleted = last_event("admin.deleted")
    assert deleted.details["object_id"] == str(criterion.pk)
    assert deleted.details["before"]["name_pl"] == criterion.name_pl
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_adding_and_deleting_a_document_type_are_recorded(admin_client):
    add_url = reverse("admin:certification_documenttype_add")
    page = admin_client.get(add_url).content.decode()
    admin_client.post(
        add_url, form_data(page, code="logo", name_pl="Logo", min_count="1", position="9")
    )
    added = DocumentType.objects.get(code="logo")
    assert last_event("admin.added").details["after"]["name_pl"] == "Logo"

    delete_url = reverse("admin:certification_documenttype_delete", args=[added.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    event = last_event("admin.deleted")
    assert event.details["object_id"] == str(added.pk)
    assert event.details["before"]["code"] == "logo"


def test_bulk_delete_records_each_object(admin_client):
    one = DocumentType.objects.create(code="a1", name_pl="A1")
    two = DocumentType.objects.create(code="a2", name_pl="A2")
    url = reverse("admin:certification_documenttype_changelist")

    admin_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
    )

    deleted = AuditEvent.objects.filter(action="admin.deleted")
    assert sorted(e.details["before"]["code"] for e in deleted) == ["a1", "a2"]
    assert not DocumentType.objects.filter(pk__in=[one.pk, two.pk]).exists()


def test_making_a_juror_the_chair_is_recorded(admin_client):
    member = JuryMember.objects.get(user=factories.juror())

    save_change(admin_client, member, is_chair="on")

    assert last_event("admin.changed").details["changes"] == {
        "is_chair": {"before": False, "after": True}
    }


def test_group_permissions_change_is_recorded_by_name(admin_client):
    group = Group.objects.create(name="Urzędnicy")
    permission = Permission.objects.get(codename="view_application")

    save_change(admin_client, group, permissions=[str(permission.pk)])

    changes = last_event("admin.changed").details["changes"]
    assert changes == {"permissions": {"before": [], "after": [str(permission)]}}


def test_user_change_and_password_change_are_recorded_without_the_password(admin_client):
    user = factories.officer()

    save_change(admin_client, user, is_staff="on", first_name="Ula")
    changes = last_event("admin.changed").details["changes"]
    assert changes["is_staff"] == {"before": False, "after": True}
    assert changes["first_name"]["after"] == "Ula"

    url = reverse("admin:auth_user_password_change", args=[user.pk])
    admin_client.post(url, {"password1": "Nowe-Haslo-2025!", "password2": "Nowe-Haslo-2025!"})
    event = last_event("admin.password_changed")
    assert event.details["object_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password not in str(event.details)


# --- read-only where the domain or the flow owns the writes -------------------------------------


def test_every_admin_model_is_audited_or_read_only(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    unguarded = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin)
        and (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
    ]
    assert unguarded == []


def test_workflow_processes_and_tasks_cannot_be_deleted_or_changed(admin_client):
    c = stages.cast()
    application = stages.submitted(c)
    task = stages.open_task(application, stages.flow.formal_review)
    process = task.process

    for obj in (process, task):
        name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}"
        assert admin_client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200
        assert (
            admin_client.post(reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code
            == 403
        )
        changelist = admin_client.get(reverse(f"{name}_changelist")).content.decode()
        assert "delete_selected" not in changelist
        bulk = admin_client.post(
            reverse(f"{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert bulk.status_code in (200, 302)
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_organization_is_read_only_in_the_admin(admin_client):
    organization = factories.OrganizationFactory(name="Spółdzielnia Socjalna Przystań")
    url = change_url(organization)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # shown, not offered for editing

    response = admin_client.post(url, {"name": "Inna Firma", "nip": "5260250274"})

    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name == "Spółdzielnia Socjalna Przystań"
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()
