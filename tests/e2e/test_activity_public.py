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
