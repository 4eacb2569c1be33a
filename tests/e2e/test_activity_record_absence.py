"""The meeting record's absence form: "计入应到人数" can be unticked only for an absence that may
leave the expected count (ill, on duty, abroad); for 事假 / 其他 / 无故缺席 the box is hidden and
stays ticked (activities.js), and the service refuses it anyway."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.models import Absence
from dangqun.activities.services.attendance import enter_paper_sheet
from dangqun.activities.services.records import start_record
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalog(transactional_db):
    ensure_catalog()


def test_not_expected_is_offered_only_for_allowed_reasons(page, live_server, tree, screenshot_dir):
    secretary = make_user("yangzhiyu", display_name="杨志宇", grants=[(tree.branch, "secretary")])
    yang = make_member(tree.branch, "杨志宇", post="支部书记", user=secretary)
    away = make_member(tree.branch, "王海")
    absent = make_member(tree.branch, "李强")
    assembly = make_activity(tree.branch, type_code="branch_assembly", title="第四季度支部党员大会",
                             starts=at(hours=-1), hours=3)  # fmt: skip
    enter_paper_sheet(actor=None, activity=assembly, person_ids=[yang.pk])
    start_record(actor=None, activity=assembly)

    login(page, live_server, "yangzhiyu", PASSWORD)
    page.goto(f"{live_server.url}/activities/{assembly.pk}/record/")
    box = page.locator("input[name=counts_as_expected]")
    reason = page.locator("select[name=reason]")
    reason.select_option("unexcused")
    expect(box).to_be_hidden()
    expect(box).to_be_checked()
    page.locator("#field-reason").screenshot(path=str(screenshot_dir / "record_absence_unexcused.png"))
    reason.select_option("abroad")
    expect(box).to_be_visible()
    page.locator("select[name=person]").select_option(str(away.pk))
    box.uncheck()
    page.locator("#field-counts_as_expected").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "record_absence_abroad.png"), full_page=True)
    page.get_by_role("button", name="登记缺席").click()
    expect(page.get_by_text("王海：出国（境）")).to_be_visible()
    assert Absence.objects.get(person=away).counts_as_expected is False

    # 无故缺席 after choosing 出国 and unticking: switching back re-ticks the hidden box.
    page.locator("select[name=person]").select_option(str(absent.pk))
    reason.select_option("abroad")
    box.uncheck()
    reason.select_option("unexcused")
    page.get_by_role("button", name="登记缺席").click()
    expect(page.get_by_text("李强：无故缺席")).to_be_visible()
    assert Absence.objects.get(person=absent).counts_as_expected is True
    assert page.console_errors == []
