"""Changing a product or service the applicant named: in a draft, or during corrections.

Removing an item is for drafts only (applications.remove_item); its name, kind, description and
CPV codes may also be corrected when the formal review asked for corrections. Each change is
audited with the values before and after.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..models import Application, ApplicationItem, CpvCode
from . import audit
from .errors import DomainError
from .item_codes import _check_count, _replace
from .membership import check_member

ITEM_EDITABLE = {ApplicationStatus.DRAFT, ApplicationStatus.CORRECTIONS}
ITEM_FIELDS = ("name", "kind", "description")


def item_editable(application: Application) -> bool:
    return application.status in ITEM_EDITABLE


@transaction.atomic
def update_item(
    *,
    item: ApplicationItem,
    user,
    name: str,
    kind: str,
    description: str,
    codes: list[CpvCode],
) -> ApplicationItem:
    """New name, kind, description and codes for an item; only what differs is written."""
    locked = Application.objects.select_for_update().get(pk=item.application_id)
    check_member(
        organization_id=locked.organization_id,
        user=user,
        message=_("Only a member of the organisation can edit its application."),
    )
    if not item_editable(locked):
        raise DomainError(
            _("Products and services can be changed only in a draft or during corrections.")
        )
    item = ApplicationItem.objects.select_for_update().get(pk=item.pk, application=locked)
    if not name.strip() or not description.strip():
        raise DomainError(_("Give the product or service a name and a description."))
    _check_count(codes)
    new = {"name": name.strip(), "kind": kind, "description": description.strip()}
    changed = [field for field in ITEM_FIELDS if getattr(item, field) != new[field]]
    before = {field: getattr(item, field) for field in changed}
    if changed:
        for field in changed:
            setattr(item, field, new[field])
        item.save(update_fields=changed)
        audit.record(
            actor=user,
            action="application.item_changed",
            application=locked,
            message=item.name,
            item=item.pk,
            before=before,
            after={field: new[field] for field in changed},
        )
    codes_before = sorted(link.cpv.full_code for link in item.cpv_links.select_related("cpv"))
    codes_after = sorted(code.full_code for code in codes)
    if codes_before != codes_after:
        # Unchanged codes keep an officer's confirmation; changed ones are to be confirmed again.
        _replace(item, codes)
        audit.record(
            actor=user,
            action="application.item_codes_set",
            application=locked,
            message=item.name,
            item=item.pk,
            before=codes_before,
            after=codes_after,
        )
    return item
