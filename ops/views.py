"""/health/live, /health/ready and /metrics: for load balancers and monitoring, not for people.

No login, no rate limit (a load balancer asks every few seconds from one address), never cached.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import checks, metrics


@never_cache
@require_GET
def live(request):
    """The process answers: no database, cache or storage is touched."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    """200 "ok"; 200 "degraded" naming a shared dependency the app works around (cache,
    storage: see checks); 503 "unavailable" when an essential one fails (a balancer stops
    sending to this server)."""
    results = checks.run()
    failed = [r.name for r in results if not r.ok]
    unavailable = any(name in checks.ESSENTIAL for name in failed)
    body = {
        "status": "unavailable" if unavailable else "degraded" if failed else "ok",
        "failed": failed,
        "checks": {
            r.name: {"ok": r.ok, "ms": r.milliseconds, **({"error": r.error} if r.error else {})}
            for r in results
        },
    }
    return JsonResponse(body, status=503 if unavailable else 200)


@never_cache
@require_GET
def prometheus(request):
    # 404, not 403: to anyone else the address does not exist.
    if not metrics.allowed(request):
        raise Http404
    content, content_type = metrics.exposition()
    return HttpResponse(content, content_type=content_type)
