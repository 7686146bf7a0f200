"""The officers' reports page and its CSV: who may see them, the figures, the year, queries."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Application, Certificate
from workflows import services

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db

PAGE = reverse("staff_reports")
CSV = reverse("staff_reports_csv")
TODAY = timezone.localdate()
THIS, LAST = TODAY.year, TODAY.year - 1
DAY = datetime.timedelta(days=1)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def tables(html: str) -> dict[str, list[list[str]]]:
    """The page's tables as an officer reads them: caption → body rows of cell texts."""
    found = re.findall(r"<caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>", main_part(html), re.S)
    return {
        _text(caption): [
            [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        ]
        for caption, body in found
    }


def figures(html: str, caption: str) -> dict[str, str]:
    return {row[0]: row[1] for row in tables(html)[caption]}


def csv_figures(response) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Section", "Figure", "Value"]
    return {(section, figure): value for section, figure, value in rows[1:]}


def noon(days_ago: int, *, on: datetime.date = TODAY) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(on - days_ago * DAY, datetime.time(12)))


def fresh(c: stages.Cast) -> stages.Cast:
    """The same officer and jury, a new applicant organisation (one application each)."""
    c.applicant = factories.applicant()
    return c


def complete_days_ago(application: Application, days: int) -> Application:
    Application.objects.filter(pk=application.pk).update(complete_at=noon(days))
    return application


@pytest.fixture
def scheme():
    """Applications in every state this year, and one certified last year."""
    c = stages.cast()
    stages.submitted(fresh(c))
    missed = stages.in_corrections(fresh(c))
    Application.objects.filter(pk=missed.pk).update(corrections_deadline=TODAY - DAY)
    call_command("applications_daily", stdout=io.StringIO())  # formally rejects it
    stages.in_corrections(fresh(c))
    rejected = stages.submitted(fresh(c))
    task = stages.open_task(rejected, stages.flow.formal_review)
    services.formal_review(task_pk=task.pk, user=c.officer, outcome="reject", note="Nie PES.")
    late = [
        complete_days_ago(stages.scoring(fresh(c)), 120),
        complete_days_ago(stages.awaiting_decision(fresh(c)), 100),
    ]
    complete_days_ago(stages.scoring(fresh(c)), 5)
    for days, resolve in ((21, "refuse"), (30, "partly"), (95, "grant"), (10, "certify")):
        application = complete_days_ago(stages.awaiting_decision(fresh(c)), days)
        if resolve == "partly":
            stages.resolve(c, application, only=list(application.items.all())[:1])
        else:
            stages.resolve(c, application, grant=resolve != "refuse")
        if resolve == "certify":
            task = stages.open_task(application, stages.flow.issue)
            services.issue_certificate(task_pk=task.pk, user=c.officer)
    old = stages.certified(fresh(c))
    Application.objects.filter(pk=old.application_id).update(
        submitted_at=noon(0, on=datetime.date(LAST, 3, 1)),
        complete_at=noon(0, on=datetime.date(LAST, 4, 1)),
        decided_at=noon(0, on=datetime.date(LAST, 5, 31)),
    )
    Certificate.objects.filter(pk=old.pk).update(issued_on=datetime.date(LAST, 6, 1))
    return {"cast": c, "late": late}


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "applicant", "juror", "chair"])
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_reports_anonymous_go_to_login_and_non_officers_get_404(client, role, url):
    c = stages.cast()
    if role == "anonymous":
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        user = {"applicant": c.applicant, "juror": c.jurors[0], "chair": c.chair}[role]
        assert login(client, user).get(url).status_code == 404


def test_reports_link_in_the_menu_for_officers_only(client):
    c = stages.cast()
    link = f'href="{PAGE}"'
    assert link in login(client, c.officer).get(reverse("staff_inbox")).content.decode()
    client.logout()
    assert link not in login(client, c.jurors[0]).get(reverse("staff_inbox")).content.decode()


# --- the figures ------------------------------------------------------------------------------


def test_reports_page_shows_this_years_figures_and_the_late_files(client, scheme):
    html = login(client, scheme["cast"].officer).get(PAGE).content.decode()
    # fmt: off
    assert figures(html, f"Applications in {THIS}") == {
        "Applications submitted": "11", "Jury resolutions: Granted": "2",
        "Jury resolutions: Granted for some items": "1", "Jury resolutions: Refused": "1",
        "Formal rejections": "2", "of which: corrections deadline missed": "1",
    }
    assert figures(html, "Applications by stage, today") == {
        "Submitted, awaiting formal review": "1", "Returned for corrections": "1",
        "Formally accepted, awaiting jury assignment": "0", "Being scored by the jury": "2",
        "Awaiting the jury's resolution": "1", "Granted, awaiting certificate": "2",
        "Certificate issued": "2", "Refused by the jury": "1", "Formally rejected": "2",
        "Reconsideration requested, awaiting a second decision": "0",
    }
    assert "within 90 days of a complete file" in html
    assert figures(html, f"Decisions in {THIS}") == {  # after 10, 21, 30 and 95 days
        "Applications decided": "4", "Median, in days": "25.5", "Longest, in days": "95",
        "Decided within the target": "3",
    }
    # fmt: on
    scoring, deciding = scheme["late"]
    rows = tables(html)["2 open applications past the target, today, oldest first"]
    assert [(row[0], row[1], row[2], row[4]) for row in rows] == [
        (scoring.number, scoring.organization.name, "Being scored by the jury", "120"),
        (deciding.number, deciding.organization.name, "Awaiting the jury's resolution", "100"),
    ]
    for application in (scoring, deciding):
        assert f'href="{reverse("staff_application", args=[application.pk])}"' in html


def test_reports_count_a_reconsidered_application_by_the_resolution_in_force(client):
    c = stages.cast()
    application = stages.refused(c)
    stages.request_reconsideration(c, application)
    login(client, c.officer)

    html = client.get(PAGE).content.decode()
    assert figures(html, f"Applications in {THIS}")["Jury resolutions: Refused"] == "1"
    stage = "Reconsideration requested, awaiting a second decision"
    assert figures(html, "Applications by stage, today")[stage] == "1"

    stages.decide_reconsideration(c, application)  # the jury grants it, finally

    decided = figures(client.get(PAGE).content.decode(), f"Applications in {THIS}")
    assert (
        decided["Jury resolutions: Granted"],
        decided["Jury resolutions: Refused"],
        decided["Jury resolutions: Granted for some items"],
    ) == ("1", "0", "0")


def test_reports_page_for_last_year(client, scheme):
    html = login(client, scheme["cast"].officer).get(PAGE, {"rok": LAST}).content.decode()
    # The years offered run from the first submission to this year.
    assert f'<option value="{LAST}" selected>{LAST}</option>' in html
    assert f'<option value="{THIS}">{THIS}</option>' in html
    assert f'<option value="{LAST - 1}"' not in html
    last_year = figures(html, f"Applications in {LAST}")
    assert (last_year["Applications submitted"], last_year["Jury resolutions: Granted"]) == (
        "1",
        "1",
    )
    assert last_year["Formal rejections"] == "0"
    assert list(figures(html, f"Decisions in {LAST}").values()) == ["1", "60", "60", "1"]
    assert f"1 certificate was issued in {LAST}." in html
    # "Today" figures do not depend on the year.
    assert figures(html, "Applications by stage, today")["Certificate issued"] == "2"


def test_reports_page_with_nothing_yet_offers_this_year_only(client):
    html = login(client, factories.officer()).get(PAGE).content.decode()
    assert html.count("<option ") == 1
    assert figures(html, f"Applications in {THIS}")["Applications submitted"] == "0"
    assert figures(html, f"Decisions in {THIS}")["Median, in days"] == "—"
    assert "No open application is past the target today." in html
    assert "No valid certificates today." in html


@pytest.mark.parametrize("rok", ["abc", str(LAST - 5), f"{THIS}.0", ""])
def test_reports_bad_year_shows_the_message_and_this_years_figures(client, rok):
    factories.certificate()
    response = login(client, factories.officer()).get(PAGE, {"rok": rok})
    assert response.status_code == 200
    html = response.content.decode()
    if rok:
        assert '<p class="error-message" id="id_rok_error">Choose a year from the list.</p>' in html
        assert "There is a problem" in html
        assert "<title>Error:" in html
    else:  # the form sent with no year chosen: the default, no error
        assert "error-message" not in html
    assert f"Applications in {THIS}" in html
    assert f"1 certificate was issued in {THIS}." in html


def test_reports_certificates_by_status_expiry_and_powiat(client):
    katowice = factories.OrganizationFactory(powiat="2469")
    bielski = factories.OrganizationFactory(powiat="2402")
    december = datetime.date(LAST, 12, 1)
    # fmt: off
    factories.certificate(organization=katowice)
    factories.certificate(organization=katowice, issued_on=december, valid_until=TODAY + 30 * DAY)
    factories.certificate(organization=bielski, valid_until=TODAY + 60 * DAY)
    factories.certificate(valid_until=TODAY + 61 * DAY)  # no powiat given
    factories.certificate(organization=bielski, status="suspended", valid_until=TODAY + 10 * DAY)
    factories.certificate(organization=katowice, status="revoked")
    factories.certificate(issued_on=december - 300 * DAY, valid_until=TODAY - DAY)
    factories.certificate(issued_on=december - 310 * DAY, valid_until=TODAY - DAY, status="expired")
    html = login(client, factories.officer()).get(PAGE).content.decode()
    assert f"5 certificates were issued in {THIS}." in html
    assert figures(html, "Certificates by status, today") == {
        "Valid": "4", "Suspended": "1", "Revoked": "1", "Expired": "2",
        "Valid certificates expiring within 60 days": "2",
    }
    # fmt: on
    rows = tables(html)["Valid certificates by powiat, today"]
    assert rows == [["Katowice", "2"], ["powiat bielski", "1"], ["not given", "1"]]


# --- the CSV -----------------------------------------------------------------------------------


def test_reports_csv_has_the_same_figures_for_polish_excel(client, scheme):
    response = login(client, scheme["cast"].officer).get(CSV, {"rok": THIS})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = f'attachment; filename="raport-zakup-prospoleczny-{THIS}.csv"'
    assert response["Content-Disposition"] == disposition
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    data = csv_figures(response)
    decisions = f"Decision time in {THIS} (target: 90 days)"
    late = "Open applications past the target, today (days since the file was complete)"
    assert data[(f"Applications in {THIS}", "Applications submitted")] == "11"
    assert data[(f"Applications in {THIS}", "of which: corrections deadline missed")] == "1"
    assert data[("Applications by stage, today", "Being scored by the jury")] == "2"
    assert data[(decisions, "Median, in days")] == "25,5"  # Polish Excel's decimal comma
    assert data[(decisions, "Decided within the target")] == "3"
    assert [(figure, value) for (section, figure), value in data.items() if section == late] == [
        (f"{a.number} — {a.organization.name}", days)
        for a, days in zip(scheme["late"], ("120", "100"), strict=True)
    ]
    assert data[(f"Certificates in {THIS}", "Certificates issued")] == "1"
    assert data[("Certificates by status, today", "Valid")] == "2"
    assert data[("Valid certificates by powiat, today", "not given")] == "2"


def test_reports_csv_is_this_years_without_a_year_and_refused_for_a_bad_one(client):
    factories.certificate(organization=factories.OrganizationFactory(powiat="2469"))
    login(client, factories.officer())
    response = client.get(CSV)
    assert f"raport-zakup-prospoleczny-{THIS}.csv" in response["Content-Disposition"]
    assert csv_figures(response)[("Valid certificates by powiat, today", "Katowice")] == "1"
    response = client.get(CSV, {"rok": "abc"})  # never another year than the one asked for
    assert response.status_code == 400
    assert "Choose a year from the list." in response.content.decode()


# --- queries -----------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_reports_query_count_does_not_grow_with_applications_or_certificates(client):
    c = stages.cast()
    stages.certified(fresh(c))
    complete_days_ago(stages.scoring(fresh(c)), 100)
    login(client, c.officer)
    one = _queries(client, PAGE), _queries(client, CSV)
    for _ in range(2):
        stages.certified(fresh(c))
        complete_days_ago(stages.scoring(fresh(c)), 100)
    html = client.get(PAGE).content.decode()
    assert figures(html, "Certificates by status, today")["Valid"] == "3"
    assert figures(html, f"Decisions in {THIS}")["Applications decided"] == "3"
    assert len(tables(html)["3 open applications past the target, today, oldest first"]) == 3
    assert (_queries(client, PAGE), _queries(client, CSV)) == one
