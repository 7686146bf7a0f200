"""The officers' reports (under /obsluga/raporty/): the page and the same figures as CSV.

The figures come from certification.domain.reports; these views only pick the year and
present them. Anyone but an officer is told the pages do not exist.
"""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from .. import report_chart
from ..domain import audit, reports
from ..exports import bad_download, excel_csv_writer, safe_cell
from ..forms.reports import ReportPeriodForm
from .staff_certificates import officer_required


def _period(request) -> tuple[ReportPeriodForm, reports.Report]:
    today = timezone.localdate()
    form = ReportPeriodForm(
        request.GET or None, years=reports.report_years(today=today), default=today.year
    )
    return form, reports.build_report(year=form.year(), today=today)


@officer_required
@require_safe
def report_page(request):
    form, report = _period(request)
    return render(
        request,
        "staff/reports.html",
        {
            "form": form,
            "report": report,
            "chart": monthly_chart(report),
            "breakdowns": [
                (report.trends.by_legal_form, gettext("By legal form")),
                (report.trends.by_item_kind, gettext("By kind of item (products and services)")),
            ],
        },
    )


def monthly_chart(report: reports.Report) -> report_chart.Chart:
    series = [
        gettext("Applications submitted"),
        gettext("Applications decided"),
        gettext("Certificates issued"),
    ]
    return report_chart.grouped_bars(
        groups=[
            (m.short, m.label, [m.submitted, m.decided, m.issued]) for m in report.trends.months
        ],
        series=series,
        value_text=lambda month, name, value: f"{month} {report.year}: {name} — {value}",
    )


def _decimal_comma(value: float | None) -> str:
    """Days for Polish Excel: a decimal comma, as it expects with semicolons between cells."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def report_rows(report: reports.Report) -> list[tuple[str, str, str]]:
    """(section, figure, value) for every figure the page shows, in the page's order."""
    year = report.year
    apps, clock, certs = report.applications, report.decision_time, report.certificates
    in_year = gettext("Applications in %(year)s") % {"year": year}
    rows = [(in_year, gettext("Applications submitted"), apps.submitted)]
    rows += [
        (in_year, gettext("Jury resolutions: %(outcome)s") % {"outcome": f.label}, f.count)
        for f in apps.resolutions
    ]
    rows += [
        (in_year, gettext("Formal rejections"), apps.rejections),
        (
            in_year,
            gettext("of which: corrections deadline missed"),
            apps.rejections_deadline_missed,
        ),
    ]
    stages = gettext("Applications by stage, today")
    rows += [(stages, f.label, f.count) for f in apps.by_stage]
    decisions = gettext("Decision time in %(year)s (target: %(target)s days)") % {
        "year": year,
        "target": clock.target_days,
    }
    rows += [
        (decisions, gettext("Applications decided"), clock.decided),
        (decisions, gettext("Median, in days"), _decimal_comma(clock.median_days)),
        (decisions, gettext("Longest, in days"), _decimal_comma(clock.longest_days)),
        (decisions, gettext("Decided within the target"), clock.within_target),
    ]
    overdue = gettext("Open applications past the target, today (days since the file was complete)")
    rows += [(overdue, f"{a.number} — {a.organization}", a.days) for a in clock.overdue]
    issued = gettext("Certificates in %(year)s") % {"year": year}
    rows.append((issued, gettext("Certificates issued"), certs.issued))
    statuses = gettext("Certificates by status, today")
    rows += [(statuses, f.label, f.count) for f in certs.by_status]
    soon = gettext("Valid certificates expiring within %(days)s days") % {
        "days": certs.expiring_within_days
    }
    rows.append((statuses, soon, certs.expiring_soon))
    powiats = gettext("Valid certificates by powiat, today")
    rows += [(powiats, f.label, f.count) for f in certs.by_powiat]
    rows += trend_rows(report)
    return [tuple(safe_cell(str(cell)) for cell in row) for row in rows]


def trend_rows(report: reports.Report) -> list[tuple[str, str, object]]:
    """The figures of time in each stage, the breakdowns and the months, as CSV rows."""
    year, trends = report.year, report.trends
    rows = []
    stages = gettext("Days spent in each stage, stays ended in %(year)s") % {"year": year}
    for stage in trends.stage_times:
        rows += [
            (stages, gettext("%(stage)s: stays") % {"stage": stage.label}, stage.stays),
            (
                stages,
                gettext("%(stage)s: median, in days") % {"stage": stage.label},
                _decimal_comma(stage.median_days),
            ),
            (
                stages,
                gettext("%(stage)s: 90th percentile, in days") % {"stage": stage.label},
                _decimal_comma(stage.p90_days),
            ),
        ]
    for section, breakdown in (
        (gettext("By legal form"), trends.by_legal_form),
        (gettext("By kind of item (products and services)"), trends.by_item_kind),
    ):
        for row in breakdown:
            rows += [
                (
                    section,
                    f"{row.label}: " + gettext("submitted in %(year)s") % {"year": year},
                    row.applications,
                ),
                (
                    section,
                    f"{row.label}: " + gettext("issued in %(year)s") % {"year": year},
                    row.issued,
                ),
                (section, f"{row.label}: " + gettext("valid today"), row.valid_today),
            ]
    months = gettext("Month by month in %(year)s") % {"year": year}
    for month in trends.months:
        rows += [
            (months, f"{month.label}: " + gettext("applications submitted"), month.submitted),
            (months, f"{month.label}: " + gettext("applications decided"), month.decided),
            (months, f"{month.label}: " + gettext("certificates issued"), month.issued),
        ]
    return rows


@officer_required
@require_safe
def report_csv(request):
    form, report = _period(request)
    if form.errors:
        # A download never silently gives another year than the one asked for.
        return bad_download(form)
    buffer = io.StringIO()
    writer = excel_csv_writer(buffer)
    writer.writerow([gettext("Section"), gettext("Figure"), gettext("Value")])
    writer.writerows(report_rows(report))
    response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    filename = f"raport-zakup-prospoleczny-{report.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit.record(actor=request.user, action="reports.exported", message=filename, year=report.year)
    return response
