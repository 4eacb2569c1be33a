"""Bare endpoint for the checkin benchmark floor (same lookup, lock and insert as the real one, nothing else).

POST /bench/checkin/ {"activity_id": 1, "code": "ABCDE23456"} → {"result": "ok" | "already_checked_in" | …}

Exactly the database work of the real device endpoint (dangqun.activities.services.checkin): the
pass lookup joined with its activity (read before the transaction), then the conditional UPDATE
that admits once and the scan-log INSERT in one short transaction. No device token, no rules, no window checks, no nonce, no schema
validation, no audit, no rollups. Mounted only with DANGQUN_BENCH_ENDPOINTS=1.
"""

import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from dangqun.activities.models import Registration, ScanLog


@csrf_exempt
def bare_checkin(request):
    payload = json.loads(request.body)
    now = timezone.now()
    registration = (
        Registration.objects.select_related("activity")
        .only("id", "status", "activity__id", "activity__org_path")
        .filter(pass_code=payload["code"])
        .first()
    )
    if registration is None:
        return JsonResponse({"result": "unknown_pass"})
    with transaction.atomic():
        admitted = (
            Registration.objects.filter(
                pk=registration.pk, status="confirmed", checked_in_at__isnull=True
            ).update(checked_in_at=now, checkin_method="scanner")
            == 1
        )
        result = "ok" if admitted else "already_checked_in"
        ScanLog.objects.create(
            activity_id=registration.activity_id,
            registration_id=registration.pk,
            method="scanner",
            direction="entry",
            result=result,
            server_time=now,
            org_path=registration.activity.org_path,
        )
    return JsonResponse({"result": result})


urlpatterns = [path("", bare_checkin)]
