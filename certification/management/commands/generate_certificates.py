"""Fill the registry with many believable certificates, fast: `generate_certificates --count N`.

For benchmarks and for trying the registry at scale. Rows go in with PostgreSQL's COPY (a
million certificates in minutes; bulk_create on other databases), skipping the flow, the audit
log and the PDFs: what the registry, its search and verification read is all
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
from django.db.models import Max
from django.utils import timezone

from certification import db_guards
from certification.api import answer_rows
from certification.choices import ApplicationStatus, CertificateStatus, CertificateTransition
from certification.domain import search, status_lists
from certification.domain.certificates import format_number
from certification.models import (
    IDENTITY_FIELDS,
    STATUS_LIST_SIZE,
    Application,
    ApplicationItem,
    Certificate,
    CertificateStatusChange,
    CpvCode,
    ItemCpvCode,
    Membership,
    Organization,
    RenewalReminder,
    SchemeRules,
    User,
    VerificationAnswer,
)

from . import _bulk_copy
from . import _registry_vocabulary as words
from ._registry_plan import Planned, plan_certificates, start_of_day

GENERATOR_USERNAME = "generated-registry"
CHUNK = 10_000
TABLES = (
    Organization,
    Application,
    ApplicationItem,
    Certificate,
    Certificate.items.through,
    ItemCpvCode,
    CertificateStatusChange,
    VerificationAnswer,
)


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
        started = self.started = time.perf_counter()
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
                _skip_foreign_key_checks()
                self._generate(count=count, years=years, rng=random.Random(seed))
            _vacuum_analyze()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))

    def _generate(self, *, count: int, years: int, rng: random.Random) -> None:
        validity = SchemeRules.current().certificate_validity_days
        plans, org_count = plan_certificates(count=count, years=years, validity=validity, rng=rng)
        self.stdout.write(f"  planned in {time.perf_counter() - self.started:.1f} s")
        load = _Load(user=_generator_user(), years={p.issued_on.year for p in plans})
        load.organizations(plans, org_count, rng)
        for plan, pk in zip(plans, load.tables[Certificate].ids(len(plans)), strict=True):
            plan.pk = pk  # all keys known at once: a renewal names its predecessor by it
        done = 0
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start : start + CHUNK]
            load.certificates(chunk, rng)
            done += len(chunk)
            if done % 100_000 < len(chunk) or done == len(plans):
                elapsed = time.perf_counter() - self.started
                self.stdout.write(f"  {done:,} certificates ({elapsed:.0f} s)")
        if plans:
            last = Certificate.objects.aggregate(m=Max("status_list_index"))["m"]
            for index in range(0, last + 1, STATUS_LIST_SIZE):
                status_lists.ensure_list(index=index, when=timezone.now())
        search.forget_filter_choices()
        transaction.on_commit(search.forget_filter_choices)
        statuses = Counter(p.status for p in plans)
        self.stdout.write(
            f"Generated {len(plans):,} certificates of {org_count:,} organisations: "
            + ", ".join(f"{status} {n:,}" for status, n in sorted(statuses.items()))
        )


def _skip_foreign_key_checks() -> None:
    """PostgreSQL, as a superuser: no per-row foreign-key checks for the rest of the transaction.

    Every key the load writes was assigned by the load itself, so the checks could only pass;
    they are the bulk of the time at a million rows (Django's keys are checked at commit, one
    trigger call per key). SET LOCAL ends with the transaction; the schema is untouched and
    other sessions are not affected. Anyone but a superuser simply loads more slowly.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        if cursor.fetchone()[0] == "on":
            cursor.execute("SET LOCAL session_replication_role = replica")


def _vacuum_analyze() -> None:
    """PostgreSQL: planner statistics for the new rows; the dead ones of --reset cleared away.

    Without it the first queries run on stale statistics, and with autovacuum off (as on our
    development machines) they stay stale: a benchmark would measure the wrong plans.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in TABLES]
    # VACUUM cannot run in a transaction (a caller's, or a test's); ANALYZE alone can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


class _Load:
    """The rows of the plan, written table by table, a chunk of certificates at a time.

    What the registry's search and verification read is computed here, as the domain would:
    the search columns with search.fold, the ready verification answers with the API's
    Shaper (tests compare both with what the domain's own functions make).
    """

    def __init__(self, *, user: User, years: set[int]):
        self.user = user
        self.today = timezone.localdate()
        self.tables = {model: _bulk_copy.Table(model) for model in TABLES}
        self.sequences = _next_sequences(years)
        # Places in the credential status lists, after any already given.
        self.indexes = itertools.count(status_lists.next_index())
        self.shapers = answer_rows.shapers()
        # Items get their CPV codes when the vocabulary is loaded (manage.py import_cpv).
        self.known_codes = set(CpvCode.objects.values_list("code", flat=True))
        self.now = timezone.now()
        self.folded: dict[str, str] = {}
        self.org_rows: list[dict] = []
        self.org_facts: list[tuple] = []

    def fold(self, text: str) -> str:
        folded = self.folded.get(text)
        if folded is None:
            folded = self.folded[text] = search.fold(text)
        return folded

    def codes(self, name: str) -> list[str]:
        return [code for code in words.item_codes(name) if code[:8] in self.known_codes]

    def organizations(self, plans: list[Planned], count: int, rng) -> None:
        first_issue = {}
        for plan in plans:
            first_issue.setdefault(plan.org, plan.issued_on)
        nips = words.generated_nips()
        pks = self.tables[Organization].ids(count)
        for serial, pk in enumerate(pks):
            registered = first_issue[serial] - datetime.timedelta(days=rng.randint(200, 20 * 365))
            fields = words.organization_fields(serial, next(nips), rng)
            row = {"id": pk, "registration_date": registered, **fields}
            self.org_rows.append(row)
            holder = {f"holder_{name}": row.get(name, "") for name in IDENTITY_FIELDS}
            shown = answer_rows.Holder(row["name"], row["nip"], row["legal_form"], row["town"])
            folded = search.fold(row["name"])
            self.org_facts.append((holder, shown, folded, folded[: search.SORT_NAME_LENGTH]))
        self.tables[Organization].insert(self.org_rows)

    def certificates(self, chunk: list[Planned], rng) -> None:
        tables = self.tables
        applications, items, certificates, links, history, answers = [], [], [], [], [], []
        codes = []
        application_ids = iter(tables[Application].ids(len(chunk)))
        item_ids = iter(tables[ApplicationItem].ids(sum(len(p.items) for p in chunk)))
        link_ids = iter(tables[Certificate.items.through].ids(sum(len(p.items) for p in chunk)))
        history_ids = iter(tables[CertificateStatusChange].ids(sum(len(p.events) for p in chunk)))
        for plan in chunk:
            organization = self.org_rows[plan.org]
            holder, shown, folded_name, sort_name = self.org_facts[plan.org]
            application = _application(plan, organization["id"], self.user, rng)
            application["id"] = next(application_ids)
            # The application number is made from its primary key, as the flow numbers it.
            application["number"] = f"W/{application['submitted_at'].year}/{application['id']:05d}"
            applications.append(application)
            year = plan.issued_on.year
            sequence, self.sequences[year] = self.sequences[year], self.sequences[year] + 1
            number = format_number(year, sequence)
            plan_items = []
            for fields in plan.items:
                item = {"id": next(item_ids), "application_id": application["id"], **fields}
                items.append(item)
                plan_items.append(item)
                links.append(
                    {
                        "id": next(link_ids),
                        "certificate_id": plan.pk,
                        "applicationitem_id": item["id"],
                    }
                )
            folded_number = self.fold(number)
            certificates.append(
                {
                    "id": plan.pk,
                    "number": number,
                    "year": year,
                    "sequence": sequence,
                    "organization_id": organization["id"],
                    **holder,
                    "application_id": application["id"],
                    "issued_on": plan.issued_on,
                    "valid_until": plan.valid_until,
                    "status": plan.status,
                    "status_reason": plan.reason,
                    "issued_by_id": self.user.pk,
                    "predecessor_id": plan.predecessor.pk if plan.predecessor else None,
                    "status_list_index": next(self.indexes),
                    # As search.text_for makes it (the holder is the organisation as it is).
                    "search_text": "\n".join(
                        [
                            folded_number,
                            folded_number.replace("/", "-"),
                            organization["nip"],
                            folded_name,
                            *(self.fold(item["name"]) for item in plan_items),
                        ]
                    ),
                    "sort_name": sort_name,
                }
            )
            codes += [
                {
                    "item_id": item["id"],
                    "cpv_id": code[:8],
                    "confirmed_by_id": self.user.pk,
                    "confirmed_at": self.now,
                }
                for item in plan_items
                for code in self.codes(item["name"])
            ]
            history += [
                {
                    "id": next(history_ids),
                    "certificate_id": plan.pk,
                    "transition": transition,
                    "status": status,
                    "effective": effective,
                    "reason": reason,
                    "correction_until": correction_until,
                    "actor_id": None
                    if transition == CertificateTransition.EXPIRE
                    else self.user.pk,
                }
                for transition, status, effective, reason, correction_until in plan.events
            ]
            answers.append(self._answer(plan, number, shown, plan_items))
        tables[Application].insert(applications)
        tables[ApplicationItem].insert(items)
        tables[Certificate].insert(certificates)
        tables[Certificate.items.through].insert(links)
        for row, pk in zip(codes, tables[ItemCpvCode].ids(len(codes)), strict=True):
            row["id"] = pk
        tables[ItemCpvCode].insert(codes)
        tables[CertificateStatusChange].insert(history)
        tables[VerificationAnswer].insert(answers)

    def _answer(self, plan: Planned, number: str, shown, items: list[dict]) -> dict:
        """Today's ready verification answer, as answer_rows.refresh would make it."""
        status = plan.status
        if self.today > plan.valid_until and status != CertificateStatus.REVOKED:
            status = CertificateStatus.EXPIRED
        sanctioned = plan.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)
        _t, _s, _e, reason, correction_until = plan.events[-1]
        ready = answer_rows.Ready(
            number=number,
            status=status,
            holder=shown,
            holder_now=None,
            items=[(item["name"], item["kind"], self.codes(item["name"])) for item in items],
            issued_on=plan.issued_on,
            valid_until=plan.valid_until,
            imported=False,
            has_pdf=False,
            reason=reason if sanctioned else "",
            correction_until=correction_until if sanctioned else None,
        )
        return {
            "number": number,
            "certificate_id": plan.pk,
            "holds_from": self.today,
            "holds_until": answer_rows.holds_until(
                status=plan.status, issued_on=plan.issued_on, valid_until=plan.valid_until
            ),
            "body": {language: shaper.json(ready) for language, shaper in self.shapers.items()},
        }


def _generator_user() -> User:
    user, created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "Dane", "last_name": "wygenerowane", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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


def _application(plan: Planned, organization_id: int, user, rng) -> dict:
    submitted = start_of_day(plan.issued_on - datetime.timedelta(days=rng.randint(40, 120)))
    employees = rng.randint(3, 60)
    return {
        "organization_id": organization_id,
        "status": ApplicationStatus.CERTIFIED,
        "social_goals": rng.choice(words.SOCIAL_GOALS),
        "employees_total": employees,
        "employees_at_risk": rng.randint(1, employees),
        "own_revenue_percent": rng.randint(3000, 9500) / 100,
        "created_by_id": user.pk,
        "submitted_at": submitted + datetime.timedelta(hours=rng.randint(8, 16)),
        "complete_at": submitted + datetime.timedelta(days=rng.randint(1, 20)),
        "decided_at": start_of_day(plan.issued_on - datetime.timedelta(days=rng.randint(1, 10))),
        "renewal_of_id": plan.predecessor.pk if plan.predecessor else None,
    }


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
        ItemCpvCode.objects.filter(item__application__in=applications),
        ApplicationItem.objects.filter(application__in=applications),
        Application.objects.filter(organization__in=organizations),
        Membership.objects.filter(organization__in=organizations),
        organizations,
    ):
        queryset._raw_delete(queryset.db)
    return count
