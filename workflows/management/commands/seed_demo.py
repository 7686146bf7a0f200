"""Demo data for local use: a user for every role and an application standing in every stage.

Run again to get fresh passwords; existing demo data is kept. Never run against production.
"""

import datetime
import io
import secrets
from contextlib import contextmanager
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification.choices import LegalForm, Powiat
from certification.domain import (
    applications,
    documents,
    item_codes,
    jury,
    locations,
    organizations,
    paper,
    sessions,
)
from certification.models import CpvCode, DocumentType, JuryMember, Organization, User
from certification.permissions import OFFICERS_GROUP
from certification.tasks import make_decision_letters, notify, send_decision_letters
from workflows import driver, services_paper

USERS = [
    # username, first name, last name, role
    ("admin", "Adam", "Administrator", "admin"),
    ("urzednik", "Urszula", "Nowak", "officer"),
    ("przewodniczaca", "Przemysława", "Kowalska", "chair"),
    ("juror1", "Jan", "Wiśniewski", "juror"),
    ("juror2", "Joanna", "Wójcik", "juror"),
    ("juror3", "Jerzy", "Kamiński", "juror"),
    ("wnioskodawca", "Wanda", "Lewandowska", "applicant"),
]

ORGANIZATIONS = [
    # name, legal form, NIP, REGON, KRS, town
    (
        "Spółdzielnia Socjalna „Żółty Młyn”",
        LegalForm.SOCIAL_COOPERATIVE,
        "6462933516",
        "123456785",
        "0000412345",
        "Gliwice",
    ),
    (
        "Fundacja „Pracownia Łączy”",
        LegalForm.FOUNDATION,
        "9542583988",
        "123456785",
        "0000523456",
        "Katowice",
    ),
]

# Both towns are cities with powiat rights: the registry's powiat filter finds them.
POWIATS = {"Gliwice": Powiat.GLIWICE, "Katowice": Powiat.KATOWICE}

# (organisation index, stage, items)
STAGES = [
    (0, "draft", ["Pierogi śląskie", "Catering na spotkania"]),
    (0, "submitted", ["Usługi porządkowe"]),
    (1, "corrections", ["Szycie toreb ekologicznych"]),
    (1, "jury_assignment", ["Pielęgnacja terenów zielonych"]),
    (0, "scoring", ["Ręcznie robione mydła"]),
    (1, "decision", ["Naprawa rowerów", "Wypożyczalnia rowerów"]),
    (0, "decision", ["Usługi introligatorskie"]),
    (0, "granted", ["Pieczywo na zakwasie"]),
    (1, "certified", ["Kawiarnia „Pod Dębem”", "Organizacja przyjęć"]),
]

# The CPV codes of each demo item (the vocabulary is loaded from the copy in the repository).
CPV_CODES = {
    "Pierogi śląskie": ["15851220-6"],
    "Catering na spotkania": ["55520000-1"],
    "Usługi porządkowe": ["90911200-8"],
    "Szycie toreb ekologicznych": ["18930000-7"],
    "Pielęgnacja terenów zielonych": ["77310000-6"],
    "Ręcznie robione mydła": ["33711900-6"],
    "Naprawa rowerów": ["50000000-5"],
    "Wypożyczalnia rowerów": ["34430000-0"],
    "Pieczywo na zakwasie": ["15811100-7"],
    "Kawiarnia „Pod Dębem”": ["55330000-2"],
    "Usługi introligatorskie": ["79971100-2"],
    "Organizacja przyjęć": ["55520000-1", "79952000-2"],
}


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf(name), content_type="application/pdf")


@contextmanager
def _mail_discarded():
    """The demo's stage e-mails go nowhere: their addresses are made up, a real SMTP server
    must not get them, and printed on the console they bury the password the command prints.
    They are jobs: the ones the seeding queued are dropped before a worker sees them (the
    certificates' PDF jobs stay)."""
    before = set(DBTaskResult.objects.values_list("pk", flat=True))
    yield
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(pk__in=before)
    queued.filter(task_path=notify.module_path).delete()
    # The decisions' letters are made (the demo shows them) but not sent.
    letters = queued.filter(task_path=send_decision_letters.module_path)
    for kwargs in [job.args_kwargs["kwargs"] for job in letters]:
        make_decision_letters(**kwargs)
    letters.delete()


class Command(BaseCommand):
    help = "Create demo users, criteria and applications in every stage (local use only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Refusing to create demo data with DJANGO_ENV=production.")
        password = secrets.token_urlsafe(9)
        with transaction.atomic():
            users = self._users(password)
        if not CpvCode.objects.exists():
            call_command("import_cpv", stdout=io.StringIO())
        if not Organization.objects.filter(nip=ORGANIZATIONS[0][2]).exists():
            with _mail_discarded():
                self._applications(users)
        # Demo data seeded before the map had no points: the map shows the demo too.
        locations.locate_all()
        self._report(password)

    def _users(self, password: str) -> dict[str, User]:
        officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
        users = {}
        for username, first, last, role in USERS:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.pl",
                },
            )
            user.set_password(password)
            # Officers work in the staff pages; the Django admin is for configuration only.
            user.is_staff = role == "admin"
            user.is_superuser = role == "admin"
            user.save()
            # Verified, so the mandatory e-mail confirmation does not stop demo logins.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            if role == "officer":
                user.groups.add(officers)
            if role in ("juror", "chair"):
                JuryMember.objects.get_or_create(
                    user=user,
                    defaults={
                        "is_chair": role == "chair",
                        "term_start": timezone.localdate() - datetime.timedelta(days=365),
                    },
                )
            users[username] = user
        return users

    def _applications(self, users: dict[str, User]) -> None:
        applicant = users["wnioskodawca"]
        orgs = []
        for name, form, nip, regon, krs, town in ORGANIZATIONS:
            orgs.append(
                organizations.register_organization(
                    user=applicant,
                    name=name,
                    legal_form=form,
                    nip=nip,
                    regon=regon,
                    krs=krs,
                    street="ul. Wolności 12",
                    postal_code="44-100",
                    town=town,
                    powiat=POWIATS[town],
                    registration_date=timezone.localdate() - datetime.timedelta(days=3 * 365),
                    email="biuro@example.pl",
                )
            )
        self._sessions(users)
        for org_index, stage, items in STAGES:
            with transaction.atomic():
                self._stage(users, orgs[org_index], stage, items)
        with transaction.atomic():
            self._paper(users)
        with transaction.atomic():
            # Its minutes are a job, like the certificates' PDFs: the worker makes them.
            sessions.close_session(user=users["urzednik"], session=self.past_session)
            sessions.send_agenda(officer=users["urzednik"], session=self.open_session)

    def _paper(self, users) -> None:
        """An application received on paper from a PES with no account, awaiting formal review:
        the officer may record its corrections or invite it to take it over (README)."""
        types = {t.code: t for t in DocumentType.objects.all()}
        name = "Szycie toreb ekologicznych"
        files = [
            paper.PaperFile(document_type=types[code], uploaded=_upload(f"skan-{code}.pdf"))
            for code in ("krs_extract", "statute", "financial_statement")
        ]
        files += [
            paper.PaperFile(
                document_type=types["recommendation"],
                uploaded=_upload(f"skan-list-polecajacy-{k}.pdf"),
                item=0,
            )
            for k in (1, 2)
        ]
        services_paper.register_paper(
            officer=users["urzednik"],
            nip="7251801126",
            organization_fields={
                "name": "Stowarzyszenie „Papierowy Most”",
                "legal_form": LegalForm.ASSOCIATION,
                "regon": "123456785",
                "krs": "0000634567",
                "street": "ul. Pocztowa 3",
                "postal_code": "41-902",
                "town": "Bytom",
                "registration_date": timezone.localdate() - datetime.timedelta(days=4 * 365),
                "email": "most@example.pl",
            },
            received_on=timezone.localdate() - datetime.timedelta(days=2),
            answers={
                "social_goals": "Prowadzimy warsztat krawiecki dla osób z niepełnosprawnościami.",
                "employees_total": 6,
                "employees_at_risk": 4,
                "own_revenue_percent": Decimal("38"),
            },
            items=[
                paper.PaperItem(
                    name=name,
                    kind="product",
                    description=f"{name}: szyte w naszym warsztacie.",
                    codes=list(CpvCode.objects.filter(code__in=[c[:8] for c in CPV_CODES[name]])),
                )
            ],
            files=files,
        )

    def _sessions(self, users) -> None:
        """A session three weeks ago (decides the granted and certified applications, then
        closed) and one in two weeks (the applications awaiting the decision on its agenda)."""
        officer = users["urzednik"]
        now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        with transaction.atomic():
            self.past_session = sessions.schedule_session(
                officer=officer,
                starts_at=now - datetime.timedelta(days=21),
                place="ROPS Katowice, ul. Modelarska 10, sala 105",
            )
            sessions.record_attendance(
                user=officer,
                session=self.past_session,
                present=[m.user_id for m in jury.active_jurors()],
            )
            self.open_session = sessions.schedule_session(
                officer=officer,
                starts_at=now + datetime.timedelta(days=14),
                place="ROPS Katowice, ul. Modelarska 10, sala 105",
                online_link="https://spotkania.example.pl/kapitula",
            )

    def _stage(self, users, organization, stage: str, items: list[str]) -> None:
        applicant, officer, chair = (
            users["wnioskodawca"],
            users["urzednik"],
            users["przewodniczaca"],
        )
        jurors = [users["juror1"], users["juror2"], users["juror3"]]
        app = applications.create_application(organization=organization, user=applicant)
        applications.update_questionnaire(
            application=app,
            user=applicant,
            social_goals="Zatrudniamy osoby z niepełnosprawnościami i długotrwale bezrobotne, "
            "przywracając je na rynek pracy.",
            employees_total=14,
            employees_at_risk=9,
            own_revenue_percent=Decimal("62.5"),
        )
        types = {t.code: t for t in DocumentType.objects.all()}
        for n, name in enumerate(items):
            item = applications.add_item(
                application=app,
                user=applicant,
                name=name,
                kind="product" if n % 2 == 0 else "service",
                description=f"{name}: wytwarzane lokalnie przez nasz zespół.",
            )
            codes = CpvCode.objects.filter(code__in=[c[:8] for c in CPV_CODES.get(name, [])])
            item_codes.set_item_codes(item=item, user=applicant, codes=list(codes))
            for k in (1, 2):
                documents.add_document(
                    application=app,
                    user=applicant,
                    document_type=types["recommendation"],
                    item=item,
                    uploaded=_upload(f"list-polecajacy-{n + 1}-{k}.pdf"),
                )
        for code in ("krs_extract", "statute", "financial_statement"):
            documents.add_document(
                application=app,
                user=applicant,
                document_type=types[code],
                uploaded=_upload(f"{code}.pdf"),
            )
        if stage == "draft":
            return
        c = driver.Cast(applicant=applicant, officer=officer, jurors=jurors, chair=chair)
        driver.submit(c, app)
        if stage == "submitted":
            return
        if stage == "corrections":
            statement = app.documents.get(document_type__code="financial_statement")
            driver.return_for_corrections(
                c, app, [(statement, "Sprawozdanie nie jest podpisane przez zarząd.")]
            )
            return
        driver.accept(c, app)
        if stage == "jury_assignment":
            return
        driver.assign_jury(c, app)
        if stage == "scoring":
            return
        card = driver.scores(
            app, lambda criterion: criterion.max_points - 1, "Spełnia kryterium w wysokim stopniu."
        )
        for juror in jurors:
            driver.score_as(app, juror, card)
        if stage == "decision":
            # On the agenda of the coming session (self._sessions).
            sessions.add_to_agenda(officer=officer, session=self.open_session, application=app)
            return
        # Decided at the past session, which is closed once every stage is seeded.
        item = sessions.add_to_agenda(officer=officer, session=self.past_session, application=app)
        driver.vote(
            item,
            chair=chair,
            granted_items=list(app.items.all()),
            votes=4,
            justification="Wniosek spełnia kryteria znaku.",
        )
        if stage == "granted":
            return
        driver.issue(c, app)

    def _report(self, password: str) -> None:
        lines = [
            "",
            "Demo users (local use only) — password for all of them: " + password,
        ]
        for username, first, last, role in USERS:
            lines.append(f"  {username:<16} {role:<10} {first} {last}")
        lines.append("")
        text = "\n".join(lines)
        self.stdout.write(text)
        path = settings.BASE_DIR / "var" / "demo-users.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"(also written to {path})")
