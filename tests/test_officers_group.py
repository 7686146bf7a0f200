"""A fresh installation has the `officers` group its roles come from (operations step 11)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from certification.permissions import OFFICERS_GROUP

pytestmark = pytest.mark.django_db(transaction=True)

migration = importlib.import_module("certification.migrations.0020_officers_group")


def test_the_migrations_create_the_officers_group_once():
    call_command("flush", "--no-input", verbosity=0)  # as a database before the data migration

    migration.create_group(apps, None)
    migration.create_group(apps, None)  # migrating again adds no second group

    assert list(Group.objects.values_list("name", flat=True)) == [OFFICERS_GROUP]
