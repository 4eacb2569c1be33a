"""Journey 6 (end): the street secretary sends a reminder that needs a read confirmation to a branch
secretary; he sees the unread badge, opens it and confirms; she sees 1/1 confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.news.models import NoticeReceipt
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")


def test_reminder_is_confirmed_and_the_sender_sees_it(page, live_server, tree, screenshot_dir):
    make_user("zhuxr", display_name="朱晓荣", grants=[(tree.street, "secretary")])
    make_user("ruanyh", display_name="阮玉华", grants=[(tree.community, "secretary")])
    yang = make_user("yangzy", display_name="杨志宇", grants=[(tree.branch, "secretary")])
    due = timezone.localdate() + timedelta(days=10)

    # 朱晓荣 writes from 大观街道党工委. Choosing another sending node refreshes the recipients (htmx):
    # the secretaries of its direct children are ticked by default.
    login(page, live_server, "zhuxr", PASSWORD)
    page.locator("#nav-notices").click()
    expect(page.locator("h1")).to_have_text("我的通知")
    page.get_by_role("link", name="发送通知").click()
    ruan_box = page.get_by_label("阮玉华（顺城社区党委 · 书记）")
    yang_box = page.get_by_label("杨志宇（世邦魏理仕物业昆明分公司党支部 · 书记）")
    expect(ruan_box).to_be_checked()
    expect(yang_box).not_to_be_checked()
    page.select_option("#id_organization", label="　顺城社区党委")
    expect(yang_box).to_be_checked()
    expect(page.locator("#recipient-field")).not_to_contain_text("阮玉华")
    page.select_option("#id_organization", label="大观街道党工委")
    expect(ruan_box).to_be_checked()
    ruan_box.uncheck()
    yang_box.check()
    page.select_option("#id_category", "reminder")
    page.fill("#id_title", "请于本季度末前补开支委会")
    page.fill("#id_body", "杨志宇同志：\n本季度支委会尚未召开，请尽快安排并上传会议记录。")
    page.fill("#id_due_date", due.isoformat())
    expect(page.locator("#id_requires_confirmation")).to_be_checked()
    page.screenshot(path=str(screenshot_dir / "notice_send.png"), full_page=True)
    page.get_by_role("button", name="发送", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("已发送给 1 人。")
    expect(page.locator("#stat-confirmed")).to_have_text("0/1")
    expect(page.locator("#pending")).to_contain_text("杨志宇")
    expect(page.get_by_role("button", name="再次提醒（1 人）")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "notice_sent_pending.png"), full_page=True)
    logout(page)

    # 杨志宇 sees the badge on his workbench, opens the notice and confirms.
    login(page, live_server, "yangzy", PASSWORD)
    badge = page.locator("#nav-notices-unread")
    expect(badge).to_have_text("1条未读")
    page.screenshot(path=str(screenshot_dir / "notice_badge.png"))
    page.locator("#nav-notices").click()
    item = page.locator(".notice-item.is-unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("大观街道党工委 · 朱晓荣")
    expect(item).to_contain_text("待确认")
    page.screenshot(path=str(screenshot_dir / "notice_inbox.png"), full_page=True)
    item.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("请于本季度末前补开支委会")
    expect(page.locator(".notice-body")).to_contain_text("本季度支委会尚未召开")
    expect(page.locator("#confirm-state")).to_contain_text(f"请于 {due.isoformat()} 前确认")
    expect(page.locator("#nav-notices-unread")).to_have_count(0)  # opening it read it
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "notice_detail_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_role("button", name="确认已读").click()
    expect(page.locator("#confirm-state")).to_contain_text("您已于")
    expect(page.get_by_role("button", name="确认已读")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "notice_confirmed.png"), full_page=True)
    receipt = NoticeReceipt.objects.get(recipient=yang)
    assert receipt.confirmed_at is not None and receipt.read_at is not None
    logout(page)

    # 朱晓荣 sees 1/1 confirmed in her sent list and on the progress page.
    login(page, live_server, "zhuxr", PASSWORD)
    page.goto(f"{live_server.url}/notices/sent/")
    row = page.locator(".sent-table tbody tr").first
    expect(row).to_contain_text("1/1 已确认")
    page.screenshot(path=str(screenshot_dir / "notice_sent_list.png"), full_page=True)
    row.get_by_role("link", name="请于本季度末前补开支委会").click()
    expect(page.locator("#stat-confirmed")).to_have_text("1/1")
    expect(page.locator("#pending")).to_contain_text("全部接收人都已确认。")
    expect(page.locator("#done")).to_contain_text("杨志宇")
    expect(page.get_by_role("button", name="再次提醒（0 人）")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "notice_sent_detail.png"), full_page=True)

    assert page.console_errors == []
