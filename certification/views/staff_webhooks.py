"""Officers register procurement platforms' webhook endpoints and read each one's delivery log
(under /obsluga/webhooki/). The rules are certification/domain/webhooks.py's."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..domain import webhooks
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.webhooks import WebhookEndpointForm
from ..models import WebhookEndpoint
from .staff_certificates import officer_required

LOG_PAGE_SIZE = 50


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint_list(request):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhooks.register_endpoint(user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Endpoint registered. Give the platform its signing secret, shown below."),
            )
            return redirect("staff_webhook", pk=endpoint.pk)
    endpoints = WebhookEndpoint.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False)),
        failing=Count(
            "deliveries",
            filter=Q(deliveries__delivered_at__isnull=True, deliveries__attempts__gt=0),
        ),
        last_delivery=Max("deliveries__delivered_at"),
    )
    return render(request, "staff/webhooks.html", {"form": form, "endpoints": endpoints})


@officer_required
@require_safe
def endpoint_detail(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    log = Paginator(endpoint.deliveries.select_related("change__certificate"), LOG_PAGE_SIZE)
    page = log.get_page(request.GET.get("page"))
    return render(
        request,
        "staff/webhook.html",
        {"endpoint": endpoint, "page_obj": page, "max_attempts": webhooks.MAX_ATTEMPTS},
    )


@officer_required
@require_POST
def endpoint_active(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    active = request.POST.get("active") == "1"
    webhooks.set_active(endpoint=endpoint, active=active, user=request.user)
    messages.success(
        request,
        _("The endpoint receives the registry's changes again.")
        if active
        else _("The endpoint receives no more changes until it is turned on again."),
    )
    return redirect("staff_webhook", pk=endpoint.pk)
