"""When the store cannot take the certificate's PDF, the officer is told so and nothing is issued.

The number is not used up, no history or audit entry is written, the issue task stays open, and
a later attempt, once the store is back, issues the certificate under the number it would
have had.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus
from certification.models import Certificate

from . import stages
from .conftest import s3_test_options
from .web import login

pytestmark = pytest.mark.django_db

MESSAGE = (
    "The certificate could not be issued: the document store is unavailable at the moment. "
    "Nothing has been issued or numbered; please try again in a few minutes."
)


def post_issue(client, officer, application):
    task = stages.open_task(application, "issue")
    return login(client, officer).post(reverse("staff_task", args=[task.pk]))


def assert_refused_and_nothing_changed(client, c, application):
    before = stages.db_state(application)
    response = post_issue(client, c.officer, application)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert stages.db_state(application) == before
    assert before["status"] == ApplicationStatus.GRANTED
    assert before["open_tasks"][0][0] == "issue"


def test_unwritable_disk_refuses_the_issue_and_a_retry_issues_the_next_number(
    english, settings, tmp_path
):
    c = stages.cast()
    application = stages.granted(c)
    working = settings.STORAGES
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **working,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    assert_refused_and_nothing_changed(english, c, application)

    settings.STORAGES = working
    response = post_issue(english, c.officer, application)
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=application)
    assert certificate.number == f"ZP/{timezone.localdate().year}/0001"
    assert certificate.pdf.read()[:5] == b"%PDF-"


@pytest.mark.s3
def test_missing_bucket_refuses_the_issue(english, settings, s3_media):
    c = stages.cast()
    application = stages.granted(c)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_test_options(location=s3_media.prefix, bucket="zakup-no-such-bucket"),
        },
    }
    assert_refused_and_nothing_changed(english, c, application)
