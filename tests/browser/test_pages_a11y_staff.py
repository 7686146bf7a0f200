"""Every staff page, in Polish, passes the axe scan and the keyboard pass.

Each case drives the real flow (tests.stages) to the stage where its page exists, logs in as
the officer, juror or chair who works there, opens the page and returns the title it expects.
"""

import datetime

import pytest
from django.utils import timezone, translation

from certification.choices import CertificateTransition
from certification.domain import lifecycle
from certification.models import Application
from tests import factories, stages

from .a11y import check_page
from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


def _task(page, user, application, node, owner=None) -> None:
    task = stages.open_task(application, node, owner=owner)
    open_as(page, user, f"/obsluga/zadania/{task.pk}/")


def inbox_officer(page):
    c = stages.cast()
    stages.submitted(c)
    stages.awaiting_jury(c)
    open_as(page, c.officer, "/obsluga/")
    return "Moje zadania"


def inbox_juror(page):
    c = stages.cast()
    stages.scoring(c)
    open_as(page, c.jurors[0], "/obsluga/")
    return "Moje zadania"


def inbox_chair(page):
    c = stages.cast()
    stages.awaiting_decision(c)
    open_as(page, c.chair, "/obsluga/")
    return "Moje zadania"


def inbox_officer_due_dates(page):
    """Overdue first: an ended suspension, corrections awaited, a task with no due date."""
    c = stages.cast()
    stages.submitted(c)
    c.applicant = factories.applicant()
    stages.in_corrections(c)
    certificate = factories.certificate(
        issued_on=timezone.localdate() - datetime.timedelta(days=60), status="suspended"
    )
    lifecycle.record_change(
        certificate=certificate,
        transition=CertificateTransition.SUSPEND,
        actor=c.officer,
        effective=timezone.now() - datetime.timedelta(days=30),
        reason="Brak sprawozdania.",
        correction_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    open_as(page, c.officer, "/obsluga/")
    return "Moje zadania"


def application_file_corrections(page):
    c = stages.cast()
    application = stages.in_corrections(c)
    open_as(page, c.officer, f"/obsluga/wnioski/{application.pk}/")
    return f"Wniosek {application.number}"


def extend_deadline_errors(page):
    c = stages.cast()
    application = stages.in_corrections(c)
    open_as(page, c.officer, f"/obsluga/wnioski/{application.pk}/")
    page.get_by_role("button", name="Przedłuż termin").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def scoring_due_change(page):
    c = stages.cast()
    application = stages.scoring(c)
    assignment = application.assignments.get(juror=c.jurors[0])
    open_as(page, c.officer, f"/obsluga/wnioski/{application.pk}/oceny/{assignment.pk}/termin/")
    page.get_by_role("button", name="Zmień termin").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def applications_list(page):
    c = stages.cast()
    stages.submitted(c)
    stages.in_corrections(c)
    stages.awaiting_decision(c)
    open_as(page, c.officer, "/obsluga/wnioski/")
    return "Wnioski"


def application_file(page):
    c = stages.cast()
    certificate = stages.certified(c)
    open_as(page, c.officer, f"/obsluga/wnioski/{certificate.application_id}/")
    return f"Wniosek {certificate.application.number}"


def task_formal_review(page):
    c = stages.cast()
    application = stages.submitted(c)
    _task(page, c.officer, application, stages.flow.formal_review)
    return application.number


def task_formal_review_errors(page):
    c = stages.cast()
    application = stages.submitted(c)
    _task(page, c.officer, application, stages.flow.formal_review)
    page.get_by_role("button", name="Zapisz ocenę").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def task_assign_jury(page):
    c = stages.cast()
    application = stages.awaiting_jury(c)
    _task(page, c.officer, application, stages.flow.assign_jury)
    return application.number


def task_score_declaration(page):
    c = stages.cast()
    application = stages.scoring(c)
    _task(page, c.jurors[0], application, stages.flow.score, owner=c.jurors[0])
    return "Deklaracja bezstronności"


def task_score_scorecard(page):
    c = stages.cast()
    application = stages.scoring_declared(c)
    _task(page, c.jurors[0], application, stages.flow.score, owner=c.jurors[0])
    return application.number


def task_score_scorecard_errors(page):
    c = stages.cast()
    application = stages.scoring_declared(c)
    _task(page, c.jurors[0], application, stages.flow.score, owner=c.jurors[0])
    page.get_by_role("button", name="Sprawdź odpowiedzi").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def task_score_check_answers(page):
    c = stages.cast()
    application = stages.scoring_declared(c)
    _task(page, c.jurors[0], application, stages.flow.score, owner=c.jurors[0])
    for points in page.get_by_label("Punkty").all():
        points.fill("3")
    for justification in page.get_by_label("Uzasadnienie").all():
        justification.fill("Uzasadnienie oceny.")
    page.get_by_role("button", name="Sprawdź odpowiedzi").click()
    page.get_by_role("button", name="Prześlij kartę oceny").wait_for()
    return "Sprawdź odpowiedzi"


def task_resolution(page):
    c = stages.cast()
    application = stages.awaiting_decision(c)
    _task(page, c.chair, application, stages.flow.resolution)
    return application.number


def sessions_list(page):
    c = stages.cast()
    stages.resolve(c, stages.awaiting_decision(c))
    stages.schedule(c)
    open_as(page, c.officer, "/obsluga/posiedzenia/")
    return "Posiedzenia Kapituły"


def session_page_officer(page):
    c = stages.cast()
    item = stages.on_agenda(c, stages.awaiting_decision(c))
    stages.awaiting_decision(c)  # ready to be put on the agenda
    open_as(page, c.officer, f"/obsluga/posiedzenia/{item.session_id}/")
    return f"Posiedzenie Kapituły nr {item.session.number}"


def session_page_chair(page):
    c = stages.cast()
    item = stages.on_agenda(c, stages.awaiting_decision(c))
    open_as(page, c.chair, f"/obsluga/posiedzenia/{item.session_id}/")
    return f"Posiedzenie Kapituły nr {item.session.number}"


def session_item_resolution_errors(page):
    c = stages.cast()
    item = stages.on_agenda(c, stages.awaiting_decision(c))
    open_as(page, c.chair, f"/obsluga/posiedzenia/{item.session_id}/porzadek/{item.pk}/")
    page.get_by_role("button", name="Zapisz uchwałę").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def my_sessions(page):
    c = stages.cast()
    stages.on_agenda(c, stages.awaiting_decision(c))
    open_as(page, c.jurors[0], "/obsluga/moje-posiedzenia/")
    return "Moje posiedzenia"


def task_issue(page):
    c = stages.cast()
    application = stages.granted(c)
    _task(page, c.officer, application, stages.flow.issue)
    return application.number


def reports(page):
    c = stages.cast()
    stages.certified(c)
    c.applicant = factories.applicant()
    late = stages.scoring(c)  # past the target: the page lists it in a table
    Application.objects.filter(pk=late.pk).update(
        complete_at=timezone.now() - datetime.timedelta(days=100)
    )
    open_as(page, c.officer, "/obsluga/raporty/")
    with translation.override("pl"):
        return translation.gettext("Reports")


def reports_errors(page):
    c = stages.cast()
    stages.certified(c)
    open_as(page, c.officer, "/obsluga/raporty/?rok=abc")
    return "Błąd"


def paper_register(page):
    c = stages.cast()
    open_as(page, c.officer, "/obsluga/wnioski/papierowy/")
    return "Zarejestruj wniosek złożony na papierze"


def paper_register_errors(page):
    c = stages.cast()
    open_as(page, c.officer, "/obsluga/wnioski/papierowy/")
    page.get_by_role("button", name="Zarejestruj", exact=True).click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def paper_application_file(page):
    c = stages.cast()
    application = stages.paper_submitted(c)
    open_as(page, c.officer, f"/obsluga/wnioski/{application.pk}/")
    return f"Wniosek {application.number}"


def paper_take_over(page):
    c = stages.cast()
    application = stages.paper_submitted(c)
    open_as(page, c.officer, f"/obsluga/wnioski/{application.pk}/przekazanie/")
    return "Zaproszenie organizacji do przejęcia wniosku"


def task_paper_corrections(page):
    c = stages.cast()
    application = stages.paper_submitted(c)
    stages.driver.return_for_corrections(
        c, application, [(application.documents.first(), "Statut bez podpisu.")]
    )
    _task(page, c.officer, application, stages.flow.corrections)
    return "Uzupełnienia otrzymane na papierze"


STAFF = [
    inbox_officer,
    inbox_juror,
    inbox_chair,
    inbox_officer_due_dates,
    applications_list,
    application_file,
    application_file_corrections,
    extend_deadline_errors,
    scoring_due_change,
    task_formal_review,
    task_formal_review_errors,
    task_assign_jury,
    task_score_declaration,
    task_score_scorecard,
    task_score_scorecard_errors,
    task_score_check_answers,
    task_resolution,
    sessions_list,
    session_page_officer,
    session_page_chair,
    session_item_resolution_errors,
    my_sessions,
    task_issue,
    reports,
    reports_errors,
    paper_register,
    paper_register_errors,
    paper_application_file,
    paper_take_over,
    task_paper_corrections,
]


@pytest.mark.parametrize("open_page", STAFF, ids=lambda f: f.__name__)
def test_staff_page_is_accessible(page, open_page):
    expected_title = open_page(page)
    assert expected_title in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []
