"""Journey 4 on the demo data, every step in a browser: a retired resident posts her wish for a
radio from her phone (360 px); after the "金领" center's staff approve it on their page the lobby
kiosk shows it 待认领 with a first name only; 刘慧 claims it from her phone and reports it delivered;
the resident confirms and thanks; the kiosk shows it 已完成."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from dangqun.portal.tests.browser import PHONE, fresh_rate_limits, open_page  # noqa: F401 (autouse fixture)
from dangqun.servicedesk.models import Wish
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kiosk(browser):
    page = open_page(browser, {"width": 1920, "height": 1080})
    yield page
    page.context.close()


@pytest.fixture
def resident(browser):
    page = open_page(browser, {"width": 360, "height": 740}, mobile=True)
    yield page
    page.context.close()


@pytest.fixture
def member(browser):
    page = open_page(browser, {"width": 360, "height": 740}, mobile=True)
    yield page
    page.context.close()


# The demo wall already has "想要一台收音机"; hers is told apart by its words.
WISH = "想要一台能听滇剧的收音机"


@pytest.fixture
def staff(browser):
    page = open_page(browser, {"width": 1280, "height": 900})
    yield page
    page.context.close()


def _card(page, title: str):
    return page.locator(".k-wish", has_text=title)


def test_the_radio_wish_moves_across_the_wall(kiosk, resident, member, staff, live_server, screenshot_dir):
    call_command("load_demo", "--small", stdout=StringIO())

    # The resident posts from her phone, agreeing to be shown as 王奶奶.
    resident.goto(f"{live_server.url}/m/c/jinling/wishes/new/")
    expect(resident.locator("#f-shown_name")).to_be_hidden()
    resident.fill("#id_title", WISH)
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
    expect(kiosk.locator(".k-wishes")).not_to_contain_text(WISH)
    assert resident.evaluate("document.documentElement.scrollWidth") <= 360

    # The center's staff approve it on their page.
    wish = Wish.objects.get(title=WISH)
    login(staff, live_server, "centerstaff", settings.DEMO_PASSWORD)
    staff.goto(f"{live_server.url}/servicedesk/wishes/{wish.pk}/")
    expect(staff.locator("#wish-public-name")).to_contain_text("王奶奶")
    staff.locator("#wish-action-approve").get_by_role("button", name="审核通过，上墙").click()
    expect(staff.locator("#wish-state")).to_have_text("待认领")
    kiosk.reload()
    expect(_card(kiosk, WISH)).to_contain_text("待认领")
    expect(_card(kiosk, WISH)).to_contain_text("王奶奶")
    assert "王秀英" not in kiosk.content() and "13888041267" not in kiosk.content()
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_wall_open.png"))

    # A member of a building enterprise claims it from her phone.
    member.goto(f"{live_server.url}/m/c/jinling/wishes/")
    member.get_by_text(WISH).click()
    member.get_by_role("link", name="党员登录后认领").click()
    member.fill("#id_login", "liuhui")
    member.fill("#id_password", settings.DEMO_PASSWORD)
    member.click("#main button[type=submit]")
    member.wait_for_url(f"{live_server.url}/m/w/{wish.pk}/")
    member.get_by_role("button", name="我来认领").click()
    expect(member.locator(".m-messages")).to_contain_text("认领成功")
    member.screenshot(path=str(screenshot_dir / "portal_wish_claimed_phone.png"), full_page=True)
    kiosk.reload()
    expect(_card(kiosk, WISH)).to_contain_text("已认领")
    expect(_card(kiosk, WISH)).to_contain_text("刘* 认领")

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
    expect(_card(kiosk, WISH)).to_contain_text("已完成")
    expect(_card(kiosk, WISH)).to_contain_text("收音机很好用，谢谢党员同志！")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_wall_done.png"))
    kiosk.goto(f"{live_server.url}/kiosk/jinling/")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_home_landscape.png"))
    assert kiosk.evaluate("document.documentElement.scrollHeight") <= 1080
    for page in (kiosk, resident, member, staff):
        assert page.console_errors == []
