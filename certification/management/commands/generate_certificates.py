"""Fill the registry with many believable certificates, fast: `generate_certificates --count N`.

For benchmarks and for trying the registry at scale. Rows go in with bulk_create, skipping the
flow, the audit log and the PDFs: what the registry, its search and verification read is all
there (organisations with valid NIPs, certified applications with their items, numbers gap-free
per year, renewal lines, a status history behind every status). Generated organisations carry
NIPs under a tax-office code that no office issues, so `--reset` removes exactly those.
"""

import datetime
import itertools
import random
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Case, CharField, Max, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from certification import db_guards
from certification.choices import ApplicationStatus, CertificateTransition
from certification.domain import search, status_lists
from certification.domain.certificates import format_number
from certification.domain.lifecycle import start_of_day
from certification.models import (
    STATUS_LIST_SIZE,
    Application,
    ApplicationItem,
    Certificate,
    CertificateStatusChange,
    Membership,
    Organization,
    RenewalReminder,
    SchemeRules,
    User,
    VerificationAnswer,
)

from . import _registry_vocabulary as words
from ._registry_plan import Planned, plan_certificates

GENERATOR_USERNAME = "generated-registry"
CHUNK = 2000


class Command(BaseCommand):
    help = (
        "Create N believable certificates in bulk (no flow, no PDFs) for benchmarks; "
        "--reset first deletes what an earlier run generated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=5, help="Spread issue dates over them.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same registry.")
        parser.add_argument("--reset", action="store_true", help="Delete generated rows first.")

    def handle(self, *args, count, years, seed, reset, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "Refusing to run with DJANGO_ENV=production: generated certificates would be "
                "published in the public registry."
            )
        if count < 0 or years < 1:
            raise CommandError("--count must be 0 or more and --years at least 1.")
        started = time.perf_counter()
        generated = Organization.objects.filter(nip__startswith=words.GENERATED_NIP_PREFIX)
        if reset:
            with transaction.atomic():
                self.stdout.write(f"Deleted {delete_generated()} generated certificates.")
            _vacuum_analyze()  # else the new rows would be written among the dead ones
        elif generated.exists():
            raise CommandError("Generated certificates are already there: add --reset.")
        if count:
            # All or nothing: a failed run leaves no half-made registry behind.
            with transaction.atomic():
                self._generate(count=count, years=years, rng=random.Random(seed))
            _vacuum_analyze()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))

    def _generate(self, *, count: int, years: int, rng: random.Random) -> None:
        validity = SchemeRules.current().certificate_validity_days
        plans, org_count = plan_certificates(count=count, years=years, validity=validity, rng=rng)
        user = _generator_user()
        organizations = _create_organizations(plans, org_count, rng)
        sequences = _next_sequences({p.issued_on.year for p in plans})
        # Places in the credential status lists, after any already given.
        indexes = itertools.count(status_lists.next_index())
        done = 0
        for chunk in _chunks(plans):
            certificates = _create_chunk(chunk, organizations, sequences, indexes, user, rng)
            # What the registry searches and sorts by, by the domain's own function.
            search.refresh(certificates=certificates)
            done += len(chunk)
            if done % 20_000 < len(chunk) or done == len(plans):
                self.stdout.write(f"  {done:,} certificates")
        if plans:
            last = Certificate.objects.aggregate(m=Max("status_list_index"))["m"]
            for index in range(0, last + 1, STATUS_LIST_SIZE):
                status_lists.ensure_list(index=index, when=timezone.now())
        statuses = Counter(p.status for p in plans)
        self.stdout.write(
            f"Generated {len(plans):,} certificates of {org_count:,} organisations: "
            + ", ".join(f"{status} {n:,}" for status, n in sorted(statuses.items()))
        )


def _vacuum_analyze() -> None:
    """PostgreSQL: planner statistics for the new rows; the dead ones of --reset cleared away.

    Without it the first queries run on stale statistics, and with autovacuum off (as on our
    development machines) they stay stale: a benchmark would measure the wrong plans.
    """
    if connection.vendor != "postgresql":
        return
    models = (Organization, Application, ApplicationItem, Certificate, CertificateStatusChange)
    tables = [m._meta.db_table for m in models] + [Certificate.items.through._meta.db_table]
    # VACUUM cannot run in a transaction (a caller's, or a test's); ANALYZE alone can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def _chunks(plans: list[Planned]):
    """Batches in order; a batch ends before a certificate whose predecessor is in it.

    Lazy on purpose: the caller inserts each batch before asking for the next, so by then
    every predecessor in an earlier batch has its primary key.
    """
    chunk: list[Planned] = []
    for plan in plans:
        if len(chunk) >= CHUNK or (plan.predecessor is not None and plan.predecessor.pk is None):
            yield chunk
            chunk = []
        chunk.append(plan)
    if chunk:
        yield chunk


def _generator_user() -> User:
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "Dane", "last_name": "wygenerowane", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _create_organizations(plans: list[Planned], count: int, rng) -> list[Organization]:
    first_issue = {}
    for plan in plans:
        first_issue.setdefault(plan.org, plan.issued_on)
    nips = words.generated_nips()
    rows = []
    for serial in range(count):
        registered = first_issue[serial] - datetime.timedelta(days=rng.randint(200, 20 * 365))
        fields = words.organization_fields(serial, next(nips), rng)
        rows.append(Organization(registration_date=registered, **fields))
    return Organization.objects.bulk_create(rows, batch_size=CHUNK)


def _next_sequences(years: set[int]) -> dict[int, int]:
    """Per year, the first free sequence number: generated ones follow any already issued."""
    last = dict(
        Certificate.objects.filter(year__in=years)
        .order_by()
        .values_list("year")
        .annotate(m=Max("sequence"))
        .values_list("year", "m")
    )
    return {year: last.get(year, 0) + 1 for year in years}


def _create_chunk(chunk, organizations, sequences, indexes, user, rng) -> list[Certificate]:
    applications = Application.objects.bulk_create(
        _application(plan, organizations[plan.org], user, rng) for plan in chunk
    )
    # The application number is made from its primary key, as the flow numbers it.
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        number=Concat(
            Value("W/"),
            Cast(ExtractYear("submitted_at"), CharField()),
            Value("/"),
            # Both databases' LPAD cut longer text down to the length: pad only short keys.
            Case(
                When(pk__lt=10_000, then=LPad(Cast("pk", CharField()), 5, Value("0"))),
                default=Cast("pk", CharField()),
            ),
        )
    )
    item_rows = [
        [ApplicationItem(application_id=a.pk, **item) for item in plan.items]
        for plan, a in zip(chunk, applications, strict=True)
    ]
    ApplicationItem.objects.bulk_create(row for rows in item_rows for row in rows)
    certificates = []
    for plan, application in zip(chunk, applications, strict=True):
        year = plan.issued_on.year
        sequence, sequences[year] = sequences[year], sequences[year] + 1
        certificates.append(
            Certificate(
                number=format_number(year, sequence),
                year=year,
                sequence=sequence,
                organization=organizations[plan.org],
                **Certificate.holder_fields(organizations[plan.org]),
                application_id=application.pk,
                issued_on=plan.issued_on,
                valid_until=plan.valid_until,
                status=plan.status,
                status_reason=plan.reason,
                issued_by=user,
                predecessor_id=plan.predecessor.pk if plan.predecessor else None,
                status_list_index=next(indexes),
            )
        )
    Certificate.objects.bulk_create(certificates)
    Through = Certificate.items.through
    links, history = [], []
    for plan, certificate, items in zip(chunk, certificates, item_rows, strict=True):
        plan.pk = certificate.pk
        # As if prefetched, for search.refresh: it reads the items without a query.
        certificate._prefetched_objects_cache = {"items": items}
        links += [Through(certificate_id=certificate.pk, applicationitem_id=i.pk) for i in items]
        history += [
            CertificateStatusChange(
                certificate_id=certificate.pk,
                transition=transition,
                status=status,
                effective=effective,
                reason=reason,
                correction_until=correction_until,
                actor=None if transition == CertificateTransition.EXPIRE else user,
            )
            for transition, status, effective, reason, correction_until in plan.events
        ]
    Through.objects.bulk_create(links)
    CertificateStatusChange.objects.bulk_create(history)
    return certificates


def _application(plan: Planned, organization, user, rng) -> Application:
    submitted = start_of_day(plan.issued_on - datetime.timedelta(days=rng.randint(40, 120)))
    employees = rng.randint(3, 60)
    return Application(
        organization=organization,
        status=ApplicationStatus.CERTIFIED,
        social_goals=rng.choice(words.SOCIAL_GOALS),
        employees_total=employees,
        employees_at_risk=rng.randint(1, employees),
        own_revenue_percent=rng.randint(3000, 9500) / 100,
        created_by=user,
        submitted_at=submitted + datetime.timedelta(hours=rng.randint(8, 16)),
        complete_at=submitted + datetime.timedelta(days=rng.randint(1, 20)),
        decided_at=start_of_day(plan.issued_on - datetime.timedelta(days=rng.randint(1, 10))),
        renewal_of_id=plan.predecessor.pk if plan.predecessor else None,
    )


def delete_generated() -> int:
    """Delete every generated organisation and all the generator made for it.

    One plain DELETE per table, children first (QuerySet._raw_delete, what Django's own
    collector runs in the end): the collector itself needs minutes for 100,000 certificates.
    The status history refuses deletion, in the database too: its triggers are lifted for the
    generated rows only, inside this transaction (these rows are benchmark data being taken
    back, not history; the command refuses to run in production). The audit log is never
    touched: the generator writes none, and events, documents or jury work that someone hung on
    generated applications make the transaction fail on its foreign keys rather than vanish
    silently. Returns how many certificates went.
    """
    organizations = Organization.objects.filter(nip__startswith=words.GENERATED_NIP_PREFIX)
    certificates = Certificate.objects.filter(organization__in=organizations).values("pk")
    applications = Application.objects.filter(organization__in=organizations).values("pk")
    count = certificates.count()
    history = CertificateStatusChange._base_manager.filter(certificate__in=certificates)
    with db_guards.lifted(connection, (CertificateStatusChange._meta.db_table,)):
        history._raw_delete(history.db)
    for queryset in (
        RenewalReminder.objects.filter(certificate__in=certificates),
        VerificationAnswer.objects.filter(certificate__in=certificates),
        Certificate.items.through.objects.filter(certificate__in=certificates),
        Certificate.objects.filter(organization__in=organizations),
        ApplicationItem.objects.filter(application__in=applications),
        Application.objects.filter(organization__in=organizations),
        Membership.objects.filter(organization__in=organizations),
        organizations,
    ):
        queryset._raw_delete(queryset.db)
    return count
