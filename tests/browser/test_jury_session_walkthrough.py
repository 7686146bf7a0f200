"""Issue 10's "Done when": the jury as it really works, through the pages in Chromium.

The officer schedules a session and puts three scored applications on its agenda; the chair
records the attendance and three resolutions (a partial grant with the refused item's reason, a
refusal, a grant) and closes the session. The minutes PDF is read by its extracted text; each
applicant has a decision letter; the refused applicant asks for reconsideration, which the jury
decides at the next session, and a final letter follows.

The applications reach the jury through the real flow (tests/stages.py); everything after that
happens on the pages, controls found by their role and accessible name, in Polish.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories, stages
from tests.letters import needs_pdftotext, pdf_text
from tests.mail import run_jobs

from .test_newcomer_walkthrough import field
from .test_walkthrough import log_in, log_out, main_menu

pytestmark = [pytest.mark.django_db(transaction=True), needs_pdftotext]

PLACE = "ROPS Katowice, sala 105"
REFUSED_ITEM_REASON = "Brak rekomendacji od zamawiających spoza regionu."
REFUSAL_REASON = "Oferta nie wykazuje celu społecznego."
RECONSIDERATION_REASONS = "Kapituła pominęła dwie rekomendacje dołączone do wniosku."


def status(page):
    return page.get_by_role("status")


def pdf_at(page, link, tmp_path) -> str:
    """The text of the PDF a link on the page leads to, fetched with the browser's cookies."""
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body(), tmp_path)


# The officer prepares a session.


def officer_schedules(page, officer, numbers: list[str]) -> str:
    """A session that began an hour ago (so it may vote now), the applications on its agenda,
    the agenda sent; the session's number."""
    log_in(page, officer)
    main_menu(page).get_by_role("link", name="Posiedzenia Kapituły").click()
    starts = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Data i godzina").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Miejsce").fill(PLACE)
    page.get_by_role("button", name="Zaplanuj posiedzenie").click()
    expect(status(page)).to_contain_text("Zaplanowano posiedzenie nr")
    session = re.search(r"nr (\d+/\d{4})", status(page).inner_text()).group(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Posiedzenie Kapituły nr {session}")
    for number in numbers:
        choice = page.get_by_label("Wniosek do wpisania do porządku obrad")
        choice.select_option(label=choice.locator("option", has_text=number).inner_text())
        page.get_by_role("button", name="Wpisz do porządku obrad").click()
        expect(status(page)).to_contain_text(
            f"Wniosek {number} jest w porządku obrad posiedzenia nr {session}"
        )
    page.get_by_role("button", name="Wyślij porządek obrad").click()
    expect(status(page)).to_contain_text("Porządek obrad jest wysyłany")
    log_out(page)
    return session


# The chair runs it.


def chair_opens_session(page, chair, members, session: str) -> None:
    log_in(page, chair)
    main_menu(page).get_by_role("link", name="Posiedzenia Kapituły").click()
    page.get_by_role("link", name=f"Posiedzenie nr {session}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Posiedzenie Kapituły nr {session}")
    attendance = page.get_by_role("group", name="Obecni członkowie Kapituły")
    for member in members:
        # The chair's box reads "Dorota Zielińska (przewodniczy Kapitule)".
        attendance.get_by_label(re.compile(rf"^{re.escape(member.get_full_name())}\b")).check()
    page.get_by_role("button", name="Zapisz listę obecności").click()
    expect(status(page)).to_contain_text("Zapisano listę obecności")
    expect(page.get_by_role("main")).to_contain_text("kworum osiągnięte")


def chair_records(
    page,
    number: str,
    *,
    granted: dict[str, bool],
    reasons: dict[str, str],
    votes,
    why: str,
    final: bool = False,
) -> str:
    """The resolution on one agenda item: per item granted, or refused with its reason; the
    votes (for, against, abstaining) and the justification. The resolution's number."""
    page.get_by_role("link", name=f"Zapisz uchwałę w sprawie {number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"uchwała w sprawie {number}")
    lead = "ponowne rozpatrzenie: rozstrzygnięcie będzie ostateczne"
    if final:
        expect(page.get_by_role("main")).to_contain_text(lead)
    else:
        expect(page.get_by_role("main")).not_to_contain_text(lead)
    for item, grant in granted.items():
        group = page.get_by_role("group", name=item, exact=True)
        group.get_by_label("Przyznano" if grant else "Odmówiono", exact=True).check()
        if not grant:
            group.get_by_label(f"Powód odmowy dla „{item}”").fill(reasons[item])
    for label, value in zip(
        ("Głosy za", "Głosy przeciw", "Głosy wstrzymujące się"), votes, strict=True
    ):
        field(page, label).fill(str(value))
    field(page, "Uzasadnienie").fill(why)
    page.get_by_role("button", name="Zapisz uchwałę", exact=True).click()
    expect(status(page)).to_contain_text("Zapisano uchwałę nr")
    return re.search(r"nr (\S+):", status(page).inner_text()).group(1)


def chair_closes(page, session: str) -> None:
    page.get_by_role("button", name="Zamknij posiedzenie").click()
    expect(status(page)).to_contain_text(f"Posiedzenie nr {session} jest zamknięte")
    run_jobs()  # the worker makes the minutes and the letters, and sends the e-mails


# The applicant reads the letters and asks for reconsideration.


def applicant_opens(page, applicant, number: str, next_step: str = "") -> None:
    """From "Moje wnioski", where the row says the next step, to the application's page."""
    log_in(page, applicant)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje wnioski")
    expect(page.get_by_role("row").filter(has_text=number)).to_contain_text(next_step)
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def letters(page):
    return page.get_by_role("link", name=re.compile(r"^Pismo z rozstrzygnięciem:"))


def test_session_resolutions_minutes_letters_and_reconsideration(page, tmp_path):
    officer = factories.officer(first_name="Urszula", last_name="Urzędnik")
    jurors = [
        factories.juror(first_name=first, last_name=last)
        for first, last in (("Anna", "Kowalska"), ("Bartosz", "Nowak"), ("Celina", "Wiśniewska"))
    ]
    chair = factories.juror(chair=True, first_name="Dorota", last_name="Zielińska")
    members = [*jurors, chair]
    casts = [
        stages.Cast(applicant=factories.applicant(), officer=officer, jurors=jurors, chair=chair)
        for _ in range(3)
    ]
    partial, refused, whole = (stages.awaiting_decision(c) for c in casts)
    first_item, second_item = (i.name for i in factories.items_of(partial))
    numbers = [a.number for a in (partial, refused, whole)]
    run_jobs()

    session = officer_schedules(page, officer, numbers)

    chair_opens_session(page, chair, members, session)
    partial_no = chair_records(
        page,
        partial.number,
        granted={first_item: True, second_item: False},
        reasons={second_item: REFUSED_ITEM_REASON},
        votes=(3, 1, 0),
        why="Pierwsza usługa spełnia kryteria znaku, druga nie.",
    )
    refused_items = [i.name for i in factories.items_of(refused)]
    refusal_no = chair_records(
        page,
        refused.number,
        granted=dict.fromkeys(refused_items, False),
        reasons=dict.fromkeys(refused_items, REFUSAL_REASON),
        votes=(0, 4, 0),
        why="Wnioskodawca nie wykazał celu społecznego oferty.",
    )
    grant_no = chair_records(
        page,
        whole.number,
        granted=dict.fromkeys((i.name for i in factories.items_of(whole)), True),
        reasons={},
        votes=(4, 0, 0),
        why="Obie usługi spełniają kryteria znaku.",
    )
    chair_closes(page, session)

    # The minutes, from the link on the session's page.
    page.reload()
    minutes = page.get_by_role("link", name=f"Protokół z posiedzenia nr {session} (PDF)")
    text = pdf_at(page, minutes, tmp_path)
    assert f"Protokół z posiedzenia nr {session} Kapituły" in text
    assert PLACE in text
    for member in members:
        assert member.get_full_name() in text
    for resolution, application in (
        (partial_no, partial),
        (refusal_no, refused),
        (grant_no, whole),
    ):
        assert f"Uchwała nr {resolution}: {application.number}" in text
    assert "3 za, 1 przeciw, 0 wstrzymujących się" in text
    assert "0 za, 4 przeciw, 0 wstrzymujących się" in text
    assert "4 za, 0 przeciw, 0 wstrzymujących się" in text
    assert f"{second_item}: odmówiono — Powód odmowy: {REFUSED_ITEM_REASON}" in text
    log_out(page)

    # Each applicant has a decision letter that says the decision.
    says = {
        partial.number: (
            f"uchwałą nr {partial_no}",
            "przyznała prawo do używania znaku dla części produktów i usług",
            f"Nie przyznano {REFUSED_ITEM_REASON}",
        ),
        refused.number: (f"uchwałą nr {refusal_no}", "nie przyznała prawa do używania znaku"),
        whole.number: (
            f"uchwałą nr {grant_no}",
            "przyznała prawo do używania znaku dla wszystkich",
        ),
    }
    # The refused applicant last: they stay logged in to ask for reconsideration.
    for cast, application in ((casts[0], partial), (casts[2], whole), (casts[1], refused)):
        # A refusal may be contested at once (a partial grant once its certificate is issued).
        may_contest = (
            "możesz złożyć wniosek o ponowne rozpatrzenie" if application is refused else ""
        )
        applicant_opens(page, cast.applicant, application.number, may_contest)
        expect(letters(page)).to_have_count(1)
        text = pdf_at(page, letters(page), tmp_path)
        for phrase in says[application.number]:
            assert phrase in text
        # A refusal and a partial grant tell how to ask for reconsideration; a grant does not.
        assert ("najpóźniej do dnia" in text) is (application is not whole)
        if application is not refused:
            log_out(page)

    # The refused applicant asks for reconsideration, with one file.
    page.get_by_role("link", name="Złóż wniosek o ponowne rozpatrzenie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Złóż wniosek o ponowne rozpatrzenie")
    field(page, "Uzasadnienie wniosku").fill(RECONSIDERATION_REASONS)
    field(page, "Pliki na poparcie wniosku (nieobowiązkowe)").set_input_files(
        {
            "name": "rekomendacje.pdf",
            "mimeType": "application/pdf",
            "buffer": factories.pdf_bytes("rekomendacje"),
        }
    )
    page.get_by_role("button", name="Wyślij wniosek").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(refused.number)
    reconsideration = page.get_by_role("region", name="Ponowne rozpatrzenie")
    expect(reconsideration).to_contain_text(RECONSIDERATION_REASONS)
    expect(reconsideration.get_by_role("link", name="rekomendacje.pdf")).to_be_visible()
    log_out(page)

    # The next session decides it, for good.
    next_session = officer_schedules(page, officer, [refused.number])
    assert next_session != session
    chair_opens_session(page, chair, members, next_session)
    agenda_item = page.get_by_role("heading", level=3).filter(has_text=refused.number)
    expect(agenda_item).to_contain_text("(ponowne rozpatrzenie)")
    final_no = chair_records(
        page,
        refused.number,
        granted=dict.fromkeys(refused_items, True),
        reasons={},
        votes=(4, 0, 0),
        why="Po ponownym rozpatrzeniu: rekomendacje potwierdzają cel społeczny.",
        final=True,
    )
    chair_closes(page, next_session)
    log_out(page)

    applicant_opens(page, casts[1].applicant, refused.number)
    expect(letters(page)).to_have_count(2)
    final = page.get_by_role("listitem").filter(has_text="rozstrzygnięcie ostateczne")
    text = pdf_at(page, final.get_by_role("link"), tmp_path)
    assert f"uchwałą nr {final_no}" in text
    assert "po ponownym rozpatrzeniu sprawy" in text
    assert "jest ostateczne" in text and "najpóźniej do dnia" not in text
    expect(page.get_by_role("main")).to_contain_text(
        "Kapituła przyznała znak, a ROPS przygotowuje certyfikat."
    )
