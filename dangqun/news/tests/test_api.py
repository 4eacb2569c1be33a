"""The notices API: my inbox and confirming, with the same scope and errors as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from dangqun.news.models import NoticeReceipt
from dangqun.news.services import mark_read

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/notices/inbox"


def confirm_url(notice) -> str:
    return f"/api/v1/notices/{notice.pk}/confirm"


def test_api_requires_login(client, send, branch_sec):
    notice = send([branch_sec])
    assert client.get(INBOX).status_code == 401
    assert client.post(confirm_url(notice)).status_code == 401


def test_inbox_unread_first_with_count(client, send, branch_sec):
    older = send([branch_sec], title="旧的", requires_confirmation=False, link="/activities/")
    newer = send([branch_sec], title="新的")
    mark_read(user=branch_sec, notice=newer)
    client.force_login(branch_sec)
    body = client.get(INBOX).json()
    assert body["unread"] == 1 and body["next"] is None
    assert [(i["notice"]["title"], i["is_unread"], i["state"]) for i in body["items"]] == [
        ("旧的", True, "unread"),
        ("新的", False, "read"),
    ]
    first = body["items"][0]["notice"]
    assert (first["id"], first["organization"], first["sender"], first["category_label"], first["link"]) == (
        older.pk,
        "大观街道党工委",
        "朱晓荣",
        "工作提醒",
        "/activities/",
    )


def test_inbox_pages_with_a_cursor(client, send, branch_sec):
    for i in range(3):
        send([branch_sec], title=f"通知{i}")
    client.force_login(branch_sec)
    page1 = client.get(INBOX, {"limit": 2}).json()
    page2 = client.get(INBOX, {"limit": 2, "after": page1["next"]}).json()
    assert [i["notice"]["title"] for i in page1["items"] + page2["items"]] == ["通知2", "通知1", "通知0"]
    assert page2["next"] is None


def test_confirm_is_idempotent(client, send, branch_sec):
    notice = send([branch_sec])
    client.force_login(branch_sec)
    first = client.post(confirm_url(notice))
    second = client.post(confirm_url(notice))
    assert first.status_code == second.status_code == 200
    assert first.json()["state"] == "confirmed"
    assert first.json()["confirmed_at"] == second.json()["confirmed_at"]
    assert client.get(INBOX).json()["unread"] == 0


def test_confirm_errors(client, send, branch_sec, community_sec):
    plain = send([branch_sec], requires_confirmation=False)
    other = send([community_sec])
    client.force_login(branch_sec)
    response = client.post(confirm_url(plain))
    assert response.status_code == 400
    assert response.json() == {
        "code": "confirmation_not_required",
        "message": "这条通知不需要确认已读。",
        "field": None,
    }
    response = client.post(confirm_url(other))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert NoticeReceipt.objects.filter(confirmed_at__isnull=False).count() == 0


def test_confirm_needs_the_csrf_token(send, branch_sec):
    notice = send([branch_sec])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(branch_sec)
    assert browser.post(confirm_url(notice)).status_code == 403
    assert NoticeReceipt.objects.get(notice=notice).confirmed_at is None


def test_openapi_lists_the_notice_endpoints(client, branch_sec):
    client.force_login(branch_sec)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert INBOX in paths and "/api/v1/notices/{notice_id}/confirm" in paths
