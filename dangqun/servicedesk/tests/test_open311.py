"""An Open311 GeoReport v2 client's view: discovery, services, POST and GET requests, tokens, errors.
Responses are parsed with the standard library only (json, xml.etree), as a plain client would."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from dangqun.servicedesk import services
from dangqun.servicedesk.enums import Channel
from dangqun.servicedesk.models import ServiceRequest

from .conftest import T0, item_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls("dangqun.servicedesk.tests.open311_test_urls")]

BASE = "/open311/v2"
ISO_SHANGHAI = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture
def api_key(tree):
    _client, key = services.register_open311_client(actor=None, organization=tree.street, name="市民热线平台")
    return key


def get_json(client, url, expect=200, **params):
    response = client.get(BASE + url, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def get_xml(client, url, expect=200, **params) -> ET.Element:
    response = client.get(BASE + url, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)


def post(client, fmt="json", **fields):
    data = {
        "service_code": "registration",
        "description": "新设分支机构，需要代办工商登记。",
        "first_name": "经理",
        "last_name": "陈",
        "phone": "13912345678",
    }
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


def test_discovery_lists_this_endpoint(client):
    body = get_json(client, "/discovery.json")
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = get_xml(client, "/discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_show_public_active_items_only(client, item, center):
    services.create_service_item(
        actor=None, center=center, data=item_data("internal", "内部事项", is_public=False)
    )
    services.create_service_item(
        actor=None, center=center, data=item_data("old", "停用事项", is_active=False)
    )
    body = get_json(client, "/services.json")
    assert body == [
        {
            "service_code": "registration",
            "service_name": "代办企业登记注册",
            "description": "承诺 5 个工作日内办结",
            "metadata": True,
            "type": "realtime",
            "keywords": "企业",
            "group": "企业服务",
        }
    ]
    root = get_xml(client, "/services.xml")
    assert [s.findtext("service_code") for s in root.findall("service")] == ["registration"]
    assert root.find("service/metadata").text == "true"


def test_service_definition_in_both_formats_and_404(client, item):
    body = get_json(client, "/services/registration.json")
    assert body["service_code"] == "registration"
    assert [(a["code"], a["variable"], a["datatype"]) for a in body["attributes"]] == [
        ("enterprise", True, "string"), ("urgent", True, "singlevaluelist"), ("materials", False, "text"),
    ]  # fmt: skip
    assert body["attributes"][2]["description"] == "所需材料：营业执照复印件；法定代表人身份证复印件"
    root = get_xml(client, "/services/registration.xml")
    assert root.tag == "service_definition"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == ["true", "false"]
    errors = get_json(client, "/services/nothing.json", expect=404)
    assert errors == [{"code": 404, "description": "service_code “nothing” 不存在。"}]


def test_post_missing_fields_answers_in_the_open311_error_format(client, item, api_key):
    response = post(client, api_key=api_key, description=None, phone=" ", first_name=None, last_name=None)
    assert response.status_code == 400
    assert json.loads(response.content) == [
        {"code": 400, "description": "缺少必填字段 description。"},
        {"code": 400, "description": "缺少必填字段 phone。"},
        {"code": 400, "description": "缺少必填字段 first_name。"},
    ]
    response = post(client, "xml", description=None)
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("400", "缺少必填字段 api_key。"), ("400", "缺少必填字段 description。"),
    ]  # fmt: skip
    assert ServiceRequest.objects.count() == 0


def test_post_refuses_bad_keys_codes_phones_and_other_jurisdictions(client, item, far_item, api_key):
    assert post(client, api_key="nope").status_code == 403
    response = post(client, api_key=api_key, service_code="nothing")
    assert response.status_code == 404
    response = post(client, api_key=api_key, phone="12345")
    assert response.status_code == 400
    assert json.loads(response.content) == [{"code": 400, "description": "phone: 手机号格式不正确：12345"}]
    response = post(client, api_key=api_key, service_code="far-consult")
    assert response.status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_a_client_files_and_follows_a_request(client, item, staff, api_key):
    response = post(
        client, api_key=api_key, **{"attribute[enterprise]": "大华银行昆明分行", "attribute[urgent]": "true"}
    )
    assert response.status_code == 201
    created = json.loads(response.content)[0]
    assert created["service_notice"] == "承诺 5 个工作日内办结"
    request = ServiceRequest.objects.get()
    assert created["service_request_id"] == request.number
    assert (request.channel, request.requester_name, request.requester_unit, request.is_urgent) == (
        Channel.OPEN311, "陈经理", "大华银行昆明分行", True,
    )  # fmt: skip

    tokens = get_json(client, f"/tokens/{created['token']}.json")
    assert tokens == [{"service_request_id": request.number, "token": created["token"]}]
    assert get_json(client, "/tokens/unknown.json", expect=404) == [
        {"code": 404, "description": "token 不存在。"}
    ]

    shown = get_json(client, f"/requests/{request.number}.json")[0]
    assert (shown["status"], shown["status_notes"], shown["service_code"]) == (
        "open",
        "已提交，等待受理",
        "registration",
    )
    assert shown["agency_responsible"] == "顺城社区党委"
    assert shown["description"] == ""  # no consent to publish it
    assert ISO_SHANGHAI.match(shown["requested_datetime"]) and shown["expected_datetime"] is None
    assert "13912345678" not in json.dumps(shown) and "陈" not in json.dumps(shown, ensure_ascii=False)

    services.accept_request(actor=staff, request=request)
    services.request_info(actor=staff, request=request, note="请补充法定代表人身份证复印件。")
    shown = get_json(client, f"/requests/{request.number}.json")[0]
    assert (shown["status"], shown["status_notes"]) == ("open", "请补充法定代表人身份证复印件。")
    assert ISO_SHANGHAI.match(shown["expected_datetime"])
    services.add_note(actor=staff, request=request, note="内部：与市场监管局核对", public=False)
    services.resolve_request(actor=staff, request=request, note="已办结，请到一楼领取执照。")
    root = get_xml(client, f"/requests/{request.number}.xml")
    assert root.tag == "service_requests"
    assert (root.findtext("request/status"), root.findtext("request/status_notes")) == (
        "closed", "已办结，请到一楼领取执照。",
    )  # fmt: skip
    assert root.findtext("request/lat") == ""
    assert get_json(client, "/requests/999999.json", expect=404)[0]["code"] == 404
    assert get_json(client, "/requests/abc.json", expect=404)[0]["code"] == 404


def test_get_requests_filters(client, item, center, staff):
    other = services.create_service_item(actor=None, center=center, data=item_data("consult", "政策咨询"))
    now = timezone.now()
    old = services.file_request(actor=None, item=item, description="早先的", name="甲", mobile="13900000001",
                                now=now - timedelta(days=120)).request  # fmt: skip
    first = services.file_request(actor=None, item=item, description="一", name="乙", mobile="13900000002",
                                  description_public=True, now=now - timedelta(days=2)).request  # fmt: skip
    second = services.file_request(actor=None, item=other, description="二", name="丙", mobile="13900000003",
                                   now=now - timedelta(days=1)).request  # fmt: skip
    services.reject_request(actor=staff, request=second, reason="不属于本中心")

    def ids(**params):
        return [r["service_request_id"] for r in get_json(client, "/requests.json", **params)]

    assert ids() == [second.number, first.number]  # default: the last 90 days, newest first
    assert ids(status="open") == [first.number]
    assert ids(status="closed") == [second.number]
    assert ids(service_code="consult") == [second.number]
    start = (now - timedelta(days=200)).date().isoformat()
    assert ids(start_date=start) == [second.number, first.number, old.number]
    end = timezone.localtime(now - timedelta(days=2)).isoformat(timespec="seconds")
    assert ids(start_date=start, end_date=end) == [old.number]
    assert ids(service_request_id=f"{old.number},{second.number}", status="open") == [
        second.number,
        old.number,
    ]
    assert ids(service_request_id="99999999999999999999999") == []  # beyond 64 bits: none, not a 500
    assert ids(service_request_id="²") == []
    assert get_xml(client, "/requests.xml", service_request_id="1,9223372036854775808") is not None
    assert get_json(client, "/requests.json")[1]["description"] == "一"
    assert get_json(client, "/requests.json", expect=400, start_date="yesterday") == [
        {"code": 400, "description": "start_date 或 end_date 不是 ISO 8601 日期时间。"}
    ]
    assert get_json(client, "/requests.json", expect=400, status="pending")[0]["code"] == 400
    root = get_xml(client, "/requests.xml", status="open")
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [first.number]


def test_open311_post_is_csrf_exempt(item, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, api_key=api_key).status_code == 201


def test_the_module_path_for_the_lead():
    from django.urls import reverse

    assert reverse("open311:requests", kwargs={"fmt": "json"}) == "/open311/v2/requests.json"
    assert T0.utcoffset() == timedelta(hours=8)


def test_management_command_registers_a_client(tree, client, item):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("open311_client", "市民热线", "--org", "大观街道党工委", stdout=out)
    api_key = out.getvalue().strip().rsplit("：", 1)[1]
    assert post(client, api_key=api_key).status_code == 201
