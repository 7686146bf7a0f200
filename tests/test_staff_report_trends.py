"""The reports' time in each stage, breakdowns, months and chart (issue 11 §8), against
hand-made data."""

import datetime
import re

import pytest
from django.utils import timezone

from certification.audit_chain import GENESIS, event_hash
from certification.choices import LegalForm
from certification.models import Application, ApplicationItem, AuditEvent

from . import factories
from .test_staff_reports import CSV, PAGE, THIS, csv_figures, figures, tables
from .web import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def at(month: int, day: int, hour: int = 12, year: int = THIS) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def moved(application, from_state: str, to_state: str, when: datetime.datetime) -> None:
    """A status change in the audit log as audit.change_status writes it, at `when`."""
    last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
    event = AuditEvent(
        action=f"application.{to_state}",
        application=application,
        from_state=from_state,
        to_state=to_state,
        timestamp=when,
        details={},
        previous_hash=last or GENESIS,
    )
    event.hash = event_hash(event)
    event.save()


def application(organization=None, *, submitted=None, decided=None, kinds=("service",)):
    user = factories.UserFactory(password=None)
    made = Application.objects.create(
        organization=organization or factories.OrganizationFactory(),
        created_by=user,
        social_goals="Cele.",
        status="submitted",
        submitted_at=submitted,
        decided_at=decided,
    )
    for n, kind in enumerate(kinds):
        ApplicationItem.objects.create(application=made, name=f"{kind} {n}", kind=kind)
    return made


def test_time_in_each_stage_median_and_90th_percentile(client):
    a, b, c, d = (application() for _ in range(4))
    # Submitted: stays of 2, 4 and 10 days ended this year.
    for app, days in ((a, 2), (b, 4), (c, 10)):
        moved(app, "draft", "submitted", at(3, 1))
        moved(app, "submitted", "jury_assignment", at(3, 1) + datetime.timedelta(days=days))
    # Scoring: one stay of 7.5 days; a stay ended last year and one still going are not counted.
    moved(a, "jury_assignment", "scoring", at(3, 20))
    moved(a, "scoring", "decision", at(3, 28, hour=0))
    moved(d, "jury_assignment", "scoring", at(12, 1, year=THIS - 1))
    moved(d, "scoring", "decision", at(12, 20, year=THIS - 1))
    moved(d, "decision", "granted", at(1, 5))  # the decision stay began last year: 16 days
    moved(b, "jury_assignment", "scoring", at(4, 1))
    login(client, factories.officer())
    html = client.get(PAGE).content.decode()
    rows = {r[0]: r[1:] for r in tables(html)[f"Days spent in each stage, stays ended in {THIS}"]}
    assert rows["Submitted, awaiting formal review"] == ["3", "4", "8.8"]
    assert rows["Being scored by the jury"] == ["1", "7.5", "7.5"]
    assert rows["Awaiting the jury's resolution"] == ["1", "16", "16"]
    assert rows["Returned for corrections"] == ["0", "—", "—"]
    csv = csv_figures(client.get(CSV))
    section = f"Days spent in each stage, stays ended in {THIS}"
    assert csv[(section, "Submitted, awaiting formal review: 90th percentile, in days")] == "8,8"
    assert csv[(section, "Submitted, awaiting formal review: median, in days")] == "4"


def test_breakdowns_by_legal_form_and_kind_of_item(client):
    foundation = factories.OrganizationFactory(legal_form=LegalForm.FOUNDATION)
    cooperative = factories.OrganizationFactory()
    application(foundation, submitted=at(2, 1), kinds=("product", "service", "service"))
    application(cooperative, submitted=at(2, 3), kinds=("service",))
    application(cooperative, submitted=at(2, 3, year=THIS - 1), kinds=("product",))
    factories.certificate(organization=foundation, items=("Miód", "Konfitury"))  # products
    factories.certificate(
        organization=cooperative,
        issued_on=datetime.date(THIS - 1, 1, 10),
        valid_until=datetime.date(THIS + 1, 1, 10),
        items=("Chleb",),
    )
    factories.certificate(organization=cooperative, status="revoked", items=("Ser",))
    login(client, factories.officer())
    html = client.get(PAGE).content.decode()
    assert tables(html)["By legal form"] == [
        ["Social cooperative", "1", "1", "1"],
        ["Foundation", "1", "1", "1"],
    ]
    kinds = {row[0]: row[1:] for row in tables(html)["By kind of item (products and services)"]}
    # Issued this year: Miód, Konfitury, Ser; valid today: Miód, Konfitury, Chleb.
    assert kinds["Product"] == ["1", "3", "3"]
    assert kinds["Service"] == ["3", "0", "0"]


def test_month_by_month_table_chart_and_csv(client):
    application(submitted=at(1, 15))
    application(submitted=at(1, 20), decided=at(3, 2))
    application(submitted=at(3, 5))
    factories.certificate(issued_on=datetime.date(THIS, 3, 10))
    login(client, factories.officer())
    html = client.get(PAGE).content.decode()
    months = figures(html, f"Month by month in {THIS}")
    rows = {row[0]: row[1:] for row in tables(html)[f"Month by month in {THIS}"]}
    assert rows["January"] == ["2", "0", "0"]
    assert rows["March"] == ["1", "1", "1"]
    assert len(months) == 12
    # The chart: an accessible SVG with one bar per month and series, each titled.
    assert 'role="img" aria-labelledby="trend-chart-title trend-chart-desc"' in html
    assert f'<title id="trend-chart-title">Month by month in {THIS}</title>' in html
    assert html.count("<rect ") == 12 * 3 + 3  # the bars and the legend's keys
    assert f"<title>January {THIS}: Applications submitted — 2</title>" in html
    assert "<script" not in html.split('class="chart"')[1].split("</figure>")[0]
    csv = csv_figures(client.get(CSV))
    assert csv[(f"Month by month in {THIS}", "March: certificates issued")] == "1"


def test_chart_numbers_stay_numbers_in_polish(client, settings):
    """SVG coordinates take a decimal point, whatever the page's language writes."""
    application(submitted=at(1, 15))
    application(submitted=at(2, 15))
    application(submitted=at(2, 16))
    login(client, factories.officer())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    html = client.get(PAGE).content.decode()
    svg = html.split('class="chart"')[1].split("</svg>")[0]
    assert "Miesiąc po miesiącu" in svg
    assert re.findall(r'(?:x|y|width|height)="[^"]*,[^"]*"', svg) == []
    assert 'height="220.0"' in svg  # February's bar: the peak, the whole plot's height


def test_new_figures_add_no_query_per_application_or_certificate(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one_more():
        made = application(submitted=at(2, 1), decided=at(3, 1), kinds=("product", "service"))
        moved(made, "draft", "submitted", at(2, 1))
        moved(made, "submitted", "jury_assignment", at(2, 5))
        factories.certificate(issued_on=datetime.date(THIS, 3, 1))

    def queries() -> tuple[int, int]:
        counts = []
        for url in (PAGE, CSV):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return tuple(counts)

    one_more()
    login(client, factories.officer())
    first = queries()
    for _ in range(4):
        one_more()
    html = client.get(PAGE).content.decode()
    months = {row[0]: row[1:] for row in tables(html)[f"Month by month in {THIS}"]}
    assert months["February"][0] == "5" and months["March"] == ["0", "5", "5"]
    assert queries() == first
