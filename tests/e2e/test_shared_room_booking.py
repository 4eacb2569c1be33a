"""Journey 3: a salon in a shared room (场地合用), on the demo data.

归海加油站, a social organization in the "金领" center, books the 党建图书馆 on Thursday evening for a
salon (合用, 8 people); HRP人才服务站 asks for the same slot for exclusive use (借用) and is told the slot
is taken, with the nearest free slots offered — it takes one; 新阶层党支部 joins the salon as shared
use, refused at 13 people (12 places left) and accepted at 12, which fills the room's 20. The center's
staff accept the requests in the queue, and the week grid shows the room shared and full.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.centers.demo import coming
from dangqun.centers.models import Booking, Space
from dangqun.orgs.models import Organization
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page, live_server, username, password=PASSWORD):
    page.context.clear_cookies()
    login(page, live_server, username, password)
    page.console_errors.clear()  # the workbench answers 403 to logins without a staff role (not ours)


def fill_booking(page, *, on_behalf, day, start, end, mode, attendees, purpose):
    page.select_option("#id_on_behalf", label=on_behalf)
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start", start)
    page.fill("#id_end", end)
    page.check(f"input[name=mode][value={mode}]")
    page.fill("#id_attendees", str(attendees))
    page.fill("#id_purpose", purpose)


def test_salon_in_a_shared_room(page, live_server, screenshot_dir):
    from io import StringIO

    call_command("load_demo", "--small", stdout=StringIO())
    org = {
        o.name: o
        for o in Organization.objects.filter(name__in=["归海加油站", "HRP人才服务站", "新阶层党支部"])
    }
    make_user("guihai", display_name="归海加油站 周晴", grants=[(org["归海加油站"], "masses")])
    make_user("hrp", display_name="HRP人才服务站 陈默", grants=[(org["HRP人才服务站"], "masses")])
    make_user("xinjieceng", display_name="新阶层党支部 李然", grants=[(org["新阶层党支部"], "member")])
    library = Space.objects.get(center__slug="jinling", name="党建图书馆")
    # The demo's salon is on the coming Thursday; this journey books the Thursday after it.
    thursday = coming(3, timezone.localdate()) + timedelta(days=7)
    book_url = f"{live_server.url}/centers/book/{library.pk}/?day={thursday.isoformat()}"

    # 1. 归海加油站 books the salon: shared use, 8 people.
    log_in_as(page, live_server, "guihai")
    page.goto(f"{live_server.url}/centers/book/")
    page.get_by_role("link", name="党建图书馆").click()
    expect(page.locator("h1")).to_have_text("预约 党建图书馆")
    fill_booking(page, on_behalf="归海加油站", day=thursday, start="19:00", end="21:00", mode="shared",
                 attendees=8, purpose="读书沙龙：城市与阅读")  # fmt: skip
    page.click("#booking-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已提交预约申请（1 次），等待中心审核。")
    expect(page.locator("#mine-table")).to_contain_text("读书沙龙：城市与阅读")

    # 2. HRP人才服务站 wants the same slot for itself alone: taken, nearest free slots offered.
    log_in_as(page, live_server, "hrp")
    page.goto(book_url)
    fill_booking(page, on_behalf="HRP人才服务站", day=thursday, start="19:00", end="21:00", mode="borrow",
                 attendees=10, purpose="人才政策宣讲")  # fmt: skip
    page.click("#booking-form button[type=submit]")
    expect(page.locator("#field-start .field-error")).to_contain_text("已被占用")
    suggestions = page.locator("#suggestions .js-suggestion")
    expect(suggestions).to_have_count(3)
    expect(suggestions.first).to_contain_text("17:00–19:00")
    page.screenshot(path=str(screenshot_dir / "booking_slot_taken.png"), full_page=True)
    suggestions.first.click()
    expect(page.locator("#id_start")).to_have_value("17:00")
    expect(page.locator("#id_end")).to_have_value("19:00")
    page.click("#booking-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已提交预约申请")
    expect(page.locator("#mine-table")).to_contain_text("17:00–19:00")

    # 3. 新阶层党支部 joins the salon as shared use, up to the room's capacity of 20.
    log_in_as(page, live_server, "xinjieceng")
    page.goto(book_url)
    fill_booking(page, on_behalf="新阶层党支部", day=thursday, start="19:00", end="21:00", mode="shared",
                 attendees=13, purpose="读书沙龙：城市与阅读（合用）")  # fmt: skip
    page.click("#booking-form button[type=submit]")
    expect(page.locator("#field-attendees .field-error")).to_contain_text("还可加入 12 人")
    page.fill("#id_attendees", "12")
    page.click("#booking-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已提交预约申请")

    # 4. The center's staff accept the three requests; the grid shows the room shared and full.
    log_in_as(page, live_server, "centerstaff", settings.DEMO_PASSWORD)  # the demo's 段思雨
    page.goto(f"{live_server.url}/centers/queue/")
    queue = page.locator("#queue-table")
    for purpose in ("读书沙龙：城市与阅读", "人才政策宣讲", "读书沙龙：城市与阅读（合用）"):
        expect(queue).to_contain_text(purpose)
    page.screenshot(path=str(screenshot_dir / "booking_queue.png"), full_page=True)
    for _ in range(3):
        row = queue.locator("tr", has_text=thursday.strftime("%m-%d")).first
        row.get_by_role("button", name="通过", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("已通过")
    expect(page.locator("#queue-table")).not_to_contain_text(thursday.strftime("%m-%d"))
    assert sorted(
        Booking.objects.filter(space=library, starts_at__date=thursday).values_list(
            "mode", "attendees", "status"
        )
    ) == [("borrow", 10, "accepted"), ("shared", 8, "accepted"), ("shared", 12, "accepted")]

    page.goto(f"{live_server.url}/centers/spaces/{library.pk}/?week={thursday.isoformat()}")
    grid = page.locator(".slot-grid")
    expect(grid).to_contain_text("合用 余0")
    expect(grid).to_contain_text("归海加油站")
    expect(grid).to_contain_text("新阶层党支部")
    expect(grid).to_contain_text("HRP人才服务站")
    page.screenshot(path=str(screenshot_dir / "booking_week_grid.png"), full_page=True)
    assert page.console_errors == []
