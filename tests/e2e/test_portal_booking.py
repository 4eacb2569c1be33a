"""Journey 3 (phone part): a salon books the 党建图书馆 on Thursday evening for shared use; a second
requester asks for the same slot to use it alone, is told it is taken and takes one of the nearest
free slots offered; a third joins the salon as shared use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.centers.models import Booking
from dangqun.portal.tests.browser import PHONE, fresh_rate_limits, open_page  # noqa: F401 (autouse fixture)
from dangqun.portal.tests.builders import build_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    page = open_page(browser, PHONE, mobile=True)
    yield page
    page.context.close()


def thursday():
    day = timezone.localdate() + timedelta(days=1)
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _book(page, *, mode: str, attendees: str, name: str, mobile: str) -> None:
    page.get_by_text(mode, exact=True).click()
    page.fill("#id_attendees", attendees)
    page.fill("#id_purpose", "读书沙龙")
    page.fill("#id_name", name)
    page.fill("#id_mobile", mobile)
    page.get_by_role("button", name="提交预约").click()


def test_a_salon_shares_the_library_on_thursday_evening(phone, live_server, tree, screenshot_dir):
    place = build_place(tree)
    day = thursday()
    space_url = f"{live_server.url}/m/s/{place.library.pk}/"

    phone.goto(f"{space_url}?day={day.isoformat()}")
    expect(phone.locator("h1")).to_have_text("党建图书馆")
    phone.locator(".m-slot.slot-free", has_text="19:00").click()
    expect(phone.locator("#id_start")).to_have_value("19:00")
    expect(phone.locator("#id_end")).to_have_value("20:00")
    phone.select_option("#id_end", "21:00")
    phone.screenshot(path=str(screenshot_dir / "portal_space_phone.png"), full_page=True)
    _book(phone, mode="合用", attendees="12", name="陈老师", mobile="13812345678")
    expect(phone.locator(".m-status")).to_have_text("待审核")
    phone.screenshot(path=str(screenshot_dir / "portal_booking_phone.png"), full_page=True)

    # The second asks the same slot to use it alone: taken, with the nearest free slots.
    phone.goto(f"{space_url}?day={day.isoformat()}&start=19:00&end=21:00")
    _book(phone, mode="借用", attendees="8", name="林经理", mobile="13912345678")
    expect(phone.locator("#f-start .f-message")).to_contain_text("已被占用")
    suggestions = phone.locator(".m-suggest a")
    expect(suggestions.first).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "portal_space_taken_phone.png"), full_page=True)
    suggestions.first.click()
    _book(phone, mode="借用", attendees="8", name="林经理", mobile="13912345678")
    expect(phone.locator(".m-status")).to_have_text("待审核")

    # The third joins the salon as shared use, within the room's 20 places.
    phone.goto(f"{space_url}?day={day.isoformat()}&start=19:00&end=21:00")
    _book(phone, mode="合用", attendees="8", name="赵社工", mobile="13712345678")
    expect(phone.locator(".m-status")).to_have_text("待审核")
    bookings = Booking.objects.filter(activity__isnull=True).order_by("pk")  # not the activities' own
    assert [(b.mode, b.attendees) for b in bookings] == [("shared", 12), ("borrow", 8), ("shared", 8)]
    assert bookings[1].starts_at != bookings[0].starts_at
    assert phone.console_errors == [] or all("status of 400" in e for e in phone.console_errors)
