"""`manage.py generate_certificates`: believable registry data in bulk, and a clean --reset."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from certification import registry
from certification.choices import CertificateStatus, CertificateTransition
from certification.domain import search
from certification.models import (
    Application,
    Certificate,
    CertificateStatusChange,
    Organization,
)
from certification.validators import validate_nip

from . import factories

pytestmark = pytest.mark.django_db

POLISH_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def generate(count: int, *extra: str) -> str:
    out = io.StringIO()
    call_command("generate_certificates", "--count", str(count), *extra, stdout=out)
    return out.getvalue()


def test_generate_small_run_counts_numbers_and_organisations():
    output = generate(50)

    assert "Generated 50 certificates of 10 organisations" in output
    assert "Done in" in output
    assert Certificate.objects.count() == 50
    assert Application.objects.filter(certificate__isnull=False).count() == 50
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 50
    # Gap-free per year: sequences 1..n in every year.
    for row in Certificate.objects.order_by().values("year").annotate(n=Count("pk")):
        sequences = sorted(
            Certificate.objects.filter(year=row["year"]).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, row["n"] + 1))
    assert len(Counter(c.year for c in Certificate.objects.all())) >= 3  # several years
    for certificate in Certificate.objects.all():
        assert certificate.number == f"ZP/{certificate.year}/{certificate.sequence:04d}"
        assert certificate.year == certificate.issued_on.year
    organizations = Organization.objects.all()
    assert organizations.count() == 10
    for organization in organizations:
        validate_nip(organization.nip)  # raises on a wrong check digit
        organization.full_clean(exclude=["members"])
    application_numbers = list(Application.objects.values_list("number", flat=True))
    assert all(n.startswith("W/") for n in application_numbers)
    assert len(set(application_numbers)) == 50


def test_generate_polish_names_items_and_search_text():
    generate(50)

    names = list(Organization.objects.values_list("name", flat=True))
    with_diacritics = [n for n in names if POLISH_LETTERS & set(n)]
    assert len(with_diacritics) >= len(names) // 2
    items = Certificate.items.through.objects.filter(certificate__in=Certificate.objects.all())
    assert items.count() >= 50
    for certificate in Certificate.objects.select_related("organization").prefetch_related("items"):
        assert list(certificate.items.all())
        # Filled exactly as the domain fills it, so the registry search finds generated rows.
        assert certificate.search_text == search.text_for(certificate)
    some = Certificate.objects.select_related("organization").first()
    folded = search.fold(some.organization.name).split()[-1]
    found = registry.filter_certificates(
        queryset=registry.public_certificates(), text=folded, today=timezone.localdate()
    )
    assert some in found


def test_generate_realistic_mix_of_statuses_with_history():
    generate(300)
    today = timezone.localdate()

    shown = Counter(c.public_status for c in Certificate.objects.all())
    assert set(shown) == {
        CertificateStatus.VALID,
        CertificateStatus.EXPIRED,
        CertificateStatus.SUSPENDED,
        CertificateStatus.REVOKED,
    }
    assert shown[CertificateStatus.VALID] > shown[CertificateStatus.SUSPENDED]
    assert shown[CertificateStatus.VALID] > shown[CertificateStatus.REVOKED]
    for certificate in Certificate.objects.prefetch_related("status_changes"):
        history = list(certificate.status_changes.all())
        assert history[0].transition == CertificateTransition.ISSUE
        # The stored status is the last entry of the history, and the public answer agrees.
        assert certificate.status == history[-1].status
        assert certificate.issued_on <= today
        if certificate.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
            assert certificate.status_reason
            assert certificate.valid_until >= history[-1].effective.date()
        if certificate.status == CertificateStatus.SUSPENDED:
            assert history[-1].correction_until > history[-1].effective.date()
    # Renewal lines: a successor is issued after its predecessor, for the same organisation.
    renewals = Certificate.objects.filter(predecessor__isnull=False).select_related(
        "predecessor", "application"
    )
    assert renewals.exists()
    for certificate in renewals:
        assert certificate.predecessor.organization_id == certificate.organization_id
        assert certificate.predecessor.issued_on < certificate.issued_on
        assert certificate.application.renewal_of_id == certificate.predecessor_id
        assert certificate.predecessor.status != CertificateStatus.REVOKED


def test_generate_twice_needs_reset():
    generate(20)

    with pytest.raises(CommandError, match="--reset"):
        generate(20)


def test_generate_reset_deletes_only_generated_rows():
    kept = factories.certificate(items=("Pierogi „Babuni”",))
    generate(40)
    assert Certificate.objects.count() == 41

    output = generate(0, "--reset")

    assert "Deleted 40 generated certificates." in output
    assert list(Certificate.objects.all()) == [kept]
    assert list(Organization.objects.all()) == [kept.organization]
    assert CertificateStatusChange.objects.filter(certificate=kept).count() == 0
    assert Application.objects.count() == 1


def test_generate_reset_is_repeatable_and_numbers_follow_existing_ones():
    kept = factories.certificate()
    first = generate(30, "--reset")
    numbers = set(Certificate.objects.exclude(pk=kept.pk).values_list("number", flat=True))

    second = generate(30, "--reset")

    assert first.splitlines()[-2] == second.splitlines()[-2]  # same seed, same registry
    assert numbers == set(Certificate.objects.exclude(pk=kept.pk).values_list("number", flat=True))
    this_year = Certificate.objects.filter(year=kept.year).order_by("sequence")
    assert this_year.first() == kept  # generated numbers come after those already issued


def test_generated_organisations_lie_near_their_towns_on_the_map():
    generate(50)

    for organization in Organization.objects.all():
        # The Silesian Voivodeship, with a margin: the town's point and a few km around it.
        assert 49.3 < organization.latitude < 51.2
        assert 18.0 < organization.longitude < 19.9
    points = Organization.objects.values("latitude", "longitude").distinct().count()
    assert points == Organization.objects.count() == 10  # each its own point
