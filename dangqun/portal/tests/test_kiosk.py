"""The kiosk: browsing without login, the idle time, filing with a QR of the tracking page shown
once, pairing with a registered kiosk device (recorded on what it files)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dangqun.accounts.devices import register_device
from dangqun.core.models import AuditEntry
from dangqun.portal.tests.qrdecode import decode_svg
from dangqun.servicedesk.models import ServiceRequest
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db

HOME = "/kiosk/jinling/"
FORM = {"name": "周敏", "mobile": "13629475810", "unit": "大华银行", "description": "请协助办理分支机构登记"}


def idle_of(response) -> str:
    return re.search(r'data-idle-seconds="(\d+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("query,expected", [("", "60"), ("?idle=2", "2"), ("?idle=60", "60"), ("?idle=61", "60"),
                                            ("?idle=0", "60"), ("?idle=abc", "60"), ("?idle=-5", "60")])  # fmt: skip
def test_the_idle_time_is_the_rule_unless_shortened(client, place, query, expected):
    assert idle_of(client.get(HOME + query)) == expected


def test_the_home_shows_today_free_spaces_catalog_wall_and_the_phone_qr(client, place, wall):
    from dangqun.centers.services import create_space

    create_space(actor=None, center=place.center, data={"name": "洽谈室", "capacity": 8})
    # Open all day, so "free now" does not depend on the hour the suite runs at.
    all_day = {day: ["00:00", "23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    type(place.center).objects.filter(pk=place.center.pk).update(opening_hours=all_day)
    text = client.get(HOME).content.decode()
    assert "楼宇青年读书沙龙" in text
    assert "主题党日" not in text  # members only: the kiosk is nobody
    # The library and the lounge hold today's activities; the meeting room is free until closing.
    free = text.split('id="k-h-spaces"')[1].split("</section>")[0]
    assert "洽谈室" in free and "空闲至 23:59" in free and "党建图书馆" not in free
    assert "代办企业登记注册" in text and "政策咨询" in text
    assert "想要一台收音机" in text and "想要一套大字版象棋" not in text
    assert 'src="/m/qr/center/jinling.svg"' in text
    assert 'data-home-url="/kiosk/jinling/"' in text


def test_filing_at_the_kiosk_shows_the_tracking_qr_once(client, place):
    url = reverse("portal:kiosk-item", args=["jinling", "jinling-registration"])
    page = client.get(url).content.decode()
    assert 'autocomplete="off"' in page and 'name="attachments"' not in page
    response = client.post(url + "?idle=5", FORM)
    assert response.status_code == 302 and response["Location"] == "/kiosk/jinling/filed/?idle=5"
    request = ServiceRequest.objects.get()
    assert request.channel == "kiosk" and request.requester_user is None
    filed = client.get(response["Location"])
    text = filed.content.decode()
    assert f'受理编号 <strong id="filed-number">{request.number}</strong>' in text
    svg = text[text.index('<div class="k-track-qr" id="track-qr">') :]
    track_url = decode_svg(svg[: svg.index("</svg>") + 6])
    assert track_url.startswith("http://testserver/m/r/")
    assert "周敏" not in text and "13629475810" not in text
    assert "no-store" in filed["Cache-Control"]
    # Shown once: a reload (or the next visitor) finds only the home screen.
    again = client.get(response["Location"])
    assert again.status_code == 302 and again["Location"] == "/kiosk/jinling/?idle=5"
    # The QR opens the requester's page.
    assert "已提交，等待受理" in client.get(track_url.removeprefix("http://testserver")).content.decode()


def test_bad_input_at_the_kiosk_is_refused_next_to_the_field(client, place):
    url = reverse("portal:kiosk-item", args=["jinling", "jinling-registration"])
    response = client.post(url, {**FORM, "mobile": "1362947"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "手机号格式不正确：1362947" in text and "data-posted" in text
    assert ServiceRequest.objects.count() == 0


def test_a_paired_kiosk_records_itself_on_what_it_files(client, place, kiosk_device):
    response = client.post(reverse("portal:kiosk-pair", args=["jinling"]), {"token": kiosk_device.token})
    assert response.status_code == 302
    assert "本机：大厅办事通 1 号" in client.get(HOME).content.decode()
    assert AuditEntry.objects.filter(action="portal.kiosk.paired", object_id=str(kiosk_device.pk)).exists()
    client.post(reverse("portal:kiosk-item", args=["jinling", "jinling-registration"]), FORM)
    request = ServiceRequest.objects.get()
    assert request.device_id == kiosk_device.pk
    entry = AuditEntry.objects.get(action="servicedesk.request.submit")
    assert entry.object_id == str(request.pk) and entry.data["device"] == kiosk_device.pk
    # Staff see which kiosk it came from.
    client.force_login(make_user("desk", grants=[(place.tree.community, "center_staff")]))
    detail = client.get(reverse("servicedesk:request", args=[request.pk])).content.decode()
    assert "设备：大厅办事通 1 号" in detail
    client.logout()
    # Unpairing forgets it.
    client.post(reverse("portal:kiosk-pair", args=["jinling"]), {"action": "forget"})
    assert "本机：" not in client.get(HOME).content.decode()


def test_pairing_refuses_wrong_tokens_and_foreign_devices(client, place):
    url = reverse("portal:kiosk-pair", args=["jinling"])
    wrong = client.post(url, {"token": "nonsense"})
    assert wrong.status_code == 400 and "令牌无效" in wrong.content.decode()
    scanner, token = register_device(
        actor=None, organization=place.tree.community, name="扫码枪", kind="scanner"
    )
    assert "令牌无效" in client.post(url, {"token": token}).content.decode()
    far, far_token = register_device(
        actor=None, organization=place.tree.far_county, name="远方大屏", kind="kiosk"
    )
    assert "该设备登记在其他组织" in client.post(url, {"token": far_token}).content.decode()
    assert "dq_kiosk" not in client.cookies


def test_an_inactive_device_is_no_longer_the_kiosk(client, place, kiosk_device):
    client.post(reverse("portal:kiosk-pair", args=["jinling"]), {"token": kiosk_device.token})
    kiosk_device.is_active = False
    kiosk_device.save()
    assert "本机：" not in client.get(HOME).content.decode()


def test_the_wall_refreshes_its_cards_through_htmx(client, place, wall):
    response = client.get(reverse("portal:kiosk-wall", args=["jinling"]), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert text.lstrip().startswith('<ul class="k-wishes">') and "<html" not in text
    assert "想要一台收音机" in text


def test_a_logged_in_staff_member_at_the_kiosk_still_files_anonymously(client, place):
    client.force_login(place.yang_user)
    client.post(reverse("portal:kiosk-item", args=["jinling", "jinling-registration"]), FORM)
    assert ServiceRequest.objects.get().requester_user is None
