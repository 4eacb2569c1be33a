"""Bare endpoints for the booking benchmark floors (mounted at /bench/booking/ with
DANGQUN_BENCH_ENDPOINTS=1): the same lock, overlap check and insert as the real booking service,
and the same queries as the real availability view — nothing else (no auth, no validation, no
audit, no suggestions, no schema)."""

from __future__ import annotations

import json
from datetime import datetime

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from dangqun.centers.hours import day_bounds
from dangqun.centers.models import Booking, Space
from dangqun.centers.selectors.availability import load_window


@csrf_exempt
def book(request):
    data = json.loads(request.body)
    space_id = int(data["space_id"])
    starts_at = datetime.fromisoformat(data["starts_at"])
    ends_at = datetime.fromisoformat(data["ends_at"])
    with transaction.atomic():  # BEGIN IMMEDIATE on SQLite
        center_id, org_path = (
            Space.objects.select_for_update(of=("self",))
            .filter(pk=space_id)
            .values_list("center_id", "center__org_path")
            .get()
        )
        busy, closed = load_window(space_id, center_id, starts_at, ends_at)  # the service's overlap query
        if busy or closed:
            return JsonResponse({"code": "slot_taken"}, status=409)
        booking = Booking.objects.create(
            space_id=space_id, org_path=org_path, purpose="bare", mode="borrow", attendees=1, starts_at=starts_at,
            ends_at=ends_at, status="accepted", requester_kind="person", contact_name="bare",
        )  # fmt: skip
    return JsonResponse({"id": booking.pk}, status=201)


def availability(request, space_id: int):
    space = Space.objects.select_related("center").get(pk=space_id)
    start, end = day_bounds(datetime.fromisoformat(request.GET["day"]).date())
    busy, closed = load_window(space.pk, space.center_id, start, end)  # the availability view's query
    return JsonResponse(
        {"space": space.pk, "bookings": [vars(b) for b in busy], "blackouts": [vars(c) for c in closed]}
    )


urlpatterns = [
    path("book/", book),
    path("availability/<int:space_id>/", availability),
]
