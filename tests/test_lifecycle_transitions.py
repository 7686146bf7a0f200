"""The certificate lifecycle's funnel functions: every transition allowed and forbidden, by role,
with the status history and the audit log they write."""

import datetime

import pytest
from django.utils import timezone, translation

from certification.choices import CertificateStatus, CertificateTransition
from certification.domain import lifecycle
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Certificate, CertificateStatusChange

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the msgids; the Polish catalogue would translate them.
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def suspend(certificate, user, reason="Brak aktualnych rekomendacji.", until=NEXT_MONTH):
    return lifecycle.suspend_certificate(
        certificate=certificate, user=user, reason=reason, correction_until=until
    )


def reinstate(certificate, user, note=""):
    return lifecycle.reinstate_certificate(certificate=certificate, user=user, note=note)


def revoke(certificate, user, reason="Produkt nie spełnia standardów."):
    return lifecycle.revoke_certificate(certificate=certificate, user=user, reason=reason)


def unchanged(certificate) -> tuple:
    """What a refused transition must leave as it was."""
    certificate.refresh_from_db()
    return (
        certificate.status,
        certificate.status_reason,
        CertificateStatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


# --- allowed transitions ---------------------------------------------------------------


def test_suspend_valid_certificate_writes_history_and_audit():
    officer = factories.officer()
    certificate = factories.certificate()
    suspend(certificate, officer, reason="Brak aktualnych rekomendacji.")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.status_reason == "Brak aktualnych rekomendacji."
    change = certificate.status_changes.get()
    assert change.transition == CertificateTransition.SUSPEND
    assert change.status == CertificateStatus.SUSPENDED
    assert change.reason == "Brak aktualnych rekomendacji."
    assert change.correction_until == NEXT_MONTH
    assert change.actor == officer
    assert abs(change.effective - timezone.now()) < datetime.timedelta(minutes=1)
    event = AuditEvent.objects.get(certificate=certificate)
    assert (event.action, event.from_state, event.to_state) == (
        "certificate.suspended",
        "valid",
        "suspended",
    )
    assert event.message == "Brak aktualnych rekomendacji."
    assert event.actor == officer
    assert event.details == {"correction_until": NEXT_MONTH.isoformat()}


def test_reinstate_suspended_certificate_makes_it_valid_again():
    officer = factories.officer()
    certificate = suspend(factories.certificate(), officer)
    reinstate(certificate, officer, note="Dostarczono nowe rekomendacje.")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    transitions = list(certificate.status_changes.values_list("transition", "status"))
    assert transitions == [("suspend", "suspended"), ("reinstate", "valid")]
    event = AuditEvent.objects.filter(certificate=certificate).last()
    assert (event.action, event.from_state, event.to_state, event.message) == (
        "certificate.reinstated",
        "suspended",
        "valid",
        "Dostarczono nowe rekomendacje.",
    )


@pytest.mark.parametrize("suspended_first", [False, True], ids=["from valid", "from suspended"])
def test_revoke_valid_or_suspended_certificate(suspended_first):
    officer = factories.officer()
    certificate = factories.certificate()
    if suspended_first:
        suspend(certificate, officer)
    revoke(certificate, officer, reason="Produkt nie spełnia standardów.")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.status_reason == "Produkt nie spełnia standardów."
    event = AuditEvent.objects.filter(certificate=certificate).last()
    assert event.action == "certificate.revoked"
    assert event.from_state == ("suspended" if suspended_first else "valid")
    assert event.to_state == "revoked"
    assert event.message == "Produkt nie spełnia standardów."


@pytest.mark.parametrize("status", ["valid", "suspended"])
def test_expire_past_its_date_dates_the_expiry_the_day_after_valid_until(status):
    certificate = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=35),
        status=status,
    )
    lifecycle.expire_certificate(certificate=certificate, today=TODAY)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED
    change = certificate.status_changes.get()
    assert change.transition == CertificateTransition.EXPIRE
    assert change.actor is None
    assert timezone.localtime(change.effective).date() == TODAY - datetime.timedelta(days=34)
    event = AuditEvent.objects.get(certificate=certificate)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "certificate.expired",
        None,
        status,
        "expired",
    )


# --- forbidden transitions -----------------------------------------------------------------

FORBIDDEN = [
    ("suspend", "suspended", "Only a valid certificate can be suspended"),
    ("suspend", "revoked", "Only a valid certificate can be suspended"),
    ("suspend", "expired", "Only a valid certificate can be suspended"),
    ("reinstate", "valid", "Only a suspended certificate can be reinstated"),
    ("reinstate", "revoked", "Only a suspended certificate can be reinstated"),
    ("reinstate", "expired", "Only a suspended certificate can be reinstated"),
    ("revoke", "revoked", "Only a valid or suspended certificate can be revoked"),
    ("revoke", "expired", "Only a valid or suspended certificate can be revoked"),
]


@pytest.mark.parametrize(("action", "status", "message"), FORBIDDEN)
def test_forbidden_transition_is_refused_with_a_clear_message(action, status, message):
    officer = factories.officer()
    certificate = factories.certificate(status=status, status_reason="Poprzedni powód.")
    before = unchanged(certificate)
    call = {"suspend": suspend, "reinstate": reinstate, "revoke": revoke}[action]
    with pytest.raises(DomainError) as error:
        call(certificate, officer)
    assert message in str(error.value)
    assert certificate.number in str(error.value)
    assert unchanged(certificate) == before


@pytest.mark.parametrize("status", ["revoked", "expired"])
def test_expire_refuses_a_final_status(status):
    certificate = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=35),
        status=status,
    )
    before = unchanged(certificate)
    with pytest.raises(DomainError, match="Only a valid or suspended certificate can expire"):
        lifecycle.expire_certificate(certificate=certificate, today=TODAY)
    assert unchanged(certificate) == before


def test_expire_refuses_before_the_end_of_validity():
    certificate = factories.certificate(valid_until=TODAY)
    with pytest.raises(DomainError, match="it cannot expire earlier"):
        lifecycle.expire_certificate(certificate=certificate, today=TODAY)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_officer_transitions_refused_once_past_the_date(action):
    """Not yet marked expired by the command, but past its date: it is expired for everyone."""
    certificate = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=1),
    )
    call = {"suspend": suspend, "revoke": revoke}[action]
    with pytest.raises(DomainError, match="an expired certificate can no longer be"):
        call(certificate, factories.officer())


def test_suspend_needs_a_reason():
    certificate = factories.certificate()
    with pytest.raises(DomainError, match="Give the reason") as error:
        suspend(certificate, factories.officer(), reason="   ")
    assert error.value.field == "reason"
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


@pytest.mark.parametrize("days", [0, -1])
def test_suspend_needs_a_correction_period_ending_after_today(days):
    certificate = factories.certificate()
    with pytest.raises(DomainError, match="must end after today") as error:
        suspend(certificate, factories.officer(), until=TODAY + datetime.timedelta(days=days))
    assert error.value.field == "correction_until"


def test_revoke_needs_a_reason():
    certificate = factories.certificate()
    with pytest.raises(DomainError, match="Give the reason"):
        revoke(certificate, factories.officer(), reason="")
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


def test_reason_of_absurd_length_is_refused():
    certificate = factories.certificate()
    with pytest.raises(DomainError, match="at most 2000 characters"):
        revoke(certificate, factories.officer(), reason="x" * 2001)


# --- role × transition -------------------------------------------------------------------


def _someone(role: str, certificate: Certificate):
    if role == "applicant":
        return factories.applicant(certificate.organization)
    if role == "juror":
        return factories.juror()
    if role == "chair":
        return factories.juror(chair=True)
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return factories.officer()


@pytest.mark.parametrize("role", ["officer", "applicant", "juror", "chair", "anonymous"])
@pytest.mark.parametrize("action", ["suspend", "reinstate", "revoke"])
def test_only_an_officer_moves_a_certificate(role, action):
    certificate = factories.certificate(status="suspended" if action == "reinstate" else "valid")
    user = _someone(role, certificate)
    before = unchanged(certificate)
    call = {"suspend": suspend, "reinstate": reinstate, "revoke": revoke}[action]
    if role == "officer":
        call(certificate, user)
        assert unchanged(certificate) != before
    else:
        with pytest.raises(DomainError, match="Only a ROPS officer"):
            call(certificate, user)
        assert unchanged(certificate) == before


def test_allowed_transitions_follow_the_table():
    assert lifecycle.allowed_transitions(factories.certificate()) == ["suspend", "revoke"]
    assert lifecycle.allowed_transitions(factories.certificate(status="suspended")) == [
        "reinstate",
        "revoke",
    ]
    assert lifecycle.allowed_transitions(factories.certificate(status="revoked")) == []
    past = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400), valid_until=TODAY - datetime.timedelta(1)
    )
    assert lifecycle.allowed_transitions(past) == []


def test_status_history_is_append_only():
    certificate = suspend(factories.certificate(), factories.officer())
    change = certificate.status_changes.get()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        CertificateStatusChange.objects.all().delete()
    with pytest.raises(PermissionError):
        CertificateStatusChange.objects.update(reason="")
