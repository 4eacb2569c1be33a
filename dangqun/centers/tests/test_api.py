"""The JSON API: public availability, booking by login (session) and by kiosk (device token)."""

from __future__ import annotations

import pytest

from dangqun.accounts.devices import register_device
from dangqun.centers.models import Booking
from dangqun.centers.tests.conftest import at
from dangqun.centers.tests.helpers import book
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/centers"


def payload(library, thursday, **overrides):
    data = {
        "space_id": library.pk,
        "starts_at": at(thursday, 19).isoformat(),
        "ends_at": at(thursday, 21).isoformat(),
        "mode": "shared",
        "purpose": "读书沙龙",
        "attendees": 8,
    }
    data.update(overrides)
    return data


def test_public_reads_need_no_login(client, center, library, lounge, thursday):
    assert [c["slug"] for c in client.get(f"{URL}/centers").json()] == ["jinling"]
    assert [s["name"] for s in client.get(f"{URL}/centers/jinling/spaces").json()] == ["党建图书馆", "休闲吧"]
    book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=8)
    body = client.get(f"{URL}/spaces/{library.pk}/availability", {"day": thursday.isoformat()}).json()
    assert (body["open"], body["capacity"], len(body["slots"])) == (True, 20, 26)
    evening = [s for s in body["slots"] if s["start"].startswith(f"{thursday.isoformat()}T19")]
    assert [(s["state"], s["remaining"]) for s in evening] == [("shared", 12), ("shared", 12)]
    assert body["free"] == [[at(thursday, 8).isoformat(), at(thursday, 19).isoformat()]]
    assert "张三" not in str(body)
    assert client.get(f"{URL}/centers/nowhere/spaces").status_code == 404
    for day in ("9999-12-31", "0001-01-01"):  # the calendar's edges: a clear refusal, not a 500
        response = client.get(f"{URL}/spaces/{library.pk}/availability", {"day": day})
        assert (response.status_code, response.json()["code"], response.json()["field"]) == (
            400, "day_out_of_range", "day"
        )  # fmt: skip


def test_booking_by_login(client, library, thursday, tree):
    client.force_login(make_user(grants=[(tree.branch, "member")], display_name="刘慧"))
    response = client.post(f"{URL}/bookings", payload(library, thursday), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(b["status"], b["requester"], b["mode"]) for b in body] == [("pending", "刘慧", "shared")]
    assert Booking.objects.get().channel == "web"


def test_anonymous_cannot_post(client, library, thursday):
    response = client.post(f"{URL}/bookings", payload(library, thursday), content_type="application/json")
    assert response.status_code == 401
    assert Booking.objects.count() == 0


def test_kiosk_books_for_a_person_with_idempotency(client, library, thursday, tree):
    _device, token = register_device(actor=None, organization=tree.community, name="大厅大屏", kind="kiosk")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    data = payload(
        library, thursday, contact_name="王五", contact_mobile="13912345678", idempotency_key="n-1"
    )
    first = client.post(f"{URL}/bookings", data, content_type="application/json", **headers)
    again = client.post(f"{URL}/bookings", data, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()[0]["id"] == again.json()[0]["id"]
    booking = Booking.objects.get()
    assert (booking.channel, booking.contact_mobile, booking.user) == ("kiosk", "13912345678", None)
    no_phone = payload(library, thursday, contact_name="王五", starts_at=at(thursday, 9).isoformat(),
                       ends_at=at(thursday, 10).isoformat())  # fmt: skip
    response = client.post(f"{URL}/bookings", no_phone, content_type="application/json", **headers)
    assert (response.status_code, response.json()["field"]) == (400, "contact_mobile")


def test_kiosk_of_another_center_refused(client, library, thursday, tree):
    _device, token = register_device(actor=None, organization=tree.far_county, name="远方大屏", kind="kiosk")
    data = payload(library, thursday, contact_name="王五", contact_mobile="13912345678")
    response = client.post(
        f"{URL}/bookings", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert (response.status_code, response.json()["code"]) == (403, "device_elsewhere")


def test_taken_slot_is_409_with_suggestions(client, library, thursday, tree):
    book(library, at(thursday, 19), at(thursday, 21), mode="shared", attendees=8)
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    response = client.post(
        f"{URL}/bookings", payload(library, thursday, mode="borrow"), content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"]) == ("slot_taken", "starts_at")
    assert body["suggestions"][0] == {
        "starts_at": at(thursday, 17).isoformat(),
        "ends_at": at(thursday, 19).isoformat(),
    }


def test_bad_input_names_the_field(client, library, thursday, tree):
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    cases = [
        ({"attendees": 400}, "over_capacity", "attendees"),
        ({"ends_at": at(thursday, 19).isoformat()}, "range_empty", "ends_at"),
        ({"mode": "rent"}, "mode_invalid", "mode"),
        ({"requester_kind": "organization"}, "organization_required", "organization"),
        (
            {"requester_kind": "organization", "organization_id": tree.far_branch.pk},
            "not_member",
            "organization",
        ),
    ]
    for overrides, code, field in cases:
        response = client.post(
            f"{URL}/bookings", payload(library, thursday, **overrides), content_type="application/json"
        )
        assert (response.json()["code"], response.json()["field"]) == (code, field), overrides
    response = client.post(
        f"{URL}/bookings", payload(library, thursday, space_id=999999), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (404, "space_not_found")
    assert Booking.objects.count() == 0


def test_series_all_or_nothing_over_the_api(client, library, thursday, tree):
    from datetime import timedelta

    book(library, at(thursday + timedelta(weeks=2), 19), at(thursday + timedelta(weeks=2), 20), mode="borrow")
    client.force_login(make_user(grants=[(tree.branch, "member")]))
    data = payload(library, thursday, mode="borrow", repeat_weeks=4)
    response = client.post(f"{URL}/bookings", data, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["dates"] == [(thursday + timedelta(weeks=2)).isoformat()]
    assert Booking.objects.count() == 1
    response = client.post(
        f"{URL}/bookings", {**data, "skip_conflicts": True}, content_type="application/json"
    )
    assert response.status_code == 201
    assert len(response.json()) == 3


def test_cancel_own_or_by_code_else_404(client, library, thursday, tree):
    user = make_user(grants=[(tree.branch, "member")])
    mine = book(library, at(thursday, 9), at(thursday, 10), actor=user)
    other = book(library, at(thursday, 11), at(thursday, 12))
    client.force_login(user)
    response = client.post(f"{URL}/bookings/{other.pk}/cancel", {}, content_type="application/json")
    assert response.status_code == 404
    response = client.post(
        f"{URL}/bookings/{mine.pk}/cancel", {"reason": "改期"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    response = client.post(
        f"{URL}/bookings/{other.pk}/cancel",
        {"public_code": other.public_code},
        content_type="application/json",
    )
    assert response.json()["status"] == "cancelled"
    assert [b["id"] for b in client.get(f"{URL}/bookings/mine").json()] == [mine.pk]
