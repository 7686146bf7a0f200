"""When the store cannot take the certificate's PDF, the certificate is issued all the same.

It is numbered, valid and verifiable at once (verification never depends on the PDF); its pages
say the PDF is being prepared; the PDF job is retried while the store is down and stores the PDF
once it is back.
"""

import pytest
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification.choices import ApplicationStatus
from certification.domain.certificates import number_to_slug
from certification.models import Certificate
from jobs.worker import drain

from . import stages
from .conftest import s3_test_options
from .mail import run_jobs
from .web import login

pytestmark = pytest.mark.django_db

PREPARING = "The PDF of this certificate is being prepared"


def post_issue(client, officer, application):
    task = stages.open_task(application, stages.flow.issue)
    return login(client, officer).post(reverse("staff_task", args=[task.pk]))


def issued_while_the_store_is_down(client, c, application, settings) -> Certificate:
    settings.JOBS_RETRY_SECONDS = 0  # the retry is due at once: no waiting in the test
    response = post_issue(client, c.officer, application)
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=application)
    assert certificate.number == f"ZP/{timezone.localdate().year}/0001"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CERTIFIED

    pdf_job = DBTaskResult.objects.get(task_path="certification.tasks.make_certificate_pdf")
    assert drain(max_jobs=1, worker_id="test") == 1  # the PDF job first: refused by the store
    pdf_job.refresh_from_db()
    assert pdf_job.status == TaskResultStatus.READY
    assert "StorageFailure" in pdf_job.traceback

    slug = number_to_slug(certificate.number)
    public = client.get(reverse("certificate_detail", args=[slug])).content.decode()
    assert 'class="status-banner valid"' in public
    assert PREPARING in public
    verified = client.get(reverse("verify"), {"number": certificate.number}).content.decode()
    assert 'class="status-banner valid"' in verified
    assert client.get(reverse("certificate_pdf", args=[slug])).status_code == 404
    return certificate


def assert_pdf_follows(client, certificate):
    run_jobs()
    certificate.refresh_from_db()
    assert certificate.pdf.read()[:5] == b"%PDF-"
    assert certificate.pdf_sha256
    slug = number_to_slug(certificate.number)
    assert PREPARING not in client.get(reverse("certificate_detail", args=[slug])).content.decode()
    assert client.get(reverse("certificate_pdf", args=[slug])).status_code == 200


def test_unwritable_disk_issues_at_once_and_the_pdf_follows_when_it_is_writable(
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
    certificate = issued_while_the_store_is_down(english, c, application, settings)

    settings.STORAGES = working
    assert_pdf_follows(english, certificate)


@pytest.mark.s3
def test_missing_bucket_issues_at_once_and_the_pdf_follows_when_it_is_there(
    english, settings, s3_media
):
    c = stages.cast()
    application = stages.granted(c)
    working = settings.STORAGES
    settings.STORAGES = {
        **working,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_test_options(location=s3_media.prefix, bucket="zakup-no-such-bucket"),
        },
    }
    certificate = issued_while_the_store_is_down(english, c, application, settings)

    settings.STORAGES = working
    assert_pdf_follows(english, certificate)
