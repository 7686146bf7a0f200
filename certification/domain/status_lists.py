"""Each certificate's place in the credential status lists, and the lists' versions.

A certificate's verifiable credential names a bit in the registry's revocation list and the
same bit in its suspension list (certification.credentials.status_lists publishes both). The
bits are read from the certificates' statuses when a list is published; what this module keeps
is where each certificate sits, and a version per list that every status change raises in its
own transaction, so that a published list is never answered from a cache after a change.
"""

import datetime

from django.db.models import F, Max

from ..models import STATUS_LIST_SIZE, Certificate, StatusList


def list_number(index: int) -> int:
    return index // STATUS_LIST_SIZE


def next_index() -> int:
    """The first index no certificate has. Callers hold the numbering lock (the scheme-rules
    row, as issue_certificate does), so two certificates never get the same one."""
    last = Certificate.objects.aggregate(m=Max("status_list_index"))["m"]
    return 0 if last is None else last + 1


def ensure_list(*, index: int, when: datetime.datetime) -> None:
    """The version row of the list holding `index` exists (a new list starts at version 0)."""
    StatusList.objects.get_or_create(number=list_number(index), defaults={"changed": when})


def status_changed(*, certificate: Certificate, when: datetime.datetime) -> None:
    """Raise the version of the certificate's list; call in the transaction of the change.

    The update holds the list's row lock until commit: concurrent changes of certificates in
    one list take their turns, and each commit leaves a version no cached copy was made under.
    """
    ensure_list(index=certificate.status_list_index, when=when)
    StatusList.objects.filter(number=list_number(certificate.status_list_index)).update(
        version=F("version") + 1, changed=when
    )
