"""`manage.py seed_demo`, which `make run` calls: every role can log in, an application stands
in every stage, and running it again keeps the data and changes the password."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from certification.choices import SessionStatus
from certification.models import (
    Application,
    Certificate,
    DecisionLetter,
    JurySession,
    Organization,
    User,
)

from .mail import run_jobs

pytestmark = pytest.mark.django_db

STAGES = {
    "draft",
    "submitted",
    "corrections",
    "jury_assignment",
    "scoring",
    "decision",
    "granted",
    "certified",
}


@pytest.fixture(autouse=True)
def demo_file_elsewhere(settings, tmp_path):
    # The command writes the passwords to var/demo-users.txt: not over a developer's own file.
    settings.BASE_DIR = tmp_path


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return re.search(r"password for all of them: (\S+)", out.getvalue()).group(1)


def test_demo_has_an_application_in_every_stage_and_users_who_log_in(client, settings):
    password = seed()

    assert {a.status for a in Application.objects.all()} >= STAGES
    assert Certificate.objects.count() == 1
    # One received on paper, from a PES without an account, awaiting formal review (README).
    on_paper = Application.objects.get(received_on_paper__isnull=False)
    assert on_paper.status == "submitted" and not on_paper.organization.members.exists()
    # The demo certificate is found by the registry's powiat filter.
    certificate = Certificate.objects.get()
    assert certificate.organization.get_powiat_display() == "Katowice"
    listed = client.get("/rejestr/", {"powiat": certificate.organization.powiat}).content.decode()
    assert certificate.number in listed
    assert "wnioskodawca" in (settings.BASE_DIR / "var" / "demo-users.txt").read_text()
    for username in ("urzednik", "juror1", "przewodniczaca", "wnioskodawca"):
        response = client.post("/konto/logowanie/", {"login": username, "password": password})
        assert response.status_code == 302, username
        client.post("/konto/wylogowanie/")


def test_running_again_keeps_the_data_and_gives_a_new_password():
    first = seed()
    applications = Application.objects.count()

    second = seed()

    assert second != first
    assert Application.objects.count() == applications
    assert User.objects.get(username="wnioskodawca").check_password(second)


def test_demo_organisations_are_on_the_map_even_when_seeded_before_the_map():
    seed()
    assert not Organization.objects.filter(latitude__isnull=True).exists()
    # A database seeded before the map: its organisations had no points.
    Organization.objects.update(latitude=None, longitude=None, location_source="")

    seed()

    assert not Organization.objects.filter(latitude__isnull=True).exists()
    assert set(Organization.objects.values_list("location_source", flat=True)) == {"locality"}


def test_refuses_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


# Transactional: the stage e-mails are jobs queued on commit, which a test inside one
# transaction never reaches; without the discarding, the worker sends 16 of them.
@pytest.mark.django_db(transaction=True)
def test_demo_stages_send_no_email_and_only_the_admin_gets_the_admin(mailoutbox, settings):
    mailers = settings.MAILERS
    seed()
    run_jobs()  # what the worker `make run` starts does next

    # The made-up addresses get nothing, and the developer's mail settings are left as found;
    # the demo certificates still get their PDFs.
    assert mailoutbox == []
    assert mailers == settings.MAILERS
    assert Certificate.objects.exists()
    assert not Certificate.objects.filter(pdf="").exists()
    # A closed session with its minutes (it decided the granted and certified applications) and
    # a coming one with the applications awaiting the decision on its agenda.
    closed = JurySession.objects.get(status=SessionStatus.CLOSED)
    assert closed.minutes and closed.minutes_sha256
    assert set(closed.agenda.values_list("application__status", flat=True)) == {
        "granted",
        "certified",
    }
    coming = JurySession.objects.get(status=SessionStatus.SCHEDULED)
    assert coming.agenda.count() == 2
    assert set(coming.agenda.values_list("application__status", flat=True)) == {"decision"}
    assert coming.agenda_sent_count == 1
    # The decisions' letters are made, and sent to nobody.
    assert DecisionLetter.objects.exists()
    assert not DecisionLetter.objects.filter(Q(pdf="") | Q(sent_at__isnull=False)).exists()
    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"admin"}
