"""The JSON API: public catalog, tracking and wall; the staff queue in scope, masked."""

from __future__ import annotations

import pytest

from dangqun.servicedesk import services
from dangqun.servicedesk.enums import Channel

pytestmark = pytest.mark.django_db

BASE = "/api/v1/servicedesk"


@pytest.fixture
def filed(item):
    return services.file_request(actor=None, item=item, description="请代办工商登记", name="陈经理",
                                 mobile="13912345678", channel=Channel.KIOSK)  # fmt: skip


def test_catalog_and_wall_are_public(client, item, center, staff):
    body = client.get(f"{BASE}/centers/{center.slug}/items").json()
    assert [(i["code"], i["promise"]) for i in body] == [("registration", "承诺 5 个工作日内办结")]
    wish = services.post_wish(
        actor=None, center=center, title="想要一台收音机", name="王秀英", mobile="13512345678"
    )
    services.approve_wish(actor=staff, wish=wish.wish)
    wall = client.get(f"{BASE}/centers/{center.slug}/wall").json()
    assert [(c["title"], c["wisher"], c["state_label"]) for c in wall] == [
        ("想要一台收音机", "王*英", "待认领")
    ]
    assert "mobile" not in wall[0]
    assert client.get(f"{BASE}/centers/nowhere/items").status_code == 404


def test_tracking_by_token(client, filed, staff):
    services.accept_request(actor=staff, request=filed.request)
    services.request_info(actor=staff, request=filed.request, note="请补充授权书")
    body = client.get(f"{BASE}/track/{filed.token}").json()
    assert (body["number"], body["status"], body["open"], body["can_supply"]) == (
        filed.request.number, "请补充材料", True, True,
    )  # fmt: skip
    assert [n["text"] for n in body["notes"]] == ["请补充授权书"]
    assert client.get(f"{BASE}/track/not-a-token").status_code == 404


def test_staff_queue_in_scope_and_masked(client, filed, staff, foreigner):
    assert client.get(f"{BASE}/requests").status_code == 401
    client.force_login(staff)
    body = client.get(f"{BASE}/requests").json()
    assert [(r["number"], r["requester_mobile"], r["state"]) for r in body] == [
        (filed.request.number, "139****5678", "submitted"),
    ]  # fmt: skip
    client.force_login(foreigner)
    assert client.get(f"{BASE}/requests").json() == []
    assert client.get(f"{BASE}/requests/{filed.request.pk}").status_code == 404
