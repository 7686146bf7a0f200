from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # Imported for their side effects: the rules, and the signing-key deploy check.
        from . import permissions, signing_keys  # noqa: F401
