"""manage.py import_registry: the certificates ROPS issued before the system (issue 11 §5)."""

import datetime
import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from certification.choices import CertificateStatus, VerificationResult
from certification.domain import audit, certificates
from certification.models import (
    Application,
    AuditEvent,
    Certificate,
    CertificateStatusChange,
    Organization,
)
from tests.factories import VALID_NIPS, VALID_REGON, cpv_vocabulary, nip_for

EXAMPLE = Path(__file__).parent / "data" / "registry_example.csv"
HEADING = (
    "number;nip;regon;krs;name;legal_form;street;postal_code;town;products;services;"
    "issued_on;valid_from;valid_until;status;status_since;status_reason"
)

pytestmark = pytest.mark.django_db


def run(path: Path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("pl"):  # manage.py speaks LANGUAGE_CODE
        call_command("import_registry", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(path: Path, *args) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"), translation.override("pl"):
        call_command("import_registry", str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue().splitlines()


def row(n: int, **changes) -> str:
    """A good row: certificate ZP/2024/n of organisation n (a few organisations hold two)."""
    today = timezone.localdate()
    org = n // 2
    values = {
        "number": f"ZP/2024/{n:04d}",
        "nip": nip_for(org),
        "regon": VALID_REGON,
        "krs": f"{org:010d}",
        "name": f"Spółdzielnia Socjalna nr {org}",
        "legal_form": "spółdzielnia socjalna",
        "street": f"ul. Długa {org}",
        "postal_code": "40-001",
        "town": "Katowice",
        "products": f"Pierogi {n} | Konfitury",
        "services": "Catering [55520000-1]",
        "issued_on": "02.01.2024",
        "valid_from": "",
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "status": "ważny",
        "status_since": "",
        "status_reason": "",
    } | changes
    return ";".join(values.values())


def write(tmp_path, rows: list[str], *, bom: bool = True, name="rejestr.csv") -> Path:
    path = tmp_path / name
    text = "\r\n".join([HEADING, *rows]) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def test_500_rows_three_bad_named_nothing_saved_then_fixed_in_one_go(tmp_path, capsys):
    """The issue's words: three bad rows are named and nothing is saved; fixed, all go in."""
    cpv_vocabulary()
    events_before = AuditEvent.objects.count()
    good = [row(n) for n in range(1, 501)]
    bad = list(good)
    bad[99] = row(100, nip=VALID_NIPS[0][:-1] + str((int(VALID_NIPS[0][-1]) + 1) % 10))
    bad[249] = row(250, number="ZP/2024/0007")  # row 8 of the file has it
    bad[449] = row(450, status="w zawieszeniu")
    problems = failing(write(tmp_path, bad))
    assert problems == [
        "Wiersz 101, kolumna nip: Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma w nim "
        "literówki.",
        "Wiersz 251, kolumna number: numer ZP/2024/0007 występuje ponownie (po raz pierwszy w "
        "wierszu 8).",
        "Wiersz 451, kolumna status: „w zawieszeniu” nie jest statusem (ważny, zawieszony, "
        "cofnięty lub wygasły).",
    ]
    assert not Certificate.objects.exists()
    assert not Organization.objects.exists()
    assert not Application.objects.exists()
    assert AuditEvent.objects.count() == events_before

    started = time.perf_counter()
    out, _err = run(write(tmp_path, good))
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n500-row registry import: {elapsed:.2f} s")
    assert "500 certificates were imported" in out
    assert Certificate.objects.filter(imported=True).count() == 500
    assert Organization.objects.count() == 251  # organisations 0 to 250, matched by NIP
    assert AuditEvent.objects.filter(action="certificate.imported").count() == 500
    summary = AuditEvent.objects.get(action="registry.imported")
    assert summary.details["certificates"] == 500
    assert audit.verify_chain().broken is None
    found = certificates.verify(number_text="zp-2024-0250")
    assert found.result == VerificationResult.VALID
    assert [i.name for i in found.certificate.items.all()] == [
        "Pierogi 250",
        "Konfitury",
        "Catering",
    ]


def test_example_file_imports_history_and_verification(tmp_path):
    cpv_vocabulary()
    out, _err = run(EXAMPLE)
    assert "4 certificates were imported" in out
    assert "3 organisations were created" in out
    expired = Certificate.objects.get(number="ZP/2023/0001")
    assert expired.status == CertificateStatus.EXPIRED
    assert expired.holder_name == "Spółdzielnia Socjalna „Żółć”"
    assert expired.holder_powiat == "2469"
    assert expired.organization.nip == "5260250274"
    assert [
        c.full_code for i in expired.items.all() for c in [link.cpv for link in i.cpv_links.all()]
    ] == [
        "55520000-1",
        "90910000-9",
    ]
    # Validity counts from "valid from"; the file's issue date is kept in the audit event.
    later = Certificate.objects.get(number="ZP/2024/0007")
    assert later.issued_on == datetime.date(2024, 6, 1)
    event = AuditEvent.objects.get(action="certificate.imported", certificate=later)
    assert event.details["issued_on"] == "2024-05-10"
    # Suspended on the day the file gives: valid before it, suspended after.
    suspended = Certificate.objects.get(number="ZP/2024/0012")
    assert suspended.status_on(datetime.date(2026, 9, 30)) == VerificationResult.VALID
    assert suspended.status_on(datetime.date(2026, 10, 2)) == CertificateStatus.SUSPENDED
    revoked = certificates.verify(number_text="ZP/2022/0003")
    assert revoked.result == CertificateStatus.REVOKED
    assert (
        certificates.verify(number_text="ZP/2022/0003", on_date=datetime.date(2023, 1, 5)).result
        == VerificationResult.VALID
    )
    assert CertificateStatusChange.objects.filter(certificate=revoked.certificate).count() == 2
    # The same organisation (by NIP) holds both of its certificates.
    assert revoked.certificate.organization == expired.organization
    # No PDF is made for them: the paper original stands.
    assert Certificate.objects.filter(pdf="").count() == 4
    # Each is its version 1 from its first day, covering its items (what a date's check shows).
    on_day = certificates.verify(number_text="ZP/2023/0001", on_date=datetime.date(2023, 6, 1))
    assert on_day.version.number == 1
    assert sorted(i.name for i in on_day.items) == sorted(i.name for i in expired.items.all())


def test_dry_run_checks_everything_and_saves_nothing(tmp_path):
    cpv_vocabulary()
    out, _err = run(EXAMPLE, "--dry-run")
    assert "4 certificates would be imported" in out
    assert "Dry run: nothing was changed." in out
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action__contains="import").exists()


def test_a_number_already_in_the_database_is_named(tmp_path):
    cpv_vocabulary()
    run(write(tmp_path, [row(1)], name="first.csv"))
    problems = failing(write(tmp_path, [row(2), row(1)], name="second.csv"), "--dry-run")
    assert problems == ["Wiersz 3, kolumna number: certyfikat ZP/2024/0001 jest już w rejestrze."]
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"legal_form": "spółka z o.o."},
            "Wiersz 2, kolumna legal_form: „spółka z o.o.” nie jest formą prawną",
        ),
        ({"issued_on": "31.02.2024"}, "Wiersz 2, kolumna issued_on: „31.02.2024” nie jest datą"),
        (
            {"valid_until": "2023-12-31", "status": "wygasły"},
            "Wiersz 2, kolumna valid_until: ważność kończy się, zanim się zaczyna.",
        ),
        (
            {"status": "revoked", "status_reason": "Utrata statusu PES."},
            "Wiersz 2, kolumna status_since: podaj datę",
        ),
        (
            {"services": "Catering [55520000-7]"},
            "Wiersz 2, kolumna services: kod CPV 55520000-7 ma błędną cyfrę kontrolną",
        ),
        (
            {"services": "Catering [99999999-1]"},
            "Wiersz 2, kolumna services: kodu CPV 99999999 nie ma w słowniku",
        ),
        (
            {"products": "", "services": ""},
            "Wiersz 2, kolumna products: certyfikat nie wymienia żadnego produktu",
        ),
        ({"regon": "123456789"}, "Wiersz 2, kolumna regon: Ten REGON ma błędną cyfrę kontrolną"),
        ({"krs": ""}, "Wiersz 2, kolumna krs: ta forma prawna jest wpisywana do KRS"),
        (
            {"valid_until": "2025-01-01"},
            "Wiersz 2, kolumna status: ważność skończyła się 2025-01-01",
        ),
    ],
)
def test_each_bad_field_is_named(tmp_path, change, message):
    cpv_vocabulary()
    problems = failing(write(tmp_path, [row(1, **change)]))
    assert len(problems) == 1
    assert problems[0].startswith(message)
    assert not Certificate.objects.exists()


def test_comma_separated_without_bom_and_unknown_heading(tmp_path):
    cpv_vocabulary()
    path = tmp_path / "comma.csv"
    path.write_text(HEADING.replace(";", ",") + "\n" + row(1).replace(";", ",") + "\n")
    out, _err = run(path)
    assert "1 certificates were imported" in out
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(HEADING.replace("valid_until", "valid_to") + "\n" + row(2) + "\n")
    assert failing(wrong) == [
        "Kolumna 14: nagłówek „valid_to” nie jest kolumną importu.",
        "W pliku brak kolumny valid_until.",
    ]
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADING + "\n" + row(3) + "\n").encode("cp1250"))
    assert failing(latin) == ["Plik nie jest tekstem UTF-8: w Excelu zapisz go jako „CSV UTF-8”."]


def test_imported_certificate_is_marked_on_public_page_and_api(client):
    cpv_vocabulary()
    run(EXAMPLE)
    page = client.get(reverse("certificate_detail", args=["ZP-2024-0007"]))
    assert "zaimportowany z rejestru sprzed systemu" in page.content.decode()
    registry = client.get(reverse("registry"))
    assert "zaimportowany z rejestru sprzed systemu" in registry.content.decode()
    api = client.get("/api/v1/certificates/ZP-2024-0007")
    assert api.json()["imported"] is True


def test_imported_certificate_verifies_by_number_and_opens_for_staff(client):
    from tests.factories import officer
    from tests.web import login

    cpv_vocabulary()
    run(EXAMPLE)
    verified = client.get(reverse("verify_number", args=["ZP-2024-0012"]))
    assert verified.status_code == 200
    assert "zaimportowany z rejestru sprzed systemu" in verified.content.decode()
    login(client, officer())
    page = client.get(reverse("staff_certificate", args=["ZP-2024-0012"]))
    assert "imported from the registry kept before the system" in page.content.decode()  # en
    application = Certificate.objects.get(number="ZP/2024/0012").application
    assert client.get(reverse("staff_application", args=[application.pk])).status_code == 200
