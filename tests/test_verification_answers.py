"""Today's verification answers kept ready (models.VerificationAnswer): one query, and the
same answer as the full computation after every change to what verification says."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from certification.api import answer_rows
from certification.domain import lifecycle, organization_changes, versions
from certification.models import Certificate, Organization, VerificationAnswer

from . import api, factories, stages
from .test_registry_import import row, write

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def answered(number: str, *, language: str | None = None, typed: str | None = None) -> dict:
    """Today's answer, checked to come from the ready row in one query and to be exactly what
    the full computation answers."""
    client = api.client(language)
    with CaptureQueriesContext(connection) as ready_queries:
        ready = api.get(client, URL, number=typed or number)
    assert len(ready_queries) == 1, [q["sql"] for q in ready_queries]
    VerificationAnswer.objects.filter(number=number).delete()
    computed = api.get(api.client(language), URL, number=typed or number)
    assert ready.content == computed.content  # the same bytes, key order included
    return ready.json()


def refill(number: str) -> None:
    answer_rows.refresh(
        certificate_ids=Certificate.objects.filter(number=number).values_list("pk", flat=True)
    )


def test_issued_through_the_flow_is_answered_from_its_row():
    certificate = stages.certified(stages.cast())

    body = answered(certificate.number)

    assert body["result"] == "valid"
    assert body["certificate"]["links"]["pdf"]  # the PDF attached after the issue shows


def test_the_row_follows_suspension_reinstatement_and_revocation():
    certificate = factories.certificate()
    officer = factories.officer()

    lifecycle.suspend_certificate(
        certificate=certificate,
        user=officer,
        reason="Brak sprawozdania.",
        correction_until=days(30),
    )
    body = answered(certificate.number)
    assert body["result"] == "suspended"
    assert body["reason"] == "Brak sprawozdania."
    assert body["correction_until"] == days(30).isoformat()

    refill(certificate.number)
    lifecycle.reinstate_certificate(certificate=certificate, user=officer)
    body = answered(certificate.number)
    assert body["result"] == "valid" and body["reason"] == ""

    refill(certificate.number)
    lifecycle.revoke_certificate(certificate=certificate, user=officer, reason="Oszustwo.")
    body = answered(certificate.number)
    assert body["result"] == "revoked" and body["reason"] == "Oszustwo."


def test_past_its_last_day_the_answer_is_expired_before_and_after_the_daily_command():
    certificate = factories.certificate(issued_on=days(-400), valid_until=days(-1))

    # Stored status still "valid": the ready answer no longer holds, the full one says expired.
    assert api.get(api.client(), URL, number=certificate.number).json()["result"] == "expired"

    call_command("certificates_daily", stdout=io.StringIO())
    assert answered(certificate.number)["result"] == "expired"


def test_the_row_follows_a_new_version():
    user = factories.applicant()
    certificate = factories.certificate(
        organization=user.organizations.first(), items=("Catering", "Pranie")
    )
    laundry = certificate.items.order_by("pk").last()

    versions.withdraw_item(certificate=certificate, item=laundry, user=user, reason="Koniec.")

    body = answered(certificate.number)
    assert body["version"]["number"] == 2
    assert [item["name"] for item in body["certificate"]["items"]] == ["Catering"]


def test_the_row_follows_an_approved_change_of_the_organisations_name_and_nip():
    organization = factories.OrganizationFactory(nip=factories.VALID_NIPS[0])
    member = factories.applicant(organization=organization)
    certificate = factories.certificate(organization=organization)
    change = organization_changes.file_request(
        organization=organization,
        user=member,
        name="Fundacja „Nowe Życie”",
        nip=factories.VALID_NIPS[2],
    )

    organization_changes.approve_request(change_request=change, officer=factories.officer())

    body = answered(certificate.number)
    assert body["certificate"]["holder_now"]["name"] == "Fundacja „Nowe Życie”"
    assert body["certificate"]["holder_now"]["nip"] == factories.VALID_NIPS[2]


def test_imported_certificates_are_answered_from_their_rows(tmp_path):
    factories.cpv_vocabulary()
    path = write(
        tmp_path,
        [
            row(1),
            row(
                2, status="zawieszony", status_since=days(-3).isoformat(), status_reason="Kontrola."
            ),
        ],
    )
    with translation.override("pl"):
        call_command("import_registry", str(path), stdout=io.StringIO())

    assert answered("ZP/2024/0001")["result"] == "valid"
    assert answered("ZP/2024/0002")["result"] == "suspended"


def test_the_ready_answer_speaks_the_language_asked_and_repeats_the_query_as_typed():
    factories.cpv_vocabulary()
    certificate = factories.certificate(cpv_codes=("55520000-1",))
    typed = certificate.number.replace("/", "-").lower()

    body = answered(certificate.number, language="en", typed=typed)

    assert body["query"] == typed
    assert body["result_label"] == "Valid"
    assert body["certificate"]["items"][0]["cpv"] == ["55520000-1"]


def test_generated_certificates_are_answered_from_the_rows_the_generator_wrote():
    factories.cpv_vocabulary()  # then the generated items get CPV codes too
    call_command("generate_certificates", "--count", "60", stdout=io.StringIO())
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert VerificationAnswer.objects.filter(number__in=numbers).count() == 60

    answers = [answered(number) for number in numbers]

    assert {"valid", "expired"} <= {answer["result"] for answer in answers}
    codes = {code for a in answers for item in a["certificate"]["items"] for code in item["cpv"]}
    assert "55520000-1" in codes


def test_a_change_made_behind_the_apps_back_is_answered_after_the_refresh_command():
    certificate = factories.certificate()
    Organization.objects.filter(pk=certificate.organization_id).update(name="Fundacja „Inna”")

    call_command("refresh_verification_answers", stdout=io.StringIO())

    assert answered(certificate.number)["certificate"]["holder_now"]["name"] == "Fundacja „Inna”"


def test_the_ready_answer_links_to_the_site_as_it_is_now_configured(settings):
    certificate = factories.certificate()  # its row stored under the tests' SITE_URL
    settings.SITE_URL = "https://rejestr.rops.example.pl"

    links = answered(certificate.number)["certificate"]["links"]

    assert links["page"].startswith("https://rejestr.rops.example.pl/rejestr/")
    assert links["verification"].startswith("https://rejestr.rops.example.pl/")


def test_certificates_from_before_the_ready_answers_get_theirs_from_the_release_step():
    kept, older = factories.certificate(), factories.certificate()
    VerificationAnswer.objects.filter(number=older.number).delete()  # as before migration 0030
    kept_row = VerificationAnswer.objects.get(number=kept.number)
    out = io.StringIO()

    call_command("refresh_verification_answers", "--missing", stdout=out)

    assert "1 verification answers made afresh." in out.getvalue()
    assert answered(older.number)["result"] == "valid"
    assert VerificationAnswer.objects.get(number=kept.number).body == kept_row.body
