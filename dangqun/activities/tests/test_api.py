"""The device API: token per device, OpenAPI, results, nonces, offline batches; the member API."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from dangqun.accounts import devices
from dangqun.accounts.devices import deactivate_device
from dangqun.accounts.models import Device
from dangqun.activities import rotating
from dangqun.activities.models import Registration, ScanLog
from dangqun.activities.services.registrations import register_guest
from dangqun.activities.tests.factories import at, make_activity, make_device

pytestmark = pytest.mark.django_db
URL = "/api/v1/activities/checkin"


@pytest.fixture(autouse=True)
def fresh_token_cache():
    devices.clear_cache()
    yield
    devices.clear_cache()


@pytest.fixture
def event(tree):
    return make_activity(
        tree.community, type_code="salon", audience="public", starts=at(hours=-0.5), title="沙龙"
    )


def post(client, device, payload, url=URL):
    return client.post(
        url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {device.token}"
    )


def test_scan_ok_then_already_and_retry_replays(client, event, scanner):
    guest = register_guest(activity=event, name="张三", mobile="13912345678")
    first = post(client, scanner, {"activity_id": event.pk, "code": guest.pass_code, "client_nonce": "r1"})
    assert first.status_code == 200
    body = first.json()
    assert (body["result"], body["ok"], body["name"], body["replayed"]) == ("ok", True, "张三", False)
    retry = post(
        client, scanner, {"activity_id": event.pk, "code": guest.pass_code, "client_nonce": "r1"}
    ).json()
    assert (retry["result"], retry["replayed"], retry["scan_id"]) == ("ok", True, body["scan_id"])
    again = post(
        client, scanner, {"activity_id": event.pk, "code": guest.pass_code, "client_nonce": "r2"}
    ).json()
    assert (again["result"], again["message"]) == ("already_checked_in", "已签到，请勿重复扫码")
    assert ScanLog.objects.count() == 2


def test_unknown_pass_is_logged_with_200(client, event, scanner):
    body = post(client, scanner, {"activity_id": event.pk, "code": "ZZZZZ99999"}).json()
    assert body["result"] == "unknown_pass" and body["registration_id"] is None
    assert ScanLog.objects.get().code_hint == "ZZZ"


def test_auth_is_a_scanner_token(client, tree, event):
    guest = register_guest(activity=event, name="张三", mobile="13912345678")
    payload = {"activity_id": event.pk, "code": guest.pass_code}
    assert client.post(URL, payload, content_type="application/json").status_code == 401
    assert (
        client.post(
            URL, payload, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
        ).status_code
        == 401
    )
    from dangqun.accounts.devices import register_device

    kiosk, token = register_device(actor=None, organization=tree.community, name="办事通", kind="kiosk")
    kiosk.token = token
    assert post(client, kiosk, payload).status_code == 401
    scanner = make_device(tree.community)
    assert post(client, scanner, payload).status_code == 200
    deactivate_device(actor=None, device=Device.objects.get(pk=scanner.pk))  # refused at once
    assert post(client, scanner, {**payload, "client_nonce": "x"}).status_code == 401
    assert not Registration.objects.filter(checked_in_at__isnull=False).exclude(pk=guest.pk).exists()


def test_bad_payload_is_422(client, event, scanner):
    assert post(client, scanner, {"activity_id": "x", "code": "A"}).status_code == 422
    assert (
        post(client, scanner, {"activity_id": event.pk, "code": "A", "direction": "sideways"}).status_code
        == 422
    )
    assert post(client, scanner, {"activity_id": event.pk, "code": "A" * 65}).status_code == 422
    assert ScanLog.objects.count() == 0


def test_offline_batch_in_order_with_device_times(client, event, scanner):
    a = register_guest(activity=event, name="甲甲", mobile="13900000001")
    b = register_guest(activity=event, name="乙乙", mobile="13900000002")
    scanned = event.starts_at + timedelta(minutes=3)
    scans = [
        {"activity_id": event.pk, "code": a.pass_code, "client_nonce": "o1", "scanned_at": scanned.isoformat()},
        {"activity_id": event.pk, "code": a.pass_code, "client_nonce": "o2", "scanned_at": scanned.isoformat()},
        {"activity_id": event.pk, "code": b.pass_code, "client_nonce": "o3", "scanned_at": scanned.isoformat()},
        {"activity_id": event.pk, "code": b.pass_code, "client_nonce": "o4", "direction": "exit",
         "scanned_at": (scanned + timedelta(hours=1)).isoformat()},
    ]  # fmt: skip
    body = post(client, scanner, {"scans": scans}, url=URL + "/batch").json()
    assert [r["result"] for r in body] == ["ok", "already_checked_in", "ok", "ok"]
    again = post(client, scanner, {"scans": scans}, url=URL + "/batch").json()
    assert [r["replayed"] for r in again] == [True] * 4
    assert ScanLog.objects.filter(offline=True).count() == 4
    a.refresh_from_db()
    assert a.checked_in_at == scanned


def test_device_activities_lists_its_subtree_today(client, tree, event, scanner):
    make_activity(tree.far_branch, type_code="salon", audience="public", title="外地")
    make_activity(tree.community, type_code="salon", audience="public", title="下周", starts=at(days=7))
    response = client.get(
        "/api/v1/activities/device/activities", HTTP_AUTHORIZATION=f"Bearer {scanner.token}"
    )
    assert [a["title"] for a in response.json()] == ["沙龙"]


def test_member_sign_in_api(client, tree, people):
    meeting = make_activity(tree.branch, type_code="theme_day", starts=at(hours=-0.2))
    code = rotating.make(meeting.pk, valid_seconds=30)[0]
    url = "/api/v1/activities/signin"
    assert client.post(url, {"code": code}, content_type="application/json").status_code == 401
    client.force_login(people.member_user)
    response = client.post(url, {"code": code, "client_nonce": "m1"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["result"] == "ok"
    stale = rotating.make(meeting.pk, valid_seconds=30, now=time.time() - 60)[0]
    response = client.post(url, {"code": stale, "client_nonce": "m2"}, content_type="application/json")
    assert response.json()["result"] == "rotating_code_expired"


def test_openapi_documents_the_device_endpoints(client, tree):
    client.force_login(__import__("dangqun.testing.factories", fromlist=["make_user"]).make_user())
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/activities/checkin" in schema["paths"]
    assert "/api/v1/activities/checkin/batch" in schema["paths"]
    operation = schema["paths"]["/api/v1/activities/checkin"]["post"]
    assert operation["security"] == [{"ScannerAuth": []}]
