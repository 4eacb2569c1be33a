"""A secretary of 顺城社区 finds 朱晓荣 by typing her initials; a namesake elsewhere stays hidden."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from dangqun.people.services import register_person
from dangqun.testing.factories import PASSWORD, make_id_number, make_user, masses_data, member_data
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_searches_by_initials_and_sees_masked_phone(page, live_server, tree, screenshot_dir):
    make_user("shuncheng", display_name="顺城社区书记", grants=[(tree.community, "secretary")])
    register_person(actor=None, organization=tree.branch, data=member_data("朱晓荣"))
    register_person(
        actor=None,
        organization=tree.group,
        data=member_data("刘慧", id_number=make_id_number(date(1985, 6, 15), seq=401)),
    )
    register_person(actor=None, organization=tree.community, data=masses_data("张三"))
    register_person(
        actor=None,
        organization=tree.far_branch,
        data=masses_data("朱小蓉", id_number=make_id_number(date(1991, 2, 3), seq=402)),
    )

    login(page, live_server, "shuncheng", PASSWORD)
    page.goto(f"{live_server.url}/people/")
    results = page.locator("#people-results")
    expect(results).to_contain_text("刘慧")

    page.locator("#id_q").press_sequentially("zxr", delay=60)
    expect(results).to_contain_text("朱晓荣")
    expect(results).not_to_contain_text("刘慧")
    expect(results).not_to_contain_text("朱小蓉")
    expect(page).to_have_url(f"{live_server.url}/people/?q=zxr&org=&category=&status=&gender=")
    page.screenshot(path=str(screenshot_dir / "people_list.png"), full_page=True)

    page.get_by_role("link", name="朱晓荣").click()
    expect(page.locator("h1")).to_have_text("朱晓荣")
    expect(page.locator("#person-mobile")).to_have_text("138****8000")
    assert "13800138000" not in page.content()

    page.goto(f"{live_server.url}/orgs/")
    page.get_by_role("button", name="展开 顺城社区党委").click()
    page.get_by_role("button", name="展开 世邦魏理仕物业昆明分公司党支部").click()
    expect(page.locator(".tree")).to_contain_text("第一党小组")
    page.screenshot(path=str(screenshot_dir / "org_tree.png"), full_page=True)

    assert page.console_errors == []
