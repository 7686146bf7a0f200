"""The product's URLs plus one bare view: the yardstick the issue measures verification by."""

from django.http import JsonResponse
from django.urls import include, path

from certification.models import Certificate


def baseline(request):
    """A bare Django JSON view doing one indexed lookup (the unique certificate number)."""
    row = (
        Certificate.objects.filter(number=request.GET.get("number", ""))
        .values("number", "status", "valid_until")
        .first()
    )
    return JsonResponse({"found": row is not None, **(row or {})})


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("config.urls")),
]
