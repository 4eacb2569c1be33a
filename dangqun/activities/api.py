"""The activities API under /api/v1/activities/ (OpenAPI at /api/v1/docs).

Device endpoints (`Authorization: Bearer <scanner token>`):
- POST /checkin — one scan; always 200 with a machine `result` code (failed scans are logged too).
- POST /checkin/batch — scans an offline scanner stored with their device time and nonces.
- GET  /device/activities — what this scanner may check in for today.
Session endpoints (pages' scripts): POST /signin (a member's rotating-code sign-in) and
GET /{id}/screen-code (the room screen's next code).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import django_auth

from dangqun.accounts import permissions
from dangqun.accounts.devices import DeviceTokenAuth
from dangqun.accounts.enums import Perm
from dangqun.activities.enums import ActivityStatus
from dangqun.activities.models import Activity
from dangqun.activities.services import checkin
from dangqun.activities.services.checkin import ScanAnswer

router = Router(tags=["活动与签到"])


class ScannerAuth(DeviceTokenAuth):
    """Scanner tokens only. The token lookup is cached per worker process by accounts.devices (a door
    scanner sends many requests a second; see docs/decisions/0004-checkin-hot-path.md): a
    deactivated scanner is refused at once in the process that deactivated it, elsewhere within
    DEVICE_CACHE_SECONDS."""

    def __init__(self):
        super().__init__(kind="scanner")


scanner_auth = ScannerAuth()
BATCH_LIMIT = 500


class ScanIn(Schema):
    activity_id: int
    code: str = Field(..., max_length=64, description="扫到的入场码（二维码内容即入场码本身）")
    direction: Literal["entry", "exit"] = "entry"
    client_nonce: str = Field("", max_length=64, description="设备为每次扫码生成的唯一值；重试时原样重发")
    scanned_at: datetime | None = Field(None, description="设备上的扫码时间（离线补传时必填）")


class ScanOut(Schema):
    result: str = Field(..., description="ok / already_checked_in / unknown_pass / wrong_activity / …")
    ok: bool
    message: str
    scan_id: int
    registration_id: int | None
    name: str
    at: datetime
    replayed: bool = Field(..., description="true：同一 client_nonce 的首次结果（重试不会重复签到）")


class BatchIn(Schema):
    scans: list[ScanIn] = Field(..., max_length=BATCH_LIMIT)


class DeviceActivityOut(Schema):
    id: int
    title: str
    organization: str
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    place: str


class SignInIn(Schema):
    code: str = Field(..., max_length=80)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    client_nonce: str = Field("", max_length=64)


class ScreenCodeOut(Schema):
    code: str
    url: str
    svg: str
    refresh_in: float
    valid_seconds: int


def _out(answer: ScanAnswer) -> dict:
    return {
        "result": answer.result,
        "ok": answer.ok,
        "message": answer.message,
        "scan_id": answer.scan_id,
        "registration_id": answer.registration_id,
        "name": answer.name,
        "at": answer.at,
        "replayed": answer.replayed,
    }


@router.post(
    "/checkin",
    auth=scanner_auth,
    response=ScanOut,
    url_name="activities-checkin",
    summary="扫码签到 / 签退（设备）",
)
def scan(request, payload: ScanIn):
    answer = checkin.scan_pass(
        device=request.auth,
        activity_id=payload.activity_id,
        code=payload.code,
        direction=payload.direction,
        client_nonce=payload.client_nonce,
        device_time=payload.scanned_at,
    )
    return _out(answer)


@router.post(
    "/checkin/batch",
    auth=scanner_auth,
    response=list[ScanOut],
    url_name="activities-checkin-batch",
    summary="离线扫码批量补传（设备）",
)
def scan_batch(request, payload: BatchIn):
    """Each scan is decided at its device time, in its own transaction, in the order sent."""
    answers = []
    for item in payload.scans:
        answer = checkin.scan_pass(
            device=request.auth,
            activity_id=item.activity_id,
            code=item.code,
            direction=item.direction,
            client_nonce=item.client_nonce,
            device_time=item.scanned_at,
            offline=True,
        )
        answers.append(_out(answer))
    return answers


@router.get(
    "/device/activities",
    auth=scanner_auth,
    response=list[DeviceActivityOut],
    url_name="activities-device-activities",
    summary="本设备今天可签到的活动",
)
def device_activities(request):
    now = timezone.now()
    rows = (
        Activity.objects.filter(
            org_path__startswith=request.auth.organization.path,
            status=ActivityStatus.PUBLISHED,
            checkin_closes_at__gte=now,
            checkin_opens_at__lte=now + timedelta(hours=24),
        )
        .select_related("organization", "space", "space__center")
        .order_by("starts_at", "id")[:100]
    )
    return [
        {
            "id": a.pk,
            "title": a.title,
            "organization": a.organization.name,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "checkin_opens_at": a.checkin_opens_at,
            "checkin_closes_at": a.checkin_closes_at,
            "place": a.place,
        }
        for a in rows
    ]


@router.post(
    "/signin",
    auth=django_auth,
    response=ScanOut,
    url_name="activities-signin",
    summary="扫描会场动态码自助签到（本人手机）",
)
def sign_in(request, payload: SignInIn):
    answer = checkin.sign_in_with_rotating_code(
        user=request.user,
        code=payload.code,
        latitude=payload.latitude,
        longitude=payload.longitude,
        client_nonce=payload.client_nonce,
    )
    return _out(answer)


@router.get(
    "/{activity_id}/screen-code",
    auth=django_auth,
    response=ScreenCodeOut,
    url_name="activities-screen-code",
    summary="会场屏幕的当前动态码",
)
def screen_code(request, activity_id: int):
    from dangqun.activities.selectors.screen import screen_code as current_code

    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None or not permissions.has_perm(request.user, Perm.MANAGE_ACTIVITIES, activity.org_path):
        raise Http404
    return current_code(request, activity)
