"""The status history and "what was the status on day D?" (Certificate.status_on)."""

import datetime

import pytest
from django.utils import timezone, translation

from certification.domain import certificates, lifecycle
from certification.models import Certificate

from . import factories, stages
from .history import SUSPENDED_THEN_REINSTATED, TODAY, ago, with_history

pytestmark = pytest.mark.django_db


def test_status_before_issue_is_not_yet_valid():
    certificate = with_history(issued=10)
    assert certificate.status_on(ago(11)) == "not_yet_valid"
    assert certificate.status_on(datetime.date(2000, 1, 1)) == "not_yet_valid"


def test_status_on_the_issue_day_is_valid():
    certificate = with_history(issued=10)
    assert certificate.status_on(ago(10)) == "valid"


def test_status_during_a_suspension_and_after_reinstatement():
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    assert certificate.status_on(ago(101)) == "valid"
    # A change during the day counts for that whole day: the answer is the end of day's.
    assert certificate.status_on(ago(100)) == "suspended"
    assert certificate.status_on(ago(90)) == "suspended"
    assert certificate.status_on(ago(80)) == "valid"
    assert certificate.status_on(ago(1)) == "valid"
    assert certificate.status_on(TODAY) == "valid"


def test_history_entry_in_force_gives_the_reason_of_that_day():
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    change = certificate.status_change_on(ago(90))
    assert change.transition == "suspend"
    assert change.reason == "Brak aktualnych rekomendacji."
    assert change.correction_until == ago(70)
    assert certificate.status_change_on(ago(50)).transition == "reinstate"
    assert certificate.status_change_on(ago(300)) is None


def test_status_after_revocation_stays_revoked_even_past_the_date():
    certificate = with_history(
        ("revoke", "revoked", ago(50), "Naruszenie zasad znaku."), issued=400
    )
    assert certificate.valid_until == ago(36)
    assert certificate.status_on(ago(51)) == "valid"
    assert certificate.status_on(ago(50)) == "revoked"
    assert certificate.status_on(ago(10)) == "revoked"
    assert certificate.status_on(TODAY) == "revoked"


def test_status_after_expiry_is_expired_whether_or_not_the_command_has_run():
    not_yet_marked = with_history(issued=400)
    marked = with_history(issued=400)
    lifecycle.expire_certificate(certificate=marked, today=TODAY)
    marked.refresh_from_db()
    for certificate in (not_yet_marked, marked):
        assert certificate.status_on(ago(36)) == "valid"  # the last day of validity
        assert certificate.status_on(ago(35)) == "expired"
        assert certificate.status_on(TODAY) == "expired"


def test_suspended_past_its_date_is_expired():
    certificate = with_history(("suspend", "suspended", ago(40), "Powód."), issued=400)
    assert certificate.status_on(ago(37)) == "suspended"
    assert certificate.status_on(ago(35)) == "expired"


def test_certificate_without_history_answers_from_its_stored_status():
    """Registry entries older than the history (and the fast list factory) still answer."""
    certificate = factories.certificate(issued_on=ago(100), status="revoked")
    assert certificate.status_on(ago(50)) == "revoked"
    assert certificate.status_on(ago(101)) == "not_yet_valid"


def test_status_today_needs_no_query(django_assert_num_queries):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    certificate = Certificate.objects.get(pk=certificate.pk)
    with django_assert_num_queries(0):
        assert certificate.status_on(TODAY) == "valid"


def test_status_on_a_past_day_uses_prefetched_history(django_assert_num_queries):
    with_history(*SUSPENDED_THEN_REINSTATED)
    certificate = Certificate.objects.prefetch_related("status_changes").get()
    with django_assert_num_queries(0):
        assert certificate.status_on(ago(90)) == "suspended"
        assert certificate.status_on(ago(50)) == "valid"


def test_issue_through_the_flow_writes_the_first_history_entry():
    c = stages.cast()
    certificate = stages.certified(c)
    change = certificate.status_changes.get()
    assert (change.transition, change.status, change.actor) == ("issue", "valid", c.officer)
    assert timezone.localtime(change.effective).date() == certificate.issued_on
    assert certificate.predecessor is None


def test_public_history_lists_every_step_oldest_first():
    certificate = with_history(
        *SUSPENDED_THEN_REINSTATED, ("revoke", "revoked", ago(20), "Naruszenie zasad znaku.")
    )
    with translation.override("en"):
        history = certificates.public_history(certificate)
    labels = [str(e.label) for e in history]
    assert [e.transition for e in history] == ["issue", "suspend", "reinstate", "revoke"]
    assert labels == [
        "Certificate issued",
        "Certificate suspended",
        "Certificate reinstated",
        "Certificate revoked",
    ]
    assert history[1].reason == "Brak aktualnych rekomendacji."
    assert history[1].correction_until == ago(70)
    assert history[3].reason == "Naruszenie zasad znaku."


def test_public_history_shows_expiry_before_the_command_records_it():
    certificate = with_history(issued=400)
    history = certificates.public_history(certificate)
    assert [e.transition for e in history] == ["issue", "expire"]
    assert timezone.localtime(history[1].when).date() == ago(35)
