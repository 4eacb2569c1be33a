"""Floors for the load benchmarks, mounted at /bench/ only when DANGQUN_BENCH_ENDPOINTS=1."""

from django.http import JsonResponse
from django.urls import include, path


def minimal_json(request):
    """The cheapest Django view: no database, no session, a tiny JSON body."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("json/", minimal_json),
    path("checkin/", include("bench.bare_checkin")),
    path("booking/", include("bench.bare_booking")),
]
