"""The Atom feed of registry changes: /rejestr/zmiany.atom.

A buyer's feed reader polls it to learn, with no account, when a certificate is issued, renewed,
suspended, reinstated, revoked or expires. It takes the registry page's own search (text, legal
form, kind, town, year, powiat, CPV codes), so "the feed of this search" follows a supplier or a
saved search; the status filter alone is ignored, since a feed that kept only valid certificates
would never say that one was suspended.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe

from .. import registry as registry_queries
from ..choices import CertificateTransition
from ..domain import certificates
from ..forms.public import RegistrySearchForm
from ..models import Certificate, CertificateStatusChange
from .public import download_query

# What a feed reader shows and keeps; older changes are in each certificate's public history.
FEED_SIZE = 50


class RegistryChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return request.feed_form

    def title(self, form):
        if form.filtered:
            return gettext("“Zakup Prospołeczny” registry: changes for a search")
        return gettext("“Zakup Prospołeczny” registry: changes")

    def subtitle(self, form):
        return gettext(
            "Certificates issued, renewed, suspended, reinstated, revoked and expired, newest "
            "first."
        )

    def link(self, form):
        return f"{settings.SITE_URL}{reverse('registry')}{_query(form)}"

    def feed_url(self, form):
        return f"{settings.SITE_URL}{reverse('registry_changes_feed')}{_query(form)}"

    def items(self, form):
        filters = {**form.filters(), "status": ""}
        if form.cpv_found == []:  # codes asked for, none of them known: no supplier
            return []
        matching = registry_queries.filter_certificates(
            queryset=Certificate.objects.all(), today=timezone.localdate(), **filters
        )
        return list(
            CertificateStatusChange.objects.filter(
                certificate__in=matching.values("pk"), effective__lte=timezone.now()
            )
            .select_related("certificate__predecessor")
            .order_by("-effective", "-pk")[:FEED_SIZE]
        )

    def item_title(self, change: CertificateStatusChange) -> str:
        certificate = change.certificate
        return gettext("%(number)s, %(holder)s: %(what)s") % {
            "number": certificate.number,
            "holder": certificate.holder_name,
            "what": _what_happened(change),
        }

    def item_description(self, change: CertificateStatusChange) -> str:
        certificate = change.certificate
        lines = [
            gettext("Valid until %(date)s.")
            % {"date": date_format(certificate.valid_until, "DATE_FORMAT")}
        ]
        if change.reason:
            lines.append(gettext("Reason: %(reason)s") % {"reason": change.reason})
        if change.correction_until:
            lines.append(
                gettext("The holder may correct the shortcomings until %(date)s.")
                % {"date": date_format(change.correction_until, "DATE_FORMAT")}
            )
        return " ".join(lines)

    def item_link(self, change: CertificateStatusChange) -> str:
        slug = certificates.number_to_slug(change.certificate.number)
        return f"{settings.SITE_URL}{reverse('certificate_detail', args=[slug])}"

    def item_guid(self, change: CertificateStatusChange) -> str:
        # Stable whatever SITE_URL becomes: a reader must not show an old change again.
        return f"urn:zakup-prospoleczny:certificate-change:{change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change: CertificateStatusChange):
        return change.effective

    def item_updateddate(self, change: CertificateStatusChange):
        return change.effective


def _what_happened(change: CertificateStatusChange) -> str:
    if change.transition == CertificateTransition.ISSUE and change.certificate.predecessor_id:
        return pgettext("certificate", "renewed (follows %(number)s)") % {
            "number": change.certificate.predecessor.number
        }
    return {
        CertificateTransition.ISSUE: pgettext("certificate", "issued"),
        CertificateTransition.SUSPEND: pgettext("certificate", "suspended"),
        CertificateTransition.REINSTATE: pgettext("certificate", "reinstated"),
        CertificateTransition.REVOKE: pgettext("certificate", "revoked"),
        CertificateTransition.EXPIRE: pgettext("certificate", "expired"),
    }[change.transition]


def _query(form: RegistrySearchForm) -> str:
    return download_query(form, omit=("status", "sort"))


_feed = RegistryChangesFeed()


@require_safe
def registry_changes(request):
    form = RegistrySearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        # A feed reader shows no form: say what is wrong in plain words, change nothing.
        problems = [str(message) for errors in form.errors.values() for message in errors]
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain; charset=utf-8")
    request.feed_form = form
    return _feed(request)
