"""Booking a space from the phone: a few taps, refusals next to their field with the nearest free
slots, the requester's page by its secret code, cancelling."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangqun.centers.models import Booking

pytestmark = pytest.mark.django_db


def booked():
    """Bookings made here (not those the place's activities hold in their spaces)."""
    return Booking.objects.filter(activity__isnull=True)


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def book(client, space, *, day=None, start="19:00", end="21:00", mode="borrow", attendees="12", **extra):
    day = day or tomorrow()
    data = {"day": day.isoformat(), "start": start, "end": end, "mode": mode, "attendees": attendees,
            "purpose": "读书沙龙", "name": "陈老师", "mobile": "13812345678", **extra}  # fmt: skip
    return client.post(f"{reverse('portal:space', args=[space.pk])}?day={day.isoformat()}", data)


def at(day, hhmm: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(hhmm)))


def field_error(response, field: str) -> str:
    text = response.content.decode()
    block = text[text.index(f'id="f-{field}"') :]
    return block[: block.index("</div>")]


def test_the_space_page_shows_the_week_and_the_chosen_days_slots(client, place):
    day = tomorrow()
    text = client.get(
        reverse("portal:space", args=[place.library.pk]), {"day": day.isoformat()}
    ).content.decode()
    assert text.count('<a class="m-day') == 7
    assert f'href="?day={day.isoformat()}&amp;start=19:00#book"' in text
    assert "可容纳 20 人" in text and "可合用" in text


def test_a_free_slot_chip_fills_the_form(client, place):
    day = tomorrow()
    text = client.get(
        reverse("portal:space", args=[place.library.pk]), {"day": day.isoformat(), "start": "19:00"}
    ).content.decode()
    assert '<option value="19:00" selected>19:00</option>' in text
    assert '<option value="20:00" selected>20:00</option>' in text


def test_booking_from_the_phone_leads_to_the_requesters_page(client, place):
    response = book(client, place.library)
    assert response.status_code == 302
    booking = booked().get()
    assert response["Location"] == reverse("portal:booking", args=[booking.public_code])
    assert (booking.status, booking.channel, booking.contact_name, booking.starts_at) == (
        "pending", "phone", "陈老师", at(tomorrow(), "19:00"),
    )  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert "待审核" in page and "读书沙龙" in page
    assert client.post(reverse("portal:booking-cancel", args=[booking.public_code])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_an_auto_accepting_space_accepts_at_once(client, place):
    assert book(client, place.lounge).status_code == 302
    assert booked().get().status == "accepted"


def test_a_taken_slot_is_refused_with_the_nearest_free_slots(client, place):
    assert book(client, place.library).status_code == 302
    response = book(client, place.library, mobile="13912345678")
    assert response.status_code == 400
    assert "已被占用" in field_error(response, "start")
    text = response.content.decode()
    assert "可以选择这些最近的空闲时段" in text
    assert f"?day={tomorrow().isoformat()}&amp;start=17:00&amp;end=19:00#book" in text
    assert booked().count() == 1


def test_shared_use_joins_up_to_capacity(client, place):
    assert book(client, place.library, mode="shared", attendees="12").status_code == 302
    assert book(client, place.library, mode="shared", attendees="8", mobile="13912345678").status_code == 302
    full = book(client, place.library, mode="shared", attendees="1", mobile="13712345678")
    assert full.status_code == 400 and "合用人数已满" in field_error(full, "attendees")
    assert booked().filter(mode="shared").count() == 2


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"start": "19:00", "end": "19:00"}, "end", "预约时长不能为零"),
        ({"attendees": "400"}, "attendees", "参加人数 400 超过“党建图书馆”的容纳人数 20。"),
        ({"mobile": "12345"}, "mobile", "手机号格式不正确：12345"),
        ({"name": ""}, "name", "请填写联系人姓名。"),
        ({"purpose": ""}, "purpose", "请填写用途。"),
        ({"start": ""}, "start", "请填写开始时间。"),
    ],
)
def test_bad_bookings_are_refused_next_to_their_field(client, place, changes, field, message):
    response = book(client, place.library, **changes)
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert booked().count() == 0


def test_a_page_left_open_past_midnight_is_refused_not_moved_to_another_day(client, place):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {"day": yesterday.isoformat(), "start": "19:00", "end": "21:00", "mode": "borrow", "attendees": "3",
            "purpose": "读书沙龙", "name": "陈老师", "mobile": "13812345678"}  # fmt: skip
    response = client.post(reverse("portal:space", args=[place.library.pk]), data)
    assert response.status_code == 400 and booked().count() == 0
    from dangqun.centers.selectors.availability import availability

    later = timezone.localdate() + timedelta(days=8)  # beyond the week shown, within the booking window
    while not availability(place.library, later).is_open:
        later += timedelta(days=1)
    assert book(client, place.library, day=later).status_code == 302
    assert booked().get().starts_at == at(later, "19:00")


def test_sharing_is_not_offered_where_the_space_does_not_allow_it(client, place):
    text = client.get(reverse("portal:space", args=[place.lounge.pk])).content.decode()
    assert 'value="shared"' not in text
    response = book(client, place.lounge, mode="shared")
    assert response.status_code == 400 and booked().count() == 0


def test_space_photos_show_on_the_phone_and_kiosk_and_are_served_as_images(client, place, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from dangqun.centers.services import add_space_photo

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    photo = add_space_photo(
        actor=None,
        space=place.library,
        upload=SimpleUploadedFile("a.png", buffer.getvalue()),
        caption="阅览区",
    )
    src = f'src="/centers/photos/{photo.pk}/"'
    phone = client.get(reverse("portal:space", args=[place.library.pk])).content.decode()
    assert 'id="space-photos"' in phone and src in phone and "阅览区" in phone
    kiosk = client.get(reverse("portal:kiosk-space", args=["jinling", place.library.pk])).content.decode()
    assert src in kiosk
    served = client.get(f"/centers/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
