"""Journey 7 (activities part): the 老年人协会's 道德讲堂 appears on the 金源花园 community's activity
list; a resident without an account registers with name and mobile and gets a pass."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.tests.factories import at, make_activity
from dangqun.orgs.services import create_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalog(transactional_db):
    ensure_catalog()


def test_moral_lecture_on_the_community_list_and_guest_registration(page, live_server, tree, screenshot_dir):
    elders = create_organization(actor=None, parent=tree.far_branch, name="老年人协会", kind="social_org")
    make_activity(elders, type_code="moral_lecture", audience="public", title="道德讲堂：诚实守信 好家风",
                  starts=at(days=1), place_text="金源花园二期 老年人活动室", capacity=60)  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/activities/org/{tree.far_branch.pk}/")
    expect(page.locator("#activity-list")).to_contain_text("道德讲堂：诚实守信 好家风")
    expect(page.locator("#activity-list")).to_contain_text("老年人协会")
    page.screenshot(path=str(screenshot_dir / "activity_community_list.png"), full_page=True)
    page.get_by_role("link", name="道德讲堂：诚实守信 好家风").click()
    page.fill("#id_name", "张桂芬")
    page.fill("#id_mobile", "1381234")
    page.get_by_role("button", name="提交报名").click()
    expect(page.locator(".field-error")).to_contain_text("手机号格式不正确")
    page.fill("#id_mobile", "138 1234 5678")
    page.get_by_role("button", name="提交报名").click()
    expect(page.locator("#pass-code")).to_be_visible()
    expect(page.locator("#pass")).to_contain_text("138****5678")
    page.screenshot(path=str(screenshot_dir / "activity_guest_pass.png"), full_page=True)
    assert page.console_errors == []


NARROW = {"width": 360, "height": 740}


def fits(page) -> None:
    """Nothing is wider than the 360 px screen (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_public_page_at_360_px_with_large_text_members_masses_and_the_pass(browser, live_server, tree,
                                                                          screenshot_dir):  # fmt: skip
    """The canonical mobile page reached by QR (/activities/p/<pk>/): fits 360 px, type follows the
    reader's font size, a guest and a member register, both see the pass QR."""
    import json

    from dangqun.activities.tests.factories import make_member
    from dangqun.testing.factories import PASSWORD, make_user
    from tests.e2e.conftest import login

    activity = make_activity(tree.branch, type_code="theme_day", audience="public", capacity=30,
                             title="11月主题党日：重温入党誓词·楼宇党员交流", starts=at(days=1),
                             place_text="招银大厦“金领”党群服务中心 党建图书馆",
                             description="世邦魏理仕物业党支部联合招银大厦各入驻企业党员开展主题党日。")  # fmt: skip
    url = f"{live_server.url}/activities/p/{activity.pk}/"
    context = browser.new_context(viewport=NARROW, locale="zh-CN", has_touch=True, is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    errors = []
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        phone.goto(url)
        expect(phone.locator("h1")).to_have_text(activity.title)
        event = json.loads(phone.locator('script[type="application/ld+json"]').text_content())
        assert event["@type"] == "Event" and event["name"] == activity.title
        fits(phone)
        body = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body >= 18  # 1.125rem of the default 16 px
        phone.screenshot(path=str(screenshot_dir / "activity_public_360.png"), full_page=True)
        # The reader asks for larger text (browser font size 24 px): the page follows and still fits.
        phone.evaluate("document.documentElement.style.fontSize = '24px'")
        assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 27
        fits(phone)
        phone.screenshot(path=str(screenshot_dir / "activity_public_360_large_text.png"), full_page=True)

        # A resident without an account registers with name and mobile and gets the pass QR.
        phone.goto(url)
        phone.fill("#id_name", "张桂芬")
        phone.fill("#id_mobile", "13812345678")
        phone.get_by_role("button", name="提交报名").click()
        expect(phone.locator("#pass-code")).to_be_visible()
        expect(phone.locator(".pass-qr svg")).to_be_visible()
        fits(phone)
        phone.screenshot(path=str(screenshot_dir / "activity_pass_360.png"), full_page=True)

        # A member logs in and registers from the same page; the page then shows her pass QR.
        user = make_user("liuhui", display_name="刘慧", grants=[(tree.branch, "member")])
        make_member(tree.branch, "刘慧", user=user)
        login(phone, live_server, "liuhui", PASSWORD)
        phone.goto(url)
        phone.get_by_role("button", name="我要报名").click()
        expect(phone.locator("#pass-code")).to_be_visible()
        phone.goto(url)
        expect(phone.locator("#my-pass-qr svg")).to_be_visible()
        expect(phone.locator("#my-pass-code")).to_be_visible()
        fits(phone)
        phone.screenshot(path=str(screenshot_dir / "activity_public_member_360.png"), full_page=True)
    finally:
        context.close()
    # The member's only console line is the 403 of the staff workbench she lands on after login.
    assert [e for e in errors if "403" not in e] == []
