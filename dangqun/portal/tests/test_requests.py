"""Filing a request from the phone, following it by its token, supplying material, rating it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dangqun.servicedesk import services as desk
from dangqun.servicedesk.models import RequestAttachment, ServiceRequest

pytestmark = pytest.mark.django_db

GOOD = {"name": "周敏", "mobile": "13629475810", "unit": "大华银行", "description": "请协助办理分支机构登记"}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 16, 46)).save(buffer, "PNG")
    return buffer.getvalue()


def file_it(client, **changes):
    return client.post(reverse("portal:item", args=["jinling-registration"]), {**GOOD, **changes})


def token_of(response) -> str:
    location = response["Location"]
    assert location.startswith("/m/r/")
    return location.split("/")[3]


def test_a_request_is_filed_in_one_post_and_followed_by_its_token(client, place):
    response = file_it(client, attachments=SimpleUploadedFile("执照.png", png(), content_type="image/png"))
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.channel, request.requester_name, request.requester_mobile, request.requester_unit) == (
        "phone", "周敏", "13629475810", "大华银行",
    )  # fmt: skip
    assert request.requester_user is None
    assert RequestAttachment.objects.get().original_name == "执照.png"
    page = client.get(response["Location"]).content.decode()
    assert "已提交，等待受理" in page and f"受理编号 {request.number}" in page
    assert "周*" in page and "13629475810" not in page and "周敏" not in page
    assert "承诺 5 个工作日内办结" in page


def test_a_logged_in_member_files_as_herself(client, place):
    client.force_login(place.liuhui)
    response = file_it(client, name="", mobile="")
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.requester_user == place.liuhui and request.requester_name == "刘慧"


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"mobile": "1362947"}, "mobile", "手机号格式不正确：1362947"),
        ({"mobile": ""}, "mobile", "请填写手机号，以便工作人员联系您。"),
        ({"name": "  "}, "name", "请填写联系人姓名。"),
        ({"description": ""}, "description", "请填写诉求内容。"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(
    client, place, changes, field, message
):
    response = file_it(client, **changes)
    assert response.status_code == 400
    text = response.content.decode()
    block = text[text.index(f'id="f-{field}"') :]
    assert message in block[: block.index("</div>")]
    assert ServiceRequest.objects.count() == 0


def test_a_fake_image_is_refused_and_nothing_is_written(client, place, settings):
    fake = SimpleUploadedFile(
        "照片.jpg", b"\xff\xd8\xff\xe0 not really a jpeg" * 10, content_type="image/jpeg"
    )
    response = file_it(client, attachments=fake)
    assert response.status_code == 400
    assert "不是有效的图片" in response.content.decode()
    assert ServiceRequest.objects.count() == 0 and RequestAttachment.objects.count() == 0
    assert (
        not list((settings.MEDIA_ROOT / "servicedesk").glob("*"))
        if (settings.MEDIA_ROOT / "servicedesk").exists()
        else True
    )


def test_the_requester_supplies_material_and_rates_through_the_token(client, place):
    token = token_of(file_it(client))
    request = ServiceRequest.objects.get()
    desk.accept_request(actor=None, request=request)
    desk.start_request(actor=None, request=request, expected_at=timezone.now() + timedelta(days=3))
    desk.request_info(actor=None, request=request, note="请补充营业执照副本照片。")
    page = client.get(reverse("portal:track", args=[token])).content.decode()
    assert "请补充材料" in page and "请补充营业执照副本照片。" in page and 'id="supply"' in page

    empty = client.post(reverse("portal:track-supply", args=[token]), {"note": ""})
    assert empty.status_code == 400 and "请填写补充说明或上传材料。" in empty.content.decode()
    response = client.post(
        reverse("portal:track-supply", args=[token]),
        {
            "note": "照片见附件",
            "attachments": SimpleUploadedFile("副本.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "in_progress" and request.attachments.count() == 1

    early = client.post(reverse("portal:track-rate", args=[token]), {"score": "5"})
    assert early.status_code == 400 and "诉求办结后才能评价。" in early.content.decode()
    desk.resolve_request(actor=None, request=request, note="已办结。")
    bad = client.post(reverse("portal:track-rate", args=[token]), {"score": "9"})
    assert bad.status_code == 400
    assert (
        client.post(reverse("portal:track-rate", args=[token]), {"score": "4", "comment": "很好"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.rating.score == 4 and request.state == "closed"
    page = client.get(reverse("portal:track", args=[token])).content.decode()
    assert "您的评价" in page and 'id="rate"' not in page


def test_the_requester_may_withdraw(client, place):
    token = token_of(file_it(client))
    assert client.post(reverse("portal:track-cancel", args=[token])).status_code == 302
    assert ServiceRequest.objects.get().state == "cancelled"
    assert "已撤回" in client.get(reverse("portal:track", args=[token])).content.decode()


def test_a_wrong_token_changes_nothing(client, place):
    file_it(client)
    assert client.post(reverse("portal:track-cancel", args=["x" * 32])).status_code == 404
    assert ServiceRequest.objects.get().state == "submitted"
