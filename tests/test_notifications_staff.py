"""Staff hear about what concerns them: the officers when corrections arrive or a file passes its
decision target, a juror when assigned (with the day the scorecard is expected) and when it is
overdue, the chair when a session with undecided items is near. Each in the recipient's
language; each daily reminder once, however often the daily job runs.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.domain import users
from certification.models import SchemeRules
from workflows import services

from . import stages
from .mail import day_in, in_language, run_jobs, sent_mail

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def c():
    cast = stages.cast()
    users.set_language(user=cast.officer, language="en")
    users.set_language(user=cast.jurors[0], language="en")
    return cast


def mails_to(user) -> list:
    return [m for m in sent_mail() if user.email in m.to + m.bcc]


def reminders_daily(today: datetime.date, capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("reminders_daily", today=today, stdout=out)
    run_jobs()
    return out.getvalue()


def test_officer_told_when_corrections_arrive(c, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.in_corrections(c)
    run_jobs()
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_corrections(
            task_pk=stages.open_task(application, stages.flow.corrections).pk,
            user=c.applicant,
            answer="OK",
        )

    [message] = mails_to(c.officer)
    assert message.subject == in_language(
        "en", "Corrections received: application %(number)s", number=application.number
    )
    assert reverse("staff_application", args=[application.pk]) in message.body
    # The applicant still gets its own confirmation; no juror hears of it.
    assert mails_to(c.applicant)
    assert not any(mails_to(juror) for juror in c.jurors)


def test_officer_who_is_a_member_of_the_applicant_is_not_told(
    c, django_capture_on_commit_callbacks
):
    application = stages.in_corrections(c)
    c.applicant.organizations.first().members.add(c.officer)  # joined since the review
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_corrections(
            task_pk=stages.open_task(application, stages.flow.corrections).pk,
            user=c.applicant,
            answer="OK",
        )
    staff_subject = in_language(
        "en", "Corrections received: application %(number)s", number=application.number
    )
    assert staff_subject not in [m.subject for m in sent_mail()]


def test_each_juror_assigned_is_told_the_due_date_in_their_language(
    c, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.scoring(c)

    due = TODAY + datetime.timedelta(days=SchemeRules.current().scoring_days)
    msgid = "Application %(number)s to score by %(date)s"
    for juror in c.jurors:
        language = "en" if juror == c.jurors[0] else "pl"
        [message] = mails_to(juror)
        assert message.subject == in_language(
            language, msgid, number=application.number, date=day_in(language, due)
        )
        assert message.bcc == []  # jurors do not see each other's addresses
    assert "declare your impartiality" in mails_to(c.jurors[0])[0].body


def test_overdue_scoring_reminds_each_juror_still_to_score_once(
    c, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.scoring(c)
        stages.score_as(application, c.jurors[2])
    run_jobs()
    sent_mail().clear()
    due = TODAY + datetime.timedelta(days=SchemeRules.current().scoring_days)

    assert "0 scoring" in reminders_daily(due, django_capture_on_commit_callbacks)
    assert sent_mail() == []

    output = reminders_daily(due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    reminders_daily(due + datetime.timedelta(days=2), django_capture_on_commit_callbacks)

    assert "2 scoring" in output
    [english] = mails_to(c.jurors[0])
    assert english.subject == in_language(
        "en", "Scoring overdue: application %(number)s", number=application.number
    )
    assert day_in("en", due) in english.body
    [polish] = mails_to(c.jurors[1])
    assert polish.subject == in_language(
        "pl", "Scoring overdue: application %(number)s", number=application.number
    )
    assert mails_to(c.jurors[2]) == []  # scored already


def test_file_past_its_decision_target_is_told_to_the_officers_once(
    c, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.awaiting_jury(c)
    run_jobs()
    sent_mail().clear()
    application.refresh_from_db()
    target = SchemeRules.current().decision_target_days
    last_day = timezone.localdate(application.complete_at) + datetime.timedelta(days=target)

    reminders_daily(last_day, django_capture_on_commit_callbacks)
    assert sent_mail() == []
    reminders_daily(last_day + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    reminders_daily(last_day + datetime.timedelta(days=5), django_capture_on_commit_callbacks)

    [message] = mails_to(c.officer)
    assert message.subject == in_language(
        "en", "Application %(number)s has passed its decision target", number=application.number
    )
    assert f"{target} days" in message.body
    assert reverse("staff_application", args=[application.pk]) in message.body


def test_chair_reminded_of_a_session_near_with_items_to_decide(
    c, django_capture_on_commit_callbacks
):
    starts = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.awaiting_decision(c)
        session = stages.schedule(c, starts_at=starts)
        stages.on_agenda(c, application, session)
    run_jobs()
    sent_mail().clear()
    day = timezone.localdate(starts)

    reminders_daily(day - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert sent_mail() == []  # not yet
    reminders_daily(day - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    reminders_daily(day - datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    [message] = mails_to(c.chair)
    assert message.subject == in_language(
        "pl",
        "Session %(number)s on %(date)s: applications to decide",
        number=session.number,
        date=day_in("pl", starts),
    )
    assert application.number in message.body
    assert not any(mails_to(juror) for juror in c.jurors)


def test_a_reminder_is_not_sent_again_after_the_jobs_are_pruned(
    c, django_capture_on_commit_callbacks
):
    from jobs.models import Done
    from jobs.tasks import prune_jobs

    with django_capture_on_commit_callbacks(execute=True):
        application = stages.awaiting_jury(c)
    application.refresh_from_db()
    target = SchemeRules.current().decision_target_days
    late = timezone.localdate(application.complete_at) + datetime.timedelta(days=target + 1)
    reminders_daily(late, django_capture_on_commit_callbacks)
    sent_mail().clear()
    Done.objects.update(done_at=timezone.now() - datetime.timedelta(days=1000))

    prune_jobs.call()
    reminders_daily(late + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert mails_to(c.officer) == []
    assert Done.objects.filter(key=f"remind:decision-target:{application.pk}").exists()
