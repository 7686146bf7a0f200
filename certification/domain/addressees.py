"""Who an organisation's e-mails go to, and in which language (read by notifications, renewal
reminders and the account e-mails)."""

from django.conf import settings

from ..models import Organization, User


def address_key(address: str | None) -> str:
    return (address or "").strip().lower()


def addressees(organization: Organization) -> list[tuple[str, str]]:
    """(address, language) pairs: the contact e-mail first, then the active members' addresses;
    each address once. An address shared with a member is read in that member's language."""
    members = list(
        organization.members.filter(is_active=True).order_by("pk").values_list("email", "language")
    )
    language_of: dict[str, str] = {}
    for address, language in members:
        language_of.setdefault(address_key(address), language)
    seen, result = set(), []
    for address in [organization.email] + [address for address, _language in members]:
        key = address_key(address)
        if key and key not in seen:
            seen.add(key)
            result.append((address.strip(), language_of.get(key, settings.LANGUAGE_CODE)))
    return result


def recipients(organization: Organization) -> list[str]:
    """The contact e-mail first, then the active members' addresses; each address once."""
    return [address for address, _language in addressees(organization)]


def language_of_address(email: str) -> str | None:
    """The language the (oldest active) account with this address chose, if there is one."""
    return (
        User.objects.filter(email__iexact=email, is_active=True)
        .order_by("pk")
        .values_list("language", flat=True)
        .first()
    )
