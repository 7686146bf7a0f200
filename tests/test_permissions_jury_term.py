import datetime

import pytest
from django.utils import timezone

from certification.permissions import applications_visible_to, is_juror
from workflows import services
from workflows.services import TaskNotAvailable

from . import stages

pytestmark = pytest.mark.django_db


def test_juror_whose_term_ended_loses_access_to_assigned_application():
    c = stages.cast()
    application = stages.scoring(c)
    juror = c.jurors[0]
    task = stages.open_task(application, stages.flow.score, owner=juror)
    services.declare(task_pk=task.pk, user=juror, impartial=True)
    assert applications_visible_to(juror).filter(pk=application.pk).exists()

    juror.jury_member.term_end = timezone.localdate() - datetime.timedelta(days=1)
    juror.jury_member.save()

    assert not is_juror(juror)
    assert not applications_visible_to(juror).filter(pk=application.pk).exists()
    with pytest.raises(TaskNotAvailable):
        services.score(task_pk=task.pk, user=juror, scores=stages.full_scores(application))
