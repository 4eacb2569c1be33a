"""JOURNEYS.md 4 (staff side and the public wall): a retired resident's wish "想要一台收音机" is approved
by the center staff and shown with a first name only; a member from one of the building's
enterprises claims it and delivers it; the resident's thanks close it. The wall shows it moving from
待认领 to 已完成.

Posting at the kiosk, claiming and confirming on the phone belong to the portal; here they go
through the services the portal calls (post_wish, claim_wish, fulfil_wish, confirm_wish).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dangqun.centers.services import create_center
from dangqun.people.services import link_user, register_person
from dangqun.servicedesk import services
from dangqun.testing.factories import PASSWORD, make_user, member_data
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wish_from_the_wall_to_thanks(page, live_server, tree, screenshot_dir):
    center = create_center(actor=None, organization=tree.community,
                           data={"name": "招银大厦“金领”党群服务中心", "slug": "jinling"})  # fmt: skip
    make_user("duansiyu", display_name="段思雨", grants=[(tree.community, "center_staff")])
    member = make_user("liuhui", display_name="刘慧")
    link_user(actor=None, person=register_person(actor=None, organization=tree.branch, data=member_data("刘慧")),
              user=member)  # fmt: skip

    # At the kiosk the resident posts the wish (portal → this service), with no consent for a name.
    posted = services.post_wish(
        actor=None, center=center, title="想要一台收音机", description="退休在家，想听听新闻和滇剧。",
        name="王秀英", mobile="13512345678",
    )  # fmt: skip

    wall_url = f"{live_server.url}/servicedesk/wall/jinling/"
    page.goto(wall_url)
    expect(page.locator(".empty-state")).to_have_text("心愿墙上还没有心愿。")

    login(page, live_server, "duansiyu", PASSWORD)
    page.get_by_role("link", name="心愿墙").click()
    expect(page.locator("#wishes-pending")).to_have_text("1 个心愿等待审核。")
    queue = page.locator("#wish-queue")
    expect(queue).to_contain_text("王秀英")
    expect(queue).to_contain_text("135****5678")
    expect(queue).to_contain_text("王*英")
    page.screenshot(path=str(screenshot_dir / "wishes_queue.png"), full_page=True)
    page.get_by_role("link", name="想要一台收音机").click()
    page.get_by_role("button", name="审核通过，上墙").click()
    expect(page.locator(".messages")).to_contain_text("已审核通过，心愿上墙待认领。")
    expect(page.locator("#wish-state")).to_have_text("待认领")

    # The lobby wall: no login, first name only, no phone.
    page.context.clear_cookies()
    page.goto(wall_url)
    card = page.locator(".sd-wish").first
    expect(card).to_contain_text("想要一台收音机")
    expect(card).to_contain_text("待认领")
    expect(card).to_contain_text("许愿人：王*英")
    content = page.content()
    assert "王秀英" not in content and "5678" not in content
    page.screenshot(path=str(screenshot_dir / "wish_wall_open.png"), full_page=True)

    # A member of the tower claims it on the phone, then delivers it.
    services.claim_wish(actor=member, wish=posted.wish)
    page.reload()
    expect(card).to_contain_text("已认领")
    expect(card).to_contain_text("认领党员：刘*")
    services.fulfil_wish(actor=member, wish=posted.wish, note="已送到王阿姨家")
    services.confirm_wish(wish=posted.wish, token=posted.token, thanks="谢谢小刘，收音机很好用！", rating=5)
    page.reload()
    expect(card).to_contain_text("已完成")
    expect(card).to_contain_text("“谢谢小刘，收音机很好用！”")
    expect(page.locator(".sd-wall-counts")).to_contain_text("已实现")
    expect(page.locator(".sd-rankings")).to_contain_text(
        "刘* · 世邦魏理仕物业昆明分公司党支部 · 实现 1 个心愿"
    )
    page.screenshot(path=str(screenshot_dir / "wish_wall_done.png"), full_page=True)

    # The staff see the whole story.
    login(page, live_server, "duansiyu", PASSWORD)
    page.goto(f"{live_server.url}/servicedesk/wishes/{posted.wish.pk}/")
    expect(page.locator("#wish-state")).to_have_text("已评价")
    history = page.locator("#wish-history")
    for step in ("提交心愿", "审核通过", "党员认领", "心愿实现", "确认致谢"):
        expect(history).to_contain_text(step)
    expect(page.locator("#wish-actions")).to_contain_text("当前状态下没有可执行的操作。")
    assert page.console_errors == []
