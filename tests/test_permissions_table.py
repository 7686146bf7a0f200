"""Who may act on the open task and who may see the application, per stage and role.

Read a row as: at this stage, with this task open, each role may
  "a"  act on the task (services.open_task succeeds; the task is in their inbox),
  "s"  see the application (applications_visible_to and the view_application_file rule),
  "as" both, "" neither.
"juror" is the juror the officer assigns (c.jurors[0]): before the assignment they are just a
juror, and they see the file only once they have declared impartiality. "other_juror" is an
active juror never assigned to this application; "chair" is the jury chair, not assigned either:
they see the file from the resolution on, to record it and to look back at what was decided.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from certification.permissions import applications_visible_to
from workflows import queries, services
from workflows.services import TaskNotAvailable

from . import factories, stages

flow = stages.flow

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant", "other_applicant", "officer", "juror", "other_juror", "chair")

# fmt: off
TABLE = {
    # stage:             (open task,      anonymous, applicant, other_applicant, officer, juror, other_juror, chair)  # noqa: E501
    "submitted":         (flow.formal_review, "", "s",  "", "as", "",   "", ""),
    "corrections":       (flow.corrections,   "", "as", "", "s",  "",   "", ""),
    "jury_assignment":   (flow.assign_jury,   "", "s",  "", "as", "",   "", ""),
    "scoring":           (flow.score,         "", "s",  "", "s",  "a",  "", ""),
    "scoring_declared":  (flow.score,         "", "s",  "", "s",  "as", "", ""),
    "decision":          (flow.resolution,    "", "s",  "", "as", "s",  "", "as"),
    "granted":           (flow.issue,         "", "s",  "", "as", "s",  "", "s"),
}
# fmt: on

STAGES = {
    "submitted": stages.submitted,
    "corrections": stages.in_corrections,
    "jury_assignment": stages.awaiting_jury,
    "scoring": stages.scoring,
    "scoring_declared": stages.scoring_declared,
    "decision": stages.awaiting_decision,
    "granted": stages.granted,
}


def users_by_role(c: stages.Cast) -> dict:
    return {
        "anonymous": AnonymousUser(),
        "applicant": c.applicant,
        "other_applicant": factories.applicant(),
        "officer": c.officer,
        "juror": c.jurors[0],
        "other_juror": factories.juror(),
        "chair": c.chair,
    }


def may_act(user, task) -> bool:
    try:
        opened = services.open_task(task_pk=task.pk, user=user)
    except TaskNotAvailable:
        return False
    assert opened.pk == task.pk
    return True


def in_inbox(user, task) -> bool:
    return queries.inbox(user).filter(pk=task.pk).exists()


def may_see(user, application) -> bool:
    listed = applications_visible_to(user).filter(pk=application.pk).exists()
    by_rule = user.has_perm("certification.view_application_file", application)
    assert listed == by_rule, f"list and rule disagree for {user!r}: {listed=} {by_rule=}"
    return listed


@pytest.mark.parametrize("stage", list(TABLE))
def test_permissions_table_row(stage):
    node, *expected_codes = TABLE[stage]
    c = stages.cast()
    application = STAGES[stage](c)
    application.refresh_from_db()  # as a view would load it: the rules read its status
    owner = c.jurors[0] if node == flow.score else None
    task = stages.open_task(application, node, owner=owner)

    actual, inbox = {}, {}
    for role, user in users_by_role(c).items():
        actual[role] = ("a" if may_act(user, task) else "") + (
            "s" if may_see(user, application) else ""
        )
        inbox[role] = in_inbox(user, task)

    assert actual == dict(zip(ROLES, expected_codes, strict=True))
    # The inbox lists the task exactly for those who may act on it.
    assert inbox == {role: "a" in code for role, code in actual.items()}


def test_permissions_table_nothing_to_act_on_once_certified():
    c = stages.cast()
    certificate = stages.certified(c)
    application = certificate.application
    application.refresh_from_db()
    issue = stages.tasks_of(application, stages.flow.issue)[0]
    for role, user in users_by_role(c).items():
        assert not may_act(user, issue), role
        assert not in_inbox(user, issue), role
    seen = {role for role, user in users_by_role(c).items() if may_see(user, application)}
    assert seen == {"applicant", "officer", "juror", "chair"}
