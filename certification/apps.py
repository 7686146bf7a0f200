from django.apps import AppConfig
from django.db.models import signals
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # Imported for their side effects: the rules, the signing-key and cache deploy checks,
        # and the check of SITE_URL against ALLOWED_HOSTS.
        from allauth.account.signals import password_reset

        from . import cache_backend, permissions, signing_keys, site_url  # noqa: F401
        from .login_limits import on_password_reset
        from .models import Certificate, CertificateStatusChange, CertificateVersion, Organization
        from .registry_cache import bump_on_commit

        # Whatever changes what verification answers, by any path (funnels, admin, shell),
        # makes the cached answers stale.
        for model in (Certificate, CertificateStatusChange, CertificateVersion, Organization):
            signals.post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"vc-{model}")
            signals.post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"vcd-{model}")
        signals.m2m_changed.connect(
            bump_on_commit, sender=Certificate.items.through, dispatch_uid="vc-items"
        )
        # Today's verification answers, kept ready in the same transactions.
        from .api import answer_rows

        answer_rows.connect()
        # A reset link lets the owner in whatever strangers did to the failed-login counts.
        password_reset.connect(on_password_reset, dispatch_uid="login-limits-reset")
        from .rate_limit import check_settings

        check_settings()
        from . import auth_audit

        auth_audit.connect()
        # The one dispatcher that turns the domain's events into jobs.
        from . import dispatch, events

        events.connect(dispatch.dispatch)
