"""A fresh installation has the `officers` group its roles come from (operations step 11)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from certification.permissions import OFFICERS_GROUP

pytestmark = pytest.mark.django_db

migration = importlib.import_module("certification.migrations.0020_officers_group")


def test_the_migrations_create_the_officers_group_once():
    Group.objects.filter(name=OFFICERS_GROUP).delete()  # as a database before the migration

    migration.create_group(apps, None)
    migration.create_group(apps, None)  # migrating again adds no second group

    assert Group.objects.filter(name=OFFICERS_GROUP).count() == 1
