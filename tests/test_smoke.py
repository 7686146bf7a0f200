import pytest

from certification.choices import ApplicationStatus

from . import stages

pytestmark = pytest.mark.django_db


def test_smoke_granted_path():
    c = stages.cast()
    cert = stages.certified(c)
    assert cert.number.startswith("ZP/")
    assert cert.application.status == ApplicationStatus.CERTIFIED
