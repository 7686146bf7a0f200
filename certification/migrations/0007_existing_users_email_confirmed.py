"""Accounts made before e-mail confirmation existed keep logging in.

Their addresses were given by the administrator (staff, jurors, demo users) or by the users
themselves before confirmation was asked; allauth's mandatory confirmation would otherwise send
them to "check your e-mail" at their next login. Each address is confirmed for the oldest
account that has it (an address belongs to one account only).
"""

from django.db import migrations


def confirm_existing_addresses(apps, schema_editor):
    User = apps.get_model("certification", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email="").order_by("pk"):
        email = user.email.lower()
        if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
            continue  # confirmed already, by this account or an older one
        own = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if own is None:
            if EmailAddress.objects.filter(user=user, primary=True).exists():
                continue  # the person chose another primary address: leave it to them
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        else:
            own.verified = True
            own.save(update_fields=["verified"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0006_formal_review_without_officer"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(confirm_existing_addresses, migrations.RunPython.noop),
    ]
