"""/api/v1/portal/: a center's summary for lobby screens, public and minimal."""

from __future__ import annotations

import pytest

from dangqun.portal.tests.builders import WISHER

pytestmark = pytest.mark.django_db


def test_the_summary_is_public_and_minimal(client, place, wall):
    response = client.get("/api/v1/portal/centers/jinling/summary")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "“金领”党群服务中心" and data["hours_today"] == ["08:00", "21:00"]
    assert data["phone_url"] == "http://testserver/m/c/jinling/"
    assert data["qr_url"] == "http://testserver/m/qr/center/jinling.svg"
    assert [a["title"] for a in data["today"]] == ["楼宇青年读书沙龙"]  # the 主题党日 is members only
    assert data["today"][0]["url"] == f"http://testserver/activities/p/{place.salon.pk}/"
    # Both bookable spaces hold an activity right now (the activities book their space).
    assert data["free_now"] == []
    assert [s["name"] for s in data["services"]] == ["代办企业登记注册", "政策咨询"]
    assert data["services"][0]["promise"] == "承诺 5 个工作日内办结"
    assert data["wall"] == {
        "open": 1,
        "claimed": 1,
        "realised": 1,
        "url": "http://testserver/m/c/jinling/wishes/",
    }
    assert WISHER[0] not in response.content.decode() and WISHER[1] not in response.content.decode()


def test_an_unknown_center_is_404(client, place):
    response = client.get("/api/v1/portal/centers/nowhere/summary")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
