"""JOURNEYS.md 2 (staff side): 大华银行's HR manager asks the 楼宇企业服务站 to register a branch;
center staff accept, assign, ask for a missing document through a status note and resolve; the
requester rates; an Open311 client sees the same request.

The kiosk and phone parts belong to the portal; here the requester acts through the same services
the portal calls (file_request from the kiosk, supply_info and rate_request with the tracking token).
"""

from __future__ import annotations

import json
import urllib.request
from xml.etree import ElementTree as ET

import pytest
from playwright.sync_api import expect

from dangqun.buildings.services import create_building, register_enterprise
from dangqun.centers.services import create_center
from dangqun.servicedesk import selectors, services
from dangqun.servicedesk.enums import Channel
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("dangqun.servicedesk.tests.open311_test_urls"),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    center = create_center(actor=None, organization=tree.community,
                           data={"name": "招银大厦“金领”党群服务中心", "slug": "jinling", "address": "昆明市五华区顺城街"})  # fmt: skip
    item = services.create_service_item(
        actor=None, center=center,
        data={"code": "jinling-registration", "name": "代办企业登记注册", "group": "企业服务",
              "target_groups": ["enterprise"], "required_materials": ["登记申请书", "上级单位授权书（分支机构）"],
              "promise_value": 5, "promise_unit": "working_days"},
    )  # fmt: skip
    building = create_building(actor=None, organization=tree.community, name="招银大厦")
    uob = register_enterprise(
        actor=None, building=building, name="大华银行昆明分行", floor="16层", is_foreign=True
    )
    staff = make_user("duansiyu", display_name="段思雨", grants=[(tree.community, "center_staff")])
    return item, uob, staff


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the live test server
        return response.read()


def test_enterprise_request_from_kiosk_to_rating(page, live_server, tree, desk, screenshot_dir):
    item, uob, staff = desk
    # At the kiosk: the HR manager taps 代办企业登记注册 and fills the short form (portal → this service).
    filed = services.file_request(
        actor=None, item=item, enterprise=uob, name="周敏", mobile="136 2947 5810", channel=Channel.KIOSK,
        description="我行拟在招银大厦 16 层增设营业部，需要办理分支机构登记，请协助代办。",
    )  # fmt: skip
    number = filed.request.number

    login(page, live_server, "duansiyu", PASSWORD)
    page.get_by_role("link", name="服务台").click()
    queue = page.locator("#queue-results")
    expect(queue).to_contain_text("代办企业登记注册")
    expect(queue).to_contain_text("大华银行昆明分行")
    expect(queue).to_contain_text("136****5810")
    page.screenshot(path=str(screenshot_dir / "servicedesk_queue.png"), full_page=True)

    page.get_by_role("link", name=number).click()
    expect(page.locator("#request-state")).to_have_text("待受理")
    expect(page.locator("#request-public-status")).to_have_text("已提交，等待受理")
    page.locator("#action-accept").get_by_role("button", name="受理").click()
    expect(page.locator(".messages")).to_contain_text("已受理。")
    expect(page.locator("#request-state")).to_have_text("已受理")

    page.select_option("#id_assign-handler", label="段思雨")
    page.locator("#action-assign").get_by_role("button", name="分派").click()
    expect(page.locator("#request-handler")).to_have_text("段思雨")

    page.fill("#id_start-expected_at", "2030-03-06T17:00")
    page.locator("#action-start").get_by_role("button", name="开始办理").click()
    expect(page.locator("#request-expected")).to_have_text("2030-03-06 17:00")

    page.fill("#id_request_info-note", "请补充总行出具的分支机构设立授权书（复印件加盖公章）。")
    page.locator("#action-request_info").get_by_role("button", name="请申请人补充材料").click()
    expect(page.locator("#request-public-status")).to_have_text("请补充材料")
    page.screenshot(path=str(screenshot_dir / "servicedesk_request_info.png"), full_page=True)

    # On the phone (portal → services): the requester reads the note and uploads the document.
    status = selectors.public_status(selectors.request_for_token(filed.token))
    assert status.notes[-1].text == "请补充总行出具的分支机构设立授权书（复印件加盖公章）。"
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.supply_info(request=filed.request, token=filed.token, note="授权书已上传。",
                         attachments_in=[SimpleUploadedFile("授权书.pdf", PDF)])  # fmt: skip

    page.reload()
    expect(page.locator("#request-state")).to_have_text("办理中")
    expect(page.locator("#request-attachments")).to_contain_text("授权书.pdf")
    page.fill("#id_resolve-note", "分支机构登记已办结，营业执照请到一楼服务台领取。")
    page.locator("#action-resolve").get_by_role("button", name="办结").click()
    expect(page.locator("#request-public-status")).to_have_text("已办结，请评价")

    # The requester rates on the phone.
    services.rate_request(request=filed.request, token=filed.token, score=5, comment="办事效率很高，谢谢！")
    page.reload()
    expect(page.locator("#request-rating")).to_contain_text("5 / 5")
    expect(page.locator("#request-history")).to_contain_text("评价")
    page.screenshot(path=str(screenshot_dir / "servicedesk_request_done.png"), full_page=True)

    # An Open311 client sees the same request, closed, with the public note.
    shown = json.loads(http_get(f"{live_server.url}/open311/v2/requests/{number}.json"))[0]
    assert (shown["service_code"], shown["status"]) == ("jinling-registration", "closed")
    assert shown["status_notes"] == "分支机构登记已办结，营业执照请到一楼服务台领取。"
    assert shown["expected_datetime"] == "2030-03-06T17:00:00+08:00"
    root = ET.fromstring(
        http_get(f"{live_server.url}/open311/v2/requests.xml?service_code=jinling-registration")
    )
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [number]
    assert "13629475810" not in json.dumps(shown)

    assert page.console_errors == []
