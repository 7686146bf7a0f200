"""Buyers watch the registry by e-mail, no account: subscribe (a page linked from a certificate,
the registry's search and the verification by NIP), confirm from the e-mail, unsubscribe in one
click. The rules are certification/domain/watching.py's."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..choices import Powiat, WatchKind
from ..domain import cpv, watching
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.watching import WatchForm
from ..models import Certificate
from .public import certificate_or_404


def _target(data) -> dict:
    """What the linking page asked to watch, and the kinds the visitor may choose from."""
    slug = (data.get("certificate") or "").strip()
    if slug:
        certificate = certificate_or_404(slug, Certificate.objects.all())
        return {
            "certificate": certificate,
            "kinds": [WatchKind.CERTIFICATE, WatchKind.HOLDER],
            "nip": certificate.holder_nip,
        }
    nip = (data.get("nip") or "").strip()
    if nip:
        return {"kinds": [WatchKind.HOLDER], "nip": nip}
    return {"kinds": [WatchKind.SEARCH]}


@require_http_methods(["GET", "HEAD", "POST"])
def watch(request):
    data = request.POST if request.method == "POST" else request.GET
    target = _target(data)
    initial = {
        "certificate": data.get("certificate", ""),
        "nip": target.get("nip", ""),
        "cpv": data.get("cpv", ""),
        "powiat": data.get("powiat", ""),
        "kind": target["kinds"][0],
    }
    form = WatchForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        kinds=target["kinds"],
    )
    codes = cpv.read_codes(initial["cpv"]).found if initial["cpv"] else []
    context = {
        "form": form,
        "certificate": target.get("certificate"),
        "nip": target.get("nip", ""),
        "codes": codes,
        "powiat": Powiat(initial["powiat"]).label if initial["powiat"] in Powiat.values else "",
    }
    if request.method == "POST" and form.is_valid():
        try:
            watching.subscribe(
                email=form.cleaned_data["email"],
                language=get_language() or "pl",
                kind=form.cleaned_data["kind"],
                certificate=target.get("certificate"),
                nip=form.cleaned_data["nip"] or target.get("nip", ""),
                cpv_text=form.cleaned_data["cpv"],
                powiat=form.cleaned_data["powiat"],
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="email")
        else:
            # The same answer whether or not the address watched this already.
            return render(request, "public/watch_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "public/watch.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    found = watching.find(token=token)
    if found is None:
        return render(request, "public/watch_link_problem.html", status=404)
    if request.method == "POST":
        try:
            found = watching.confirm(token=token)
        except DomainError as error:
            return render(
                request, "public/watch_link_problem.html", {"problem": str(error)}, status=410
            )
        return render(request, "public/watch_confirmed.html", {"watch": found})
    return render(request, "public/watch_confirm.html", {"watch": found})


# One click from the mail client (RFC 8058) posts without the page's CSRF token: the signed
# token in the address is the authority, and ending a subscription is all it can do.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    if request.method == "POST":
        try:
            found = watching.unsubscribe(token=token)
        except DomainError as error:
            return render(
                request, "public/watch_link_problem.html", {"problem": str(error)}, status=404
            )
        return render(request, "public/watch_unsubscribed.html", {"watch": found})
    return render(request, "public/watch_unsubscribe.html", {"token": token})
