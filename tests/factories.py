"""factory_boy factories, with one helper per workflow state (applications standing in a stage)."""

import datetime
import io
from pathlib import Path

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.choices import LegalForm
from certification.domain import (
    applications,
    cpv_import,
    documents,
    item_codes,
    lifecycle,
    search,
    status_lists,
    versions,
)
from certification.domain.cpv import search_text_for, significant
from certification.models import (
    Application,
    ApplicationItem,
    CpvCode,
    DocumentType,
    JuryMember,
    Organization,
    User,
)
from certification.permissions import OFFICERS_GROUP

# Valid checksums (DESIGN.md §7); tests that need wrong ones change a digit.
VALID_NIPS = ["5260250274", "7251801126", "6462933516", "9542583988", "1132853869"]
VALID_REGON = "123456785"


# 116 real codes of the CPV 2008 vocabulary (catering, cleaning, clothing, printing, care…).
CPV_FIXTURE = Path(__file__).parent / "data" / "cpv_fixture.csv"
# What the factories code their catering items with (Catering services).
CATERING = "55520000-1"


def cpv_vocabulary() -> None:
    """The fixture's codes in the database (once: later calls find them there)."""
    if CpvCode.objects.exists():
        return
    CpvCode.objects.bulk_create(
        CpvCode(
            code=row.code[:8],
            check_digit=row.code[-1],
            label_pl=row.label_pl,
            label_en=row.label_en,
            level=len(significant(row.code[:8])),
            search_text=search_text_for(row.code[:8], row.label_pl, row.label_en),
        )
        for row in cpv_import.read_file(CPV_FIXTURE)
    )


def cpv(*codes: str) -> list[CpvCode]:
    """Vocabulary entries by code (55520000-1 or 55520000), loading the fixture if needed."""
    cpv_vocabulary()
    found = CpvCode.objects.in_bulk([code[:8] for code in codes])
    return [found[code[:8]] for code in codes]


def nip_for(n: int) -> str:
    """A valid NIP for any n: first nine digits from n, the tenth the check digit."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    # Steps of 10 leave room to skip a base without a check digit without meeting n + 1's.
    base = 100000000 + 10 * n
    while True:
        digits = [int(c) for c in f"{base:09d}"]
        check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)
        base += 1


def pdf_bytes(text: str = "doc") -> bytes:
    """A small but well-formed one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "dokument.pdf", text: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text or name), content_type="application/pdf")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.pl")
    password = factory.django.Password("haslo-testowe-123")

    class Params:
        officer = factory.Trait(
            groups=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get_or_create(name=OFFICERS_GROUP)[0]
                )
            ),
        )


def officer(**kwargs) -> User:
    return UserFactory(officer=True, **kwargs)


def juror(*, chair: bool = False, **kwargs) -> User:
    user = UserFactory(**kwargs)
    JuryMember.objects.create(
        user=user, is_chair=chair, term_start=timezone.localdate() - datetime.timedelta(days=30)
    )
    return user


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Spółdzielnia Socjalna „Żółć {n}”")
    legal_form = LegalForm.SOCIAL_COOPERATIVE
    nip = factory.Sequence(nip_for)
    regon = VALID_REGON
    krs = "0000123456"
    street = "ul. Wojewódzka 1"
    postal_code = "40-001"
    town = "Katowice"
    registration_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=800)
    )
    email = "biuro@example.pl"


def applicant(organization: Organization | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    (organization or OrganizationFactory()).members.add(user)
    return user


def draft_application(
    *, user: User | None = None, items: int = 2, complete: bool = True
) -> Application:
    """A draft; with complete=True it has everything needed to submit."""
    user = user or applicant()
    organization = user.organizations.first()
    application = applications.create_application(organization=organization, user=user)
    if not complete:
        return application
    applications.update_questionnaire(
        application=application,
        user=user,
        social_goals="Zatrudniamy osoby wychodzące z bezdomności.",
        employees_total=12,
        employees_at_risk=8,
        own_revenue_percent=55,
    )
    types = {t.code: t for t in DocumentType.objects.all()}
    for n in range(items):
        item = applications.add_item(
            application=application,
            user=user,
            name=f"Catering „Smaczne {n}”",
            kind="service",
            description="Catering na spotkania i konferencje.",
        )
        item_codes.set_item_codes(item=item, user=user, codes=cpv(CATERING))
        for k in range(2):
            documents.add_document(
                application=application,
                user=user,
                document_type=types["recommendation"],
                item=item,
                uploaded=pdf_upload(f"rekomendacja-{n}-{k}.pdf"),
            )
    for code in ("krs_extract", "statute", "financial_statement"):
        documents.add_document(
            application=application,
            user=user,
            document_type=types[code],
            uploaded=pdf_upload(f"{code}.pdf"),
        )
    application.refresh_from_db()
    return application


def items_of(application: Application) -> list[ApplicationItem]:
    return list(application.items.all())


def certificate(
    *,
    organization: Organization | None = None,
    items: tuple[str, ...] = ("Catering „Smaczne”",),
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    status: str = "valid",
    status_reason: str = "",
    cpv_codes: tuple[str, ...] = (),
):
    """A registry entry made directly, without the flow or a PDF: for lists that need many.

    Tests of issuing itself use stages.certified(), which drives the real flow.
    """
    from django.db.models import Max

    from certification.choices import ApplicationStatus
    from certification.models import Certificate

    organization = organization or OrganizationFactory()
    issued_on = issued_on or timezone.localdate()
    user = UserFactory(password=None)  # no password: hashing one per certificate is slow
    application = Application.objects.create(
        organization=organization,
        created_by=user,
        social_goals="Zatrudniamy osoby wychodzące z bezdomności.",
        status=ApplicationStatus.CERTIFIED,
    )
    last = Certificate.objects.filter(year=issued_on.year).aggregate(m=Max("sequence"))["m"] or 0
    cert = Certificate.objects.create(
        number=f"ZP/{issued_on.year}/{last + 1:04d}",
        year=issued_on.year,
        sequence=last + 1,
        organization=organization,
        **Certificate.holder_fields(organization),
        application=application,
        issued_on=issued_on,
        valid_until=valid_until or issued_on + datetime.timedelta(days=364),
        status=status,
        status_reason=status_reason,
        issued_by=user,
        status_list_index=status_lists.next_index(),
    )
    status_lists.ensure_list(index=cert.status_list_index, when=timezone.now())  # as at issue
    cert.items.set(
        ApplicationItem.objects.create(
            application=application, name=name, kind="product", description=f"Opis: {name}."
        )
        for name in items
    )
    if cpv_codes:  # every item gets these codes, confirmed as at a formal review
        for item in cert.items.all():
            for code in cpv(*cpv_codes):
                item.cpv_links.create(cpv=code, confirmed_by=user, confirmed_at=timezone.now())
    # Its version 1, from the day of issue, as issue_certificate records it.
    versions.record_version(
        certificate=cert,
        change="issue",
        items=list(cert.items.all()),
        effective=lifecycle.start_of_day(issued_on),
    )
    search.refresh(certificates=[cert])  # what issue_certificate does: the registry finds it
    return cert
