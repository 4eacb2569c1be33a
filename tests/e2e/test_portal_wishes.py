"""Journey 4 (phone and kiosk part): a retired resident posts "想要一台收音机" from her phone; after
staff approve it the lobby kiosk shows it 待认领 with a first name only; 刘慧 claims it from her
phone and reports it delivered; the resident confirms and thanks; the kiosk shows it 已完成."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dangqun.portal.tests.builders import build_place
from dangqun.servicedesk import services
from dangqun.servicedesk.models import Wish
from dangqun.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, viewport, *, mobile=False):
    context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True, is_mobile=mobile)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return context, page


@pytest.fixture
def kiosk(browser):
    context, page = _context(browser, {"width": 1920, "height": 1080})
    yield page
    context.close()


@pytest.fixture
def resident(browser):
    context, page = _context(browser, {"width": 360, "height": 740}, mobile=True)
    yield page
    context.close()


@pytest.fixture
def member(browser):
    context, page = _context(browser, {"width": 360, "height": 740}, mobile=True)
    yield page
    context.close()


def _card(page, title: str):
    return page.locator(".k-wish", has_text=title)


def test_the_radio_wish_moves_across_the_wall(kiosk, resident, member, live_server, tree, screenshot_dir):
    build_place(tree)

    # The resident posts from her phone, agreeing to be shown as 王奶奶.
    resident.goto(f"{live_server.url}/m/c/jinling/wishes/new/")
    expect(resident.locator("#f-shown_name")).to_be_hidden()
    resident.fill("#id_title", "想要一台收音机")
    resident.fill("#id_description", "退休在家，眼睛不好，想听听新闻和滇剧。")
    resident.fill("#id_name", "王秀英")
    resident.fill("#id_mobile", "13888041267")
    resident.get_by_text("我同意在心愿墙上显示我的称呼").click()
    expect(resident.locator("#f-shown_name")).to_be_visible()
    resident.fill("#id_shown_name", "王奶奶")
    resident.screenshot(path=str(screenshot_dir / "portal_wish_new_phone.png"), full_page=True)
    resident.get_by_role("button", name="提交心愿").click()
    expect(resident.locator("#wish-state")).to_have_text("待审批")
    own_page = resident.url

    kiosk.goto(f"{live_server.url}/kiosk/jinling/wishes/")
    expect(kiosk.locator(".k-wishes")).not_to_contain_text("想要一台收音机")
    wish = Wish.objects.get()
    services.approve_wish(actor=None, wish=wish)
    kiosk.reload()
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("待认领")
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("王奶奶")
    assert "王秀英" not in kiosk.content() and "13888041267" not in kiosk.content()
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_wall_open.png"))

    # A member of a building enterprise claims it from her phone.
    member.goto(f"{live_server.url}/m/c/jinling/wishes/")
    member.get_by_text("想要一台收音机").click()
    member.get_by_role("link", name="党员登录后认领").click()
    member.fill("#id_login", "liuhui")
    member.fill("#id_password", PASSWORD)
    member.click("#main button[type=submit]")
    member.wait_for_url(f"{live_server.url}/m/w/{wish.pk}/")
    member.get_by_role("button", name="我来认领").click()
    expect(member.locator(".m-messages")).to_contain_text("认领成功")
    member.screenshot(path=str(screenshot_dir / "portal_wish_claimed_phone.png"), full_page=True)
    kiosk.reload()
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("已认领")
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("刘* 认领")

    member.fill("#id_note", "已把收音机送到王奶奶家，调好了常听的频道。")
    member.get_by_role("button", name="心愿已实现").click()
    expect(member.locator(".m-messages")).to_contain_text("已登记心愿实现")

    # She confirms on the page her link keeps, and thanks.
    resident.goto(own_page)
    expect(resident.locator("#wish-state")).to_have_text("已完成")
    resident.locator("#f-rating").get_by_text("★★★★★").click()
    resident.fill("#id_thanks", "收音机很好用，谢谢党员同志！")
    resident.get_by_role("button", name="确认并致谢").click()
    expect(resident.locator("#wish-state")).to_have_text("已评价")

    kiosk.reload()
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("已完成")
    expect(_card(kiosk, "想要一台收音机")).to_contain_text("收音机很好用，谢谢党员同志！")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_wall_done.png"))
    kiosk.goto(f"{live_server.url}/kiosk/jinling/")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_home_landscape.png"))
    assert kiosk.evaluate("document.documentElement.scrollHeight") <= 1080
    for page in (kiosk, resident, member):
        assert page.console_errors == []
