"""Journey 6: 朱晓荣 (大观街道党工委) sees all her branches' 三会一课 on one page — green, amber,
red — drills into the red branch and sends a reminder that needs a read confirmation; the branch
secretary confirms it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.tests.factories import make_member
from dangqun.activities.tests.test_compliance import held
from dangqun.orgs.services import create_organization
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalog(transactional_db):
    ensure_catalog()


def test_street_secretary_finds_the_red_branch_and_reminds_it(
    page, browser, live_server, tree, screenshot_dir
):
    from datetime import date

    make_user("zhuxiaorong", display_name="朱晓荣", grants=[(tree.street, "secretary")])
    make_user("dgsec", display_name="大观社区第一党支部书记", grants=[(tree.other_branch, "secretary")])
    green = create_organization(actor=None, parent=tree.community, name="顺城社区第一党支部", kind="branch")
    make_member(green, "绿色党员")  # its 党员大会 is quorate (a meeting without a quorum is not valid)
    for org in (tree.branch, green):
        held(org, "branch_assembly", date(2025, 2, 12))
        held(org, "org_life_meeting", date(2025, 3, 20))
        held(org, "democratic_appraisal", date(2025, 3, 21))
    for month in (1, 2, 3):
        held(green, "theme_day", date(2025, month, 8))
        held(tree.group, "group_meeting", date(2025, month, 9))
    held(tree.branch, "theme_day", date(2025, 1, 8))
    held(tree.branch, "theme_day", date(2025, 2, 8))
    held(tree.branch, "theme_day", date(2025, 3, 8), record=False)

    login(page, live_server, "zhuxiaorong", PASSWORD)
    page.get_by_role("link", name="三会一课").click()
    page.goto(f"{live_server.url}/activities/compliance/?period=2025-Q1")
    table = page.locator("#compliance")
    expect(table.locator("tr[data-light=red]")).to_have_count(1)
    expect(table.locator("tr[data-light=red]")).to_contain_text("大观社区第一党支部")
    expect(table.locator("tr[data-light=amber]")).to_contain_text("世邦魏理仕物业昆明分公司党支部")
    expect(table.locator("tr[data-light=green]")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "activity_compliance_street.png"), full_page=True)

    table.get_by_role("link", name="大观社区第一党支部").click()
    expect(page.locator("h1")).to_have_text("大观社区第一党支部")
    expect(page.locator("#rule-cells")).to_contain_text("未完成")
    page.get_by_role("button", name="发送督办提醒").click()
    expect(page.locator(".messages")).to_contain_text(
        "已向 大观社区第一党支部 发送督办提醒（需确认已读，1 人）"
    )
    page.screenshot(path=str(screenshot_dir / "activity_compliance_branch.png"), full_page=True)

    # The branch secretary reads and confirms the reminder in the notices inbox.
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    other = context.new_page()
    login(other, live_server, "dgsec", PASSWORD)
    other.goto(f"{live_server.url}/notices/")
    other.get_by_text("督办提醒：大观社区第一党支部 2025 Q1 组织生活").first.click()
    expect(other.locator("body")).to_contain_text("支部党员大会（2025 Q1）：应 1 次，已开展 0 次")
    confirm = other.get_by_role("button", name="确认已读")
    if confirm.count():
        confirm.first.click()
    from dangqun.news.models import NoticeReceipt

    assert NoticeReceipt.objects.filter(recipient__username="dgsec", confirmed_at__isnull=False).count() == 1
    context.close()
    assert page.console_errors == []
